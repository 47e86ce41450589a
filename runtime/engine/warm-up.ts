/**
 * The unseen run that ends a boot no run waits for (a preload, `BootOptions.warmUp`): it prints
 * and shows a value, so the reader's first run takes paths that have already run once. Its output
 * is dropped (its run number is `WARM_UP_RUN`) and its session forgotten.
 */
import type { BootTimings } from '../shared/protocol.js';
import { toPlain, type Runner } from './python-bridge.js';

const WARM_UP = { code: 'print("warm-up")\n[1, 2.5, "text", {"key": None}]', session: '\0warm-up', run: -1 };

/** The run number the warm-up's output carries: the engine drops it. */
export const WARM_UP_RUN = WARM_UP.run;

/**
 * Runs `WARM_UP` and drops its output and its session; its time goes to `timings.warmUp`. A
 * failure only leaves the first run slower.
 */
export async function warmUp(runner: Runner, timings: BootTimings): Promise<void> {
  const start = performance.now();
  try {
    runner.find_imports(WARM_UP.code).destroy();
    const result = await runner.run(WARM_UP.code, WARM_UP.session, '<cell warm-up>', WARM_UP.run);
    result.toJs(toPlain);
    result.destroy();
    runner.forget(WARM_UP.session);
  } catch {
    // nothing to report: the reader asked for nothing
  }
  timings.warmUp = Math.round((performance.now() - start) * 10) / 10;
}
