/**
 * The engine's network on Node: `file:` URLs are read from disk (Node's fetch refuses them), with
 * the status, length and byte ranges a web server would give; any other URL goes to Node's fetch.
 */
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

function contentType(path: string): string {
  return TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
}

async function readRange(path: string, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  const file = await open(path);
  try {
    const bytes = new Uint8Array(end - start);
    await file.read(bytes, 0, bytes.length, start);
    return bytes;
  } finally {
    await file.close();
  }
}

export const fileFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  if (!request.url.startsWith('file:')) return fetch(request);
  const path = fileURLToPath(request.url);
  const size = await stat(path).then(
    (info) => (info.isFile() ? info.size : null),
    () => null,
  );
  if (size === null) return new Response(`Not found: ${path}`, { status: 404, statusText: 'Not Found' });
  const headers = { 'content-type': contentType(path) };
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('range') ?? '');
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(size, Number(range[2]) + 1) : size;
    const body = request.method === 'HEAD' ? null : await readRange(path, start, end);
    const rangeHeaders = { ...headers, 'content-range': `bytes ${start}-${end - 1}/${size}`, 'content-length': String(end - start) };
    return new Response(body, { status: 206, headers: rangeHeaders });
  }
  const body = request.method === 'HEAD' ? null : await readRange(path, 0, size);
  return new Response(body, { status: 200, headers: { ...headers, 'content-length': String(size) } });
};
