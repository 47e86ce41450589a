/**
 * The process a page's interpreter runs in for `py-cell prerender`. The page runner starts it
 * with Node's permission model (it may read the package's own files, the runtime folder and the
 * page's wheels; nothing else, write nothing, start no process) and an empty environment, so
 * cell code (which can run any JavaScript here) gets no more of the build machine than a
 * reader's browser gives it. It starts the engine's worker thread and passes messages both ways;
 * the interrupt buffer lives here and is set on the runner's word.
 */
import { Worker } from 'node:worker_threads';
import type { FromEngine, ToEngine } from '../runtime/shared/protocol.js';

/** From the page runner: a message for the engine, or a value for the interrupt buffer. */
export type ToSandbox = { engine: ToEngine } | { interrupt: number };
/** To the page runner: the engine's messages, that the sandbox listens, or why its thread failed. */
export type FromSandbox = { engine: FromEngine } | { listening: true } | { threadError: string };

const send = process.send?.bind(process) as ((message: FromSandbox) => boolean) | undefined;
const [workerURL, packageURL] = process.argv.slice(2);
if (!send || !workerURL || packageURL === undefined) throw new Error('prerender/sandbox.ts is started by the page runner.');

const interrupt = new Int32Array(new SharedArrayBuffer(4));
const worker = new Worker(new URL(workerURL), { workerData: { packageURL } });
worker.on('message', (message: FromEngine) => send({ engine: message }));
worker.on('error', (error: Error) => send({ threadError: error.message }));
worker.on('exit', (code) => process.exit(code));
process.on('message', (message: ToSandbox) => {
  if ('interrupt' in message) {
    Atomics.store(interrupt, 0, message.interrupt);
    return;
  }
  const engine = message.engine;
  // The buffer the engine checks is this process's own: shared memory does not cross processes.
  worker.postMessage(engine.type === 'boot' ? { ...engine, options: { ...engine.options, interruptBuffer: interrupt } } : engine);
});
// The runner holds its messages until the sandbox listens (a message before would be lost).
send({ listening: true });
// The runner went away: nothing is left to run for.
process.on('disconnect', () => process.exit(0));
