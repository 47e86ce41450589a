import { expect } from '@esm-bundle/chai';
import { checkRuntimeFiles, guardedStart, RuntimeFileFailure, watchInstantiation } from '../../runtime/engine/runtime-files.js';

const never = new Promise<never>(() => undefined);

describe('runtime file guards', () => {
  it('checks the files Pyodide does not report, and names the first missing one', async () => {
    const checked: string[] = [];
    await checkRuntimeFiles('http://runtime.test/dir/', async (url) => void checked.push(url));
    expect(checked).to.deep.equal([
      'http://runtime.test/dir/pyodide.asm.wasm',
      'http://runtime.test/dir/python_stdlib.zip',
      'http://runtime.test/dir/pyodide.asm.mjs',
    ]);
    const failed = checkRuntimeFiles('http://runtime.test/', async (url) => {
      if (url.endsWith('.zip')) throw new Error(`Could not load ${url}: HTTP 404`);
    });
    expect(await failed.catch((error: Error) => error.message)).to.equal('Could not load http://runtime.test/python_stdlib.zip: HTTP 404');
  });

  it('turns a wasm that does not compile into a failure naming it, and restores WebAssembly', async () => {
    const wasm = {
      instantiate: (..._args: unknown[]) => Promise.reject(new Error('bad section')),
      instantiateStreaming: undefined,
    };
    const original = wasm.instantiate;
    let instantiated = false;
    const watch = watchInstantiation('http://runtime.test/pyodide.asm.wasm', () => (instantiated = true), wasm);
    await wasm.instantiate().catch(() => undefined);
    const error = await watch.failed.catch((e: Error) => e);
    expect(error).to.be.instanceOf(RuntimeFileFailure);
    expect(error.message).to.equal('Could not compile http://runtime.test/pyodide.asm.wasm (truncated or corrupted?): bad section');
    expect(instantiated).to.equal(false);
    watch.restore();
    expect(wasm.instantiate).to.equal(original);
  });

  it('lets the start win when every guard holds', async () => {
    expect(
      await guardedStart(
        'w',
        Promise.resolve(),
        () => undefined,
        async () => 'pyodide',
      ),
    ).to.equal('pyodide');
  });

  it('fails a start that would wait forever, with the failed check', async () => {
    const checks = Promise.reject(new Error('Could not load http://runtime.test/python_stdlib.zip: HTTP 404'));
    checks.catch(() => undefined);
    const error = await guardedStart(
      'w',
      checks,
      () => undefined,
      () => never,
    ).catch((e: Error) => e);
    expect(error).to.be.instanceOf(RuntimeFileFailure);
    expect(error.message).to.contain('python_stdlib.zip: HTTP 404');
  });
});
