// A classic script, loaded in <head> before any module script: the observer is registered before
// py-cell.js is evaluated, so the page's own start-up tasks are counted too.
window.__longTasks = [];
window.__longTaskObserver = new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries()));
window.__longTaskObserver.observe({ type: 'longtask', buffered: true });
