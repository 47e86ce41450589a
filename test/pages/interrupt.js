// Loaded by interrupt.html (served cross-origin isolated): stops a running loop through the
// interrupt buffer and reports to the test over a BroadcastChannel.
await customElements.whenDefined('py-cell');
const [setup, loop, check] = ['setup', 'loop', 'check'].map((id) => document.getElementById(id));
const text = (cell, part) => [...cell.shadowRoot.querySelectorAll(`[part="${part}"]`)].map((e) => e.textContent).join('');
await setup.run();
const running = loop.run();
while (loop.status !== 'running' || !text(loop, 'stdout').includes('looping')) await new Promise((r) => setTimeout(r, 20));
const start = performance.now();
loop.stop();
const stopped = await running;
const stopMs = performance.now() - start;
await check.run();
const usableMs = performance.now() - start;
new BroadcastChannel('py-cell-interrupt').postMessage({
  isolated: crossOriginIsolated,
  stopMs,
  usableMs,
  error: stopped.error,
  check: text(check, 'result'),
});
