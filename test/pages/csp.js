// Loaded by csp.html (served with a strict Content-Security-Policy): runs its cells and reports.
await customElements.whenDefined('py-cell');
const violations = [];
document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
const cells = [...document.querySelectorAll('py-cell')];
const results = [];
for (const cell of cells) results.push((await cell.run()).status);
const text = (cell, part) => [...cell.shadowRoot.querySelectorAll(`[part="${part}"]`)].map((e) => e.textContent).join('');
new BroadcastChannel('py-cell-csp').postMessage({
  results,
  outputs: cells.map((cell) => text(cell, 'stdout') + text(cell, 'result')),
  violations,
});
