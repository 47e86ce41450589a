// Shared by the benchmark pages: long-task tracking from navigation start, and the report.
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });

/** Main-thread blocking time: the sum over long tasks of their time beyond 50 ms. */
export function blockingTime() {
  return window.__longTasks.reduce((sum, duration) => sum + Math.max(0, duration - 50), 0);
}

export function report(values) {
  window.__bench = { ...values, blockingMs: blockingTime(), longestTaskMs: Math.max(0, ...window.__longTasks) };
  document.title = 'done';
}

export const cells = () => [...document.querySelectorAll('py-cell')];
export const text = (cell, part) => [...cell.shadowRoot.querySelectorAll(`[part="${part}"]`)].map((e) => e.textContent).join('');
