// `npm start`: serves the project root (demo/, dist/, wasm-dist/) as plain static files.
// A page opened with `?coi=1` is served cross-origin isolated; /py-cell-sw.js is dist/py-cell-sw.js.
import { crossOriginIsolation, inputServiceWorkerAtRoot } from './scripts/isolation-middleware.mjs';

const port = Number(process.env.PORT) || 8000;

export default {
  rootDir: '.',
  port,
  hostname: 'localhost',
  nodeResolve: false,
  watch: false,
  middleware: [
    crossOriginIsolation,
    // input() in Safari on pages that are not isolated: py-cell's service worker at /py-cell-sw.js.
    inputServiceWorkerAtRoot,
    // `/` opens the demo.
    function demoIndex(context, next) {
      if (context.url === '/') context.redirect('/demo/');
      return next();
    },
  ],
};
