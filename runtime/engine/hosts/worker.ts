/** The dedicated module worker that hosts the Python engine. Built to `dist/py-cell-worker.js`. */
import { startWorker } from './worker-host.js';

startWorker();
