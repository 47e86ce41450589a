// Loaded by input-sw.html (not cross-origin isolated): input() through py-cell's service worker,
// which the test server serves at /py-cell-sw.js as a site would. Reports over a BroadcastChannel.
import { configure } from '../../dist/py-cell.js';
import { answer, field, stopWhileWaiting, text, until } from './reader.js';

configure({ inputServiceWorker: '/py-cell-sw.js' });
await customElements.whenDefined('py-cell');
const [ask, again, slow, wait, check] = ['ask', 'again', 'slow', 'wait', 'check'].map((id) => document.getElementById(id));

const asking = ask.run();
await answer(ask, 'Ada');
const first = await asking;
const reading = again.run();
await answer(again, 'one');
await new Promise((resolve) => setTimeout(resolve, 50));
await answer(again, null);
const second = await reading;
// A reader who takes longer than the service worker holds a request (20 s): the worker asks again.
const slowly = slow.run();
await until(() => field(slow));
await new Promise((resolve) => setTimeout(resolve, 21_000));
await answer(slow, 'my time');
const third = await slowly;

const { result: stopped, ms: stopMs } = await stopWhileWaiting(wait);
await check.run();
// Later pages of the test browser are not to be controlled by it.
await (await navigator.serviceWorker.getRegistration('/'))?.unregister();
new BroadcastChannel('py-cell-input-sw').postMessage({
  stop: { type: stopped.error?.type, failure: stopped.error?.failure ?? null, ms: stopMs },
  kept: text(check, 'result'),
  isolated: crossOriginIsolated,
  controlled: navigator.serviceWorker.controller !== null,
  statuses: [first.status, second.status, third.status],
  errors: [first.error?.message ?? null, second.error?.message ?? null, third.error?.message ?? null],
  outputs: [text(ask, 'stdout'), text(again, 'stdout'), text(slow, 'stdout')],
});
