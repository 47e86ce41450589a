// What the input test pages share: reading a cell's output, answering its input() field as a
// reader does (the field's own keydown), and stopping a run that waits for input.
export const text = (cell, part) => [...cell.shadowRoot.querySelectorAll(`[part="${part}"]`)].map((e) => e.textContent).join('');
export const field = (cell) => cell.shadowRoot.querySelector('[part="input"]');
export const until = async (predicate) => {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** Waits for the cell's field, then types `line` and Enter (`null`: Ctrl+D, the end of input). */
export async function answer(cell, line) {
  await until(() => field(cell));
  const input = field(cell);
  input.value = line ?? '';
  const key = line === null ? { key: 'd', ctrlKey: true } : { key: 'Enter' };
  input.dispatchEvent(new KeyboardEvent('keydown', { ...key, bubbles: true, composed: true, cancelable: true }));
  await until(() => field(cell) !== input || input.value === '');
}

/** Runs `cell`, stops it once it waits for input; its result, and the ms from Stop to the end. */
export async function stopWhileWaiting(cell) {
  const waiting = cell.run();
  await until(() => field(cell));
  const start = performance.now();
  cell.stop();
  const result = await waiting;
  return { result, ms: performance.now() - start };
}
