import { expect } from '@esm-bundle/chai';
import { Downloads } from '../../runtime/engine/downloads.js';

/** A network whose response body is `chunks`, then silence when `hang` (else the end). */
function network(chunks: Uint8Array[], options: { hang?: boolean; status?: number; length?: number } = {}) {
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: input as string, init });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // As a real fetch does, an aborted request errors its body with the abort's reason.
        init?.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
        for (const chunk of chunks) controller.enqueue(chunk);
        if (!options.hang) controller.close();
      },
    });
    const headers = options.length ? { 'content-length': String(options.length) } : undefined;
    return Promise.resolve(new Response(body, { status: options.status ?? 200, headers }));
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

/** Lets the copy of a body that counts its bytes catch up with its reader. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A network that never answers, except by honouring the abort signal. */
const silent = ((_input: RequestInfo | URL, init?: RequestInit) =>
  new Promise<Response>((_, reject) =>
    init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)),
  )) as typeof fetch;

describe('Downloads', () => {
  it('reports the bytes received, throttled, and always the complete file', async () => {
    let now = 0;
    const seen: Array<[string, number, number | undefined]> = [];
    const { fetch } = network([new Uint8Array(10), new Uint8Array(10), new Uint8Array(5)], { length: 25 });
    const downloads = new Downloads({ fetch, now: () => now, onProgress: (file, loaded, total) => seen.push([file, loaded, total]) });
    now = 100;
    const response = await downloads.fetch('http://runtime.test/dir/pyodide.asm.wasm');
    expect((await response.arrayBuffer()).byteLength).to.equal(25);
    await tick(); // the bytes are counted on a copy of the body, beside the reader
    // The first chunk is reported; the second comes within 50 ms of it; the last completes the file.
    expect(seen).to.deep.equal([
      ['pyodide.asm.wasm', 10, 25],
      ['pyodide.asm.wasm', 25, 25],
    ]);
  });

  it("hands over the browser's own response, so Chromium can keep the wasm's compiled code", async () => {
    // A constructed Response has no URL and no HTTP-cache entry: Chromium compiles its wasm anew
    // on every visit. The progress is counted on a copy instead.
    let given: Response | undefined;
    const { fetch } = network([new Uint8Array(4), new Uint8Array(4)], { length: 8 });
    const seen: number[] = [];
    const downloads = new Downloads({
      fetch: async (input, init) => (given = await fetch(input, init)),
      onProgress: (_file, loaded) => seen.push(loaded),
    });
    const response = await downloads.fetch('http://runtime.test/pyodide.asm.wasm');
    expect(response).to.equal(given);
    expect((await response.arrayBuffer()).byteLength).to.equal(8);
    await tick();
    expect(seen.at(-1)).to.equal(8);
  });

  it('reports the start as one figure from the planned sizes, right whether or not the server encodes a file', async () => {
    const seen: Array<[string, number, number | undefined]> = [];
    const files: Record<string, { chunks: number[]; encoded?: boolean }> = {
      'http://runtime.test/a.wasm': { chunks: [6, 4] },
      // A gzip file the server sends with Content-Encoding: gzip: its body arrives unpacked (30 bytes, not 12).
      'http://runtime.test/snap.gz': { chunks: [20, 10], encoded: true },
      'http://runtime.test/other.whl': { chunks: [3] },
    };
    const fetch = ((input: RequestInfo | URL) => {
      const { chunks, encoded } = files[input as string]!;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const size of chunks) controller.enqueue(new Uint8Array(size));
          controller.close();
        },
      });
      return Promise.resolve(new Response(body, { headers: encoded ? { 'content-encoding': 'gzip' } : {} }));
    }) as typeof globalThis.fetch;
    let now = 0;
    const downloads = new Downloads({
      fetch,
      now: () => (now += 100),
      onProgress: (file, loaded, total) => seen.push([file, loaded, total]),
    });
    downloads.plan([
      { url: 'http://runtime.test/a.wasm', bytes: 10 },
      { url: 'http://runtime.test/snap.gz', bytes: 12, decodedBytes: 30 },
    ]);
    await (await downloads.fetch('http://runtime.test/a.wasm')).arrayBuffer();
    await tick();
    await (await downloads.fetch('http://runtime.test/snap.gz')).arrayBuffer();
    await tick();
    await (await downloads.fetch('http://runtime.test/other.whl')).arrayBuffer();
    await tick();
    expect(seen).to.deep.equal([
      ['Python', 6, 22],
      ['Python', 10, 22],
      // The snapshot came encoded: its size is now its unpacked one, and the total never runs short.
      ['Python', 30, 40],
      ['Python', 40, 40],
      // A file outside the plan is reported on its own, as before.
      ['other.whl', 3, undefined],
    ]);
  });

  it('fails a download whose server goes silent, naming the URL', async () => {
    const { fetch } = network([new Uint8Array(3)], { hang: true });
    const downloads = new Downloads({ fetch, onProgress: () => undefined });
    downloads.stallTimeoutMs = 50;
    const response = await downloads.fetch('http://runtime.test/python_stdlib.zip');
    const reader = response.body!.getReader();
    expect((await reader.read()).value?.byteLength).to.equal(3);
    const error = await reader.read().then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('No data from http://runtime.test/python_stdlib.zip for 0 s: the server does not answer.');
  });

  it('fails a request that gets no answer at all', async () => {
    const downloads = new Downloads({ fetch: silent, onProgress: () => undefined });
    downloads.stallTimeoutMs = 2000;
    const started = performance.now();
    const error = await downloads.fetch('http://runtime.test/pyodide-lock.json').catch((e: Error) => e);
    expect((error as Error).message).to.equal('No data from http://runtime.test/pyodide-lock.json for 2 s: the server does not answer.');
    expect(performance.now() - started).to.be.within(1900, 4000);
  });

  it('revalidates with the server when asked (after a failed boot)', async () => {
    const { fetch, requests } = network([]);
    const downloads = new Downloads({ fetch, onProgress: () => undefined });
    await downloads.fetch('http://runtime.test/a');
    downloads.revalidate = true;
    await downloads.fetch('http://runtime.test/b');
    expect(requests.map((request) => request.init?.cache)).to.deep.equal([undefined, 'no-cache']);
  });

  it('checks that a file is there, naming it when it is not', async () => {
    const { fetch, requests } = network([], { status: 404 });
    const downloads = new Downloads({ fetch, onProgress: () => undefined });
    const error = await downloads.check('http://runtime.test/pyodide.asm.wasm').catch((e: Error) => e);
    expect((error as Error).message).to.equal('Could not load http://runtime.test/pyodide.asm.wasm: HTTP 404');
    expect(requests[0]!.init?.method).to.equal('HEAD');
  });

  it('reads JSON, naming the URL when it cannot', async () => {
    const downloads = new Downloads({ fetch: network([new TextEncoder().encode('{"a": 1}')]).fetch, onProgress: () => undefined });
    expect(await downloads.json('http://runtime.test/x.json')).to.deep.equal({ a: 1 });
    const missing = new Downloads({ fetch: network([], { status: 500 }).fetch, onProgress: () => undefined });
    const error = await missing.json('http://runtime.test/x.json').catch((e: Error) => e);
    expect((error as Error).message).to.match(
      /^Could not fetch http:\/\/runtime\.test\/x\.json: HTTP 500\. Is py-cell's wasm-dist\/ folder served there\?/,
    );
    expect((error as Error).message).to.include("configure({ runtimeURL: '/…/wasm-dist/', workerURL: '/…/dist/py-cell-worker.js' })");
  });

  it('names the fix when a site answers a runtime file with its HTML fallback page (a bundler moved the module)', async () => {
    const page = new TextEncoder().encode('<!doctype html><title>Home</title>');
    const downloads = new Downloads({ fetch: network([page]).fetch, onProgress: () => undefined });
    const error = await downloads.json('http://runtime.test/assets/py-cell-runtime.json').catch((e: Error) => e);
    expect((error as Error).message).to.match(
      /^http:\/\/runtime\.test\/assets\/py-cell-runtime\.json answered with an HTML page, not py-cell's runtime file\. Is py-cell's wasm-dist\/ folder served there\?/,
    );
    const broken = new Downloads({ fetch: network([new TextEncoder().encode('{"a":')]).fetch, onProgress: () => undefined });
    expect(((await broken.json('http://runtime.test/x.json').catch((e: Error) => e)) as Error).message).to.match(
      /^http:\/\/runtime\.test\/x\.json is not JSON \(/,
    );
  });

  it('answers the first plain GET of a prefetched file from memory, and goes to the network otherwise', async () => {
    const { fetch, requests } = network([new Uint8Array([1, 2, 3])]);
    const downloads = new Downloads({ fetch, onProgress: () => undefined });
    const url = 'http://runtime.test/pkg-1.0-py3-none-any.whl';
    downloads.prefetch(url, 'sha256-x');
    expect(requests.map((request) => [request.url, request.init?.integrity])).to.deep.equal([[url, 'sha256-x']]);
    // Another integrity value, or a range, is not what was fetched: the network answers.
    await downloads.fetch(url, { integrity: 'sha256-y' });
    await downloads.fetch(url, { integrity: 'sha256-x', headers: { Range: 'bytes=0-1' } });
    expect(requests).to.have.length(3);
    const response = await downloads.fetch(new URL(url), { integrity: 'sha256-x' });
    expect([...new Uint8Array(await response.arrayBuffer())]).to.deep.equal([1, 2, 3]);
    expect(requests).to.have.length(3);
    // Taken once: the next GET is the network's.
    await downloads.fetch(url, { integrity: 'sha256-x' });
    expect(requests).to.have.length(4);
  });

  it('lets a GET go to the network when the prefetch failed', async () => {
    const { fetch, requests } = network([], { status: 404 });
    const downloads = new Downloads({ fetch, onProgress: () => undefined });
    downloads.prefetch('http://runtime.test/missing.whl');
    const response = await downloads.fetch('http://runtime.test/missing.whl');
    expect(response.status).to.equal(404);
    expect(requests).to.have.length(2);
  });
});
