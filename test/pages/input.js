// Loaded by input.html (served cross-origin isolated): answers input() by the field's own keydown,
// then stops a cell that waits for input, and reports to the test over a BroadcastChannel.
await customElements.whenDefined('py-cell');
const [setup, ask, wait, check] = ['setup', 'ask', 'wait', 'check'].map((id) => document.getElementById(id));
const text = (cell, part) => [...cell.shadowRoot.querySelectorAll(`[part="${part}"]`)].map((e) => e.textContent).join('');
const field = (cell) => cell.shadowRoot.querySelector('[part="input"]');
const until = async (predicate) => {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 10));
};
const prompts = [];
document.addEventListener('py-cell-input', (event) => prompts.push(event.detail.prompt));

await setup.run();
const asking = ask.run();
await until(() => field(ask));
field(ask).value = 'Ada';
field(ask).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
await asking;

const waiting = wait.run();
await until(() => field(wait));
const start = performance.now();
wait.stop();
const stopped = await waiting;
const stopMs = performance.now() - start;
await check.run();
new BroadcastChannel('py-cell-input-page').postMessage({
  isolated: crossOriginIsolated,
  hello: text(ask, 'stdout'),
  prompts,
  stop: { type: stopped.error?.type, ...(stopped.error?.failure ? { failure: stopped.error.failure } : {}) },
  stopMs,
  check: text(check, 'result'),
});
