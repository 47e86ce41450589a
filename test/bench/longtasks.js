// A classic script, loaded in <head> before any module script: the observer is registered before
// py-cell.js is evaluated, so the page's own start-up tasks are counted too.
// Firefox has no long-task entries: there the figures that need them are left out (null).
window.__longTasks = [];
window.__longTaskObserver = PerformanceObserver.supportedEntryTypes?.includes('longtask')
  ? new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries()))
  : null;
window.__longTaskObserver?.observe({ type: 'longtask', buffered: true });
