// Loaded by csp.html (served with a strict Content-Security-Policy): runs its cells and reports.
await customElements.whenDefined('py-cell');
const violations = [];
document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
const cells = [...document.querySelectorAll('py-cell')];
const results = [];
for (const cell of cells) results.push((await cell.run()).status);
// The charts (Vega-Lite, Plotly) and the formula, drawn by their lazily loaded renderers.
const until = async (predicate) => {
  for (let i = 0; i < 600 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return predicate();
};
const math = () => cells[2].shadowRoot.querySelector('py-cell-math')?.shadowRoot;
const plotly = () => cells[2].shadowRoot.querySelectorAll('py-cell-chart')[0]?.shadowRoot?.querySelector('.target .main-svg');
const chart = () => cells[2].shadowRoot.querySelectorAll('py-cell-chart')[1]?.shadowRoot?.querySelector('.target');
await until(() => chart()?.querySelector('svg .mark-symbol path') && math()?.querySelector('.katex') && plotly());
const text = (cell, part) => [...cell.shadowRoot.querySelectorAll(`[part="${part}"]`)].map((e) => e.textContent).join('');
new BroadcastChannel('py-cell-csp').postMessage({
  results,
  outputs: cells.map((cell) => text(cell, 'stdout') + text(cell, 'result')),
  violations,
  plotly: Boolean(plotly()),
  points: chart()?.querySelectorAll('svg .mark-symbol path').length ?? 0,
  formula: math()?.querySelector('math annotation')?.textContent ?? '',
});
