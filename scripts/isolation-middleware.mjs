// Dev-server middleware: pages requested with `?coi=1` (and everything they load) are served
// cross-origin isolated, so py-cell's synchronous DOM bridge can be tried and tested.
export function crossOriginIsolation(context, next) {
  const referer = context.get('referer') ?? '';
  if (context.querystring.includes('coi=1') || referer.includes('coi=1')) {
    context.set('Cross-Origin-Opener-Policy', 'same-origin');
    context.set('Cross-Origin-Embedder-Policy', 'require-corp');
    context.set('Cross-Origin-Resource-Policy', 'same-origin');
  }
  return next();
}

/** The strict policy py-cell must work under (README: "Strict pages"). */
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

// Pages requested with `?csp=1` are served with the strict Content-Security-Policy.
export function strictContentSecurityPolicy(context, next) {
  if (context.querystring.includes('csp=1')) context.set('Content-Security-Policy', STRICT_CSP);
  return next();
}

// py-cell's service worker for input() (dist/py-cell-sw.js) served at the site's root, as a site
// enables it: a service worker controls the pages under its own folder.
export function inputServiceWorkerAtRoot(context, next) {
  if (context.path === '/py-cell-sw.js') context.path = '/dist/py-cell-sw.js';
  return next();
}
