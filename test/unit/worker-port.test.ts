import { expect } from '@esm-bundle/chai';
import { workerPort } from '../../runtime/page/worker-port.js';
import type { FromEngine } from '../../runtime/shared/protocol.js';

// A worker that, on the boot message, answers both on the private port and, as Python code with
// `js.postMessage` could, on its own global channel.
const SCRIPT = `
addEventListener('message', (event) => {
  const [port] = event.ports;
  postMessage({ type: 'ready', version: 'forged on the global channel' });
  postMessage({ type: 'result', id: 1, status: 'done', elapsedMs: 0 });
  port.postMessage({ type: 'progress', progress: { stage: 'start' } });
  port.onmessage = (run) => port.postMessage({ type: 'result', id: run.data.id, status: 'done', elapsedMs: 1 });
  port.postMessage({ type: 'ready', version: 'from the engine' });
});
`;

describe('workerPort', () => {
  it('hears the engine only on the channel handed over at boot, never the worker’s own channel', async () => {
    const worker = new Worker(URL.createObjectURL(new Blob([SCRIPT], { type: 'text/javascript' })));
    const port = workerPort(worker);
    const heard: FromEngine[] = [];
    const done = new Promise<void>((resolve) =>
      port.listen((message) => {
        heard.push(message);
        if (message.type === 'ready') port.post({ type: 'run', id: 7, code: '', session: 'default', filename: '<cell 1>', packages: [] });
        if (message.type === 'result') resolve();
      }),
    );
    port.post({ type: 'boot', options: { indexURL: 'x', packageURL: 'y', expectedVersion: 'z', stallTimeoutMs: 1000 } });
    await done;
    port.terminate();
    expect(heard).to.deep.equal([
      { type: 'progress', progress: { stage: 'start' } },
      { type: 'ready', version: 'from the engine' },
      { type: 'result', id: 7, status: 'done', elapsedMs: 1 },
    ]);
  });

  it('reports a worker whose script fails', async () => {
    const worker = new Worker(URL.createObjectURL(new Blob(['throw new Error("broken script")'], { type: 'text/javascript' })));
    const port = workerPort(worker);
    const detail = await new Promise<string>((resolve) => port.onError(resolve));
    port.terminate();
    expect(detail).to.contain('broken script');
  });
});
