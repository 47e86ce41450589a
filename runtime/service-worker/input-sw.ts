/**
 * py-cell's service worker (dist/py-cell-sw.js): the last way for `input()` to wait for the reader,
 * in browsers with neither WebAssembly stack switching nor, on this page, SharedArrayBuffer
 * (Safari on a page that is not cross-origin isolated). The engine's worker makes a synchronous
 * request for `__py-cell-input__`, which this service worker holds until the page posts it the
 * reader's answer. A site enables it by serving this file and calling
 * `configure({ inputServiceWorker: '/path/to/py-cell-sw.js' })`; its scope must cover the page.
 */
import type { InputReply } from '../shared/protocol.js';

interface ServiceWorkerScope {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: { waitUntil(promise: Promise<unknown>): void }) => void): void;
  addEventListener(type: 'fetch', listener: (event: { request: Request; respondWith(response: Promise<Response>): void }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const scope = globalThis as unknown as ServiceWorkerScope;
/** Requests the worker waits on, by name, and answers that came before their request. */
const waiting = new Map<string, (reply: InputReply | { retry: true }) => void>();
const early = new Map<string, InputReply>();
/**
 * How long a request is held before it is answered `retry` (the worker asks again): browsers may
 * end a fetch that waits too long, and a reader may take minutes.
 */
const HOLD_MS = 20_000;

scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));

scope.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (!url.pathname.endsWith('/__py-cell-input__')) return;
  const request = url.searchParams.get('request') ?? '';
  const answered = new Promise<InputReply | { retry: true }>((resolve) => {
    const reply = early.get(request);
    early.delete(request);
    if (reply) {
      resolve(reply);
      return;
    }
    const held = setTimeout(() => {
      if (waiting.get(request) !== settle) return;
      waiting.delete(request);
      resolve({ retry: true });
    }, HOLD_MS);
    const settle = (answer: InputReply | { retry: true }) => {
      clearTimeout(held);
      resolve(answer);
    };
    waiting.set(request, settle);
  });
  event.respondWith(answered.then((reply) => new Response(JSON.stringify(reply), { headers: { 'content-type': 'application/json' } })));
});

scope.addEventListener('message', (event) => {
  const data = event.data as { pyCellInput?: unknown; reply?: InputReply } | null;
  if (typeof data?.pyCellInput !== 'string' || !data.reply) return;
  const request = data.pyCellInput;
  const resolve = waiting.get(request);
  waiting.delete(request);
  if (resolve) resolve(data.reply);
  else early.set(request, data.reply);
});
