// Loaded by input.html (served cross-origin isolated): answers input() by the field's own keydown,
// then stops a cell that waits for input, and reports to the test over a BroadcastChannel.
import { answer, stopWhileWaiting, text } from './reader.js';

await customElements.whenDefined('py-cell');
const [setup, ask, wait, check] = ['setup', 'ask', 'wait', 'check'].map((id) => document.getElementById(id));
const prompts = [];
document.addEventListener('py-cell-input', (event) => prompts.push(event.detail.prompt));

await setup.run();
const asking = ask.run();
await answer(ask, 'Ada');
await asking;

const { result: stopped, ms: stopMs } = await stopWhileWaiting(wait);
await check.run();
new BroadcastChannel('py-cell-input-page').postMessage({
  isolated: crossOriginIsolated,
  hello: text(ask, 'stdout'),
  prompts,
  stop: { type: stopped.error?.type, ...(stopped.error?.failure ? { failure: stopped.error.failure } : {}) },
  stopMs,
  check: text(check, 'result'),
});
