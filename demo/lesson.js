// The lesson's settings: input() through py-cell's service worker where the browser has no
// other way to wait (Safari on a page that is not cross-origin isolated).
import { configure } from '../dist/py-cell.js';

configure({ inputServiceWorker: '/py-cell-sw.js' });
