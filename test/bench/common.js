// Shared by the benchmark pages: long tasks (observed by longtasks.js from the page's start), and
// the report.
const longTasks = window.__longTasks;
const observer = window.__longTaskObserver;

/**
 * Waits until the task that is running now has ended and its long-task entry, if any, has been
 * delivered. A long task is reported only once it ends: reading the list from inside it (as a page
 * that prints from a synchronous boot does) would miss it.
 */
export async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setTimeout(resolve, 50));
  longTasks.push(...(observer?.takeRecords() ?? []));
}

/** Long tasks that started in [from, to). */
export const tasksBetween = (from, to) => longTasks.filter((task) => task.startTime >= from && task.startTime < to);

/** Main-thread blocking time: the sum over long tasks of their time beyond 50 ms. */
export const blockingTime = (tasks) => tasks.reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0);
export const longest = (tasks) => Math.max(0, ...tasks.map((task) => task.duration));

/** The runtimes py-cell booted on this page (its registry is global). */
export const runtimes = () => [...(globalThis[Symbol.for('py-cell.runtimes')]?.values() ?? [])];

/**
 * Reports the page's figures to the benchmark driver. Blocking time counts the long tasks from
 * navigation until `until` (the first output, by default the report itself).
 */
export async function report(values, until = performance.now()) {
  await settle();
  const tasks = tasksBetween(0, until);
  const stats = runtimes()[0]?.stats;
  window.__bench = {
    ...values,
    ...(stats ? { boot: stats.bootTimings, snapshot: stats.snapshot } : {}),
    blockingMs: observer ? blockingTime(tasks) : null,
    longestTaskMs: observer ? longest(tasks) : null,
  };
  document.title = 'done';
}

export const cells = () => [...document.querySelectorAll('py-cell')];
export const text = (cell, part) => [...cell.shadowRoot.querySelectorAll(`[part="${part}"]`)].map((e) => e.textContent).join('');
