// Wheels an author copies into wasm-dist/ survive `npm run build` and are listed for the engine:
// the build's first step (scripts/copy-runtime.mjs) is run twice on a scratch runtime folder
// (out/), with the test wheels copied in between. The browser side (found by name and by module)
// is test/integration/wheels.test.ts.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export default async function build({ root, out }) {
  rmSync(out, { recursive: true, force: true });
  const copyRuntime = () =>
    execFileSync('node', [join(root, 'scripts/copy-runtime.mjs')], { env: { ...process.env, WASM_DIST: out }, stdio: 'pipe' });
  copyRuntime();
  const wheels = ['mylib-1.0.0-py3-none-any.whl', 'pycell_testext-0.1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl'];
  for (const wheel of wheels) copyFileSync(join(root, 'test/fixtures/wheels', wheel), join(out, wheel));
  copyRuntime();
  copyRuntime();
  const manifest = JSON.parse(readFileSync(join(out, 'py-cell-runtime.json'), 'utf8'));
  if (JSON.stringify(manifest.wheels) !== JSON.stringify(wheels))
    throw new Error(`local wheels: the build listed ${JSON.stringify(manifest.wheels)}`);
  for (const wheel of wheels) if (!existsSync(join(out, wheel))) throw new Error(`local wheels: the build removed ${wheel}`);
  console.log(`local-wheels: ${wheels.length} wheels in a runtime folder survived two builds and are listed`);
  rmSync(out, { recursive: true, force: true });
  return { page: null };
}
