import { expect } from '@esm-bundle/chai';
import { afterRestoreCode } from '../../runtime/engine/snapshot.js';
import { addCell, partText, runtimeWhere as runtime } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');

// What a program could notice about the interpreter it runs in.
const PROBE = `
import json, locale, os, sys, time, pycell, pyodide.ffi
time.sleep(0.01)  # suspends through WebAssembly stack switching, which a start records
print(json.dumps({
    "can_run_sync": pyodide.ffi.can_run_sync(),
    "version": sys.version, "path": sys.path, "cwd": os.getcwd(), "environ": dict(os.environ),
    "argv": sys.argv, "executable": sys.executable, "flags": list(sys.flags), "platform": sys.platform,
    "encoding": [sys.getdefaultencoding(), sys.getfilesystemencoding(), locale.getpreferredencoding()],
    "recursionlimit": sys.getrecursionlimit(), "pycell": sorted(n for n in dir(pycell) if not n.startswith("_")),
    "main": sorted(n for n in vars(sys.modules["__main__"]) if not n.startswith("__")),
}, sort_keys=True))
`;

async function probe(config: Parameters<typeof configure>[0]): Promise<Record<string, unknown>> {
  configure(config);
  const cell = addCell(PROBE);
  const result = await cell.run();
  await cell.updateComplete;
  expect(result.status, partText(cell, 'error')).to.equal('done');
  return JSON.parse(partText(cell, 'stdout')) as Record<string, unknown>;
}

describe('the interpreter snapshot made at build time', () => {
  afterEach(() => {
    configure({ snapshot: true, stallTimeout: 30 });
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  it('is restored, and the interpreter it gives matches one started normally', async () => {
    const restored = await probe({ snapshot: true, stallTimeout: 30 });
    const started = await probe({ snapshot: false, stallTimeout: 30 });
    expect(runtime('|30|true|').stats.snapshot).to.deep.equal({ used: true });
    expect(runtime('|30|false|').stats.snapshot).to.deep.equal({ used: false, reason: 'turned off' });
    expect(restored).to.deep.equal(started);
  });

  it('does not give every page the same random numbers', async () => {
    const draw = async (stallTimeout: number) => {
      configure({ snapshot: true, stallTimeout });
      const cell = addCell('import random, tempfile\nprint(random.random(), tempfile.mktemp())');
      await cell.run();
      expect(runtime(`|${stallTimeout}|true|`).stats.snapshot).to.deep.equal({ used: true });
      return partText(cell, 'stdout');
    };
    const [first, second] = [await draw(31), await draw(32)];
    expect(first).to.match(/^0\.\d+ \/tmp\/tmp\w+\n$/);
    expect(second).to.match(/^0\.\d+ \/tmp\/tmp\w+\n$/);
    // Neither the numbers nor the temporary file names (the build installs a wheel in a temporary folder).
    expect(first.split(' ')[0]).not.to.equal(second.split(' ')[0]);
    expect(first.split(' ')[1]).not.to.equal(second.split(' ')[1]);
  });

  // Issue 14, part 3: the first install after a restore took 0.5-0.9 s in Chromium (0.25-0.35 s
  // after a normal start), compiling the modules the installer imports only then.
  it('already holds what a first package install imports, so that install compiles no module', async () => {
    const importedByInstall = async (snapshot: boolean, session: string) => {
      configure({ snapshot, stallTimeout: 30 });
      const first = addCell('import sys\nbefore = set(sys.modules)', { session });
      await first.run();
      const cell = addCell("import mylib.shapes\nsorted(m for m in set(sys.modules) - before if m.split('.')[0] != 'mylib')", {
        session,
        packages: '/test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl',
      });
      const result = await cell.run();
      expect(result.status, partText(cell, 'error')).to.equal('done');
      expect(runtime(`|30|${snapshot}|`).stats.snapshot?.used).to.equal(snapshot);
      return partText(cell, 'result');
    };
    expect(await importedByInstall(true, 'restored')).to.equal('[]');
    // After a normal start the same install imports them: the check above can fail.
    expect(await importedByInstall(false, 'started'))
      .to.contain("'importlib.metadata'")
      .and.to.contain("'tarfile'");
  });

  it("keeps py-cell's own modules from the snapshot when they are the worker's, and drops them when not", async () => {
    configure({ snapshot: true, stallTimeout: 33 });
    const kept = addCell('import sys\nprint(hasattr(sys.modules["pycell"], "_snapshot_sources"))');
    await kept.run();
    expect(runtime('|33|true|').stats.snapshot).to.deep.equal({ used: true });
    expect(partText(kept, 'stdout')).to.equal('True\n');
    // A snapshot made from other sources: what a restore runs drops them (the next run imports the worker's).
    const stale = addCell(`import sys, pycell
pycell._snapshot_sources = {"__init__.py": "an older version"}
exec(${JSON.stringify(afterRestoreCode([]))}, {})
print(sorted(name for name in sys.modules if name.startswith("pycell")))`);
    await stale.run();
    expect(partText(stale, 'stdout')).to.equal('[]\n');
  });
});
