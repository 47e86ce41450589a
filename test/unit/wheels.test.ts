import { expect } from '@esm-bundle/chai';
import { readZipPaths, WheelIndex } from '../../runtime/engine/wheel-index.js';
import {
  findZipDirectory,
  incompatibility,
  isCompatible,
  isWheelReference,
  lockPlatform,
  parseWheelFile,
  topLevelNames,
  type WheelPlatform,
} from '../../runtime/shared/wheels.js';

const platform: WheelPlatform = { python: '3.14.2', abiVersion: '2026_0', platform: 'emscripten_5_0_3', arch: 'wasm32' };
const MYLIB = new URL('/test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl', location.href).href;
const NOT_A_WHEEL = new URL('/test/fixtures/wheels/notawheel-1.0.0-py3-none-any.whl', location.href).href;

describe('wheels', () => {
  it('tells wheel URLs from package names', () => {
    expect(isWheelReference('./wheels/mylib-1.0-py3-none-any.whl')).to.equal(true);
    expect(isWheelReference('https://x.test/a-1-py3-none-any.WHL?v=2#top')).to.equal(true);
    expect(isWheelReference('numpy')).to.equal(false);
    expect(isWheelReference('whl')).to.equal(false);
  });

  it('reads a wheel file name: normalised name, version and expanded tags', () => {
    expect(parseWheelFile('https://x.test/w/My_Lib-1.2-1-py2.py3-none-any.whl?x=1')).to.deep.equal({
      url: 'https://x.test/w/My_Lib-1.2-1-py2.py3-none-any.whl?x=1',
      file: 'My_Lib-1.2-1-py2.py3-none-any.whl',
      name: 'my-lib',
      version: '1.2',
      tags: ['py2-none-any', 'py3-none-any'],
    });
    expect(parseWheelFile('https://x.test/mylib.whl')).to.equal(null);
    expect(parseWheelFile('https://x.test/a-1--none-any.whl')).to.equal(null);
  });

  it("accepts pure-Python wheels and wheels built for Pyodide's ABI, refuses the others", () => {
    const ok = ['py3-none-any', 'py314-none-any', 'cp314-cp314-pyemscripten_2026_0_wasm32', 'cp312-abi3-pyemscripten_2026_0_wasm32'];
    for (const tag of ok) expect(isCompatible([tag], platform), tag).to.equal(true);
    const wrong = [
      'py2-none-any',
      'py315-none-any',
      'cp313-cp313-pyemscripten_2026_0_wasm32',
      'cp314-cp314-pyemscripten_2025_0_wasm32',
      'cp314-cp314-manylinux_2_17_x86_64',
      'cp315-abi3-pyemscripten_2026_0_wasm32',
    ];
    for (const tag of wrong) expect(isCompatible([tag], platform), tag).to.equal(false);
    expect(lockPlatform({ python: '3.14.2', abi_version: '2026_0', platform: 'emscripten_5_0_3', arch: 'wasm32' })).to.deep.equal(platform);
    expect(lockPlatform({})).to.equal(null);
  });

  it('says which tags a wrong wheel has and which are needed', () => {
    const wheel = parseWheelFile('https://x.test/wrongabi-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl')!;
    expect(incompatibility(wheel, platform)).to.equal(
      "it is built for cp312-cp312-manylinux_2_17_x86_64, but Pyodide's Python 3.14 needs a pure-Python wheel (py3-none-any) or one built for Pyodide (cp314-cp314-pyemscripten_2026_0_wasm32)",
    );
    expect(incompatibility(parseWheelFile('https://x.test/ok-1-py3-none-any.whl')!, platform)).to.equal(null);
  });

  it("lists a wheel's top-level modules, not its metadata", () => {
    const paths = [
      'mylib/__init__.py',
      'mylib/shapes.py',
      'mylib_extras.py',
      'fast.cpython-314-wasm32-emscripten.so',
      'mylib-1.0.dist-info/METADATA',
      'mylib-1.0.data/scripts/tool',
      'README.txt',
    ];
    expect(topLevelNames(paths)).to.deep.equal(['mylib', 'mylib_extras', 'fast']);
  });

  it("reads a real wheel's zip directory, whole or by ranges", async () => {
    expect(await readZipPaths(MYLIB, fetch)).to.include.members(['mylib/__init__.py', 'mylib_extras.py', 'mylib-1.0.0.dist-info/WHEEL']);
    // A server that honours ranges: the last 200 bytes hold the end record but not the whole
    // directory, which a second range brings.
    const whole = new Uint8Array(await (await fetch(MYLIB)).arrayBuffer());
    const requests: string[] = [];
    const ranged: typeof fetch = async (_input, init) => {
      const range = new Headers(init?.headers).get('range');
      requests.push(init?.method ?? range ?? 'GET');
      if (init?.method === 'HEAD') return new Response(null, { headers: { 'content-length': String(whole.length) } });
      const [, from, to] = /bytes=(\d+)-(\d*)/.exec(range ?? 'bytes=0-')!;
      const body = whole.slice(Number(from), to ? Number(to) + 1 : undefined);
      return new Response(body, {
        status: 206,
        headers: { 'content-range': `bytes ${from}-${Number(from) + body.length - 1}/${whole.length}` },
      });
    };
    const paths = await readZipPaths(MYLIB, ranged, 200);
    expect(paths).to.deep.equal(await readZipPaths(MYLIB, fetch));
    expect(requests).to.have.length(3);
    expect(requests.slice(0, 2)).to.deep.equal(['HEAD', `bytes=${whole.length - 200}-`]);
    expect(requests[2]).to.match(/^bytes=\d+-\d+$/);
  });

  it('fails clearly on a file that is not a zip archive', async () => {
    let message = '';
    await readZipPaths(NOT_A_WHEEL, fetch).catch((error: Error) => (message = error.message));
    expect(message).to.equal('it is not a wheel (not a zip archive)');
    expect(() => findZipDirectory(new Uint8Array(10))).to.throw('not a zip archive');
  });

  it('maps modules to wheels; a wheel it cannot read is listed under its own name', async () => {
    const index = new WheelIndex([parseWheelFile(MYLIB)!, parseWheelFile(NOT_A_WHEEL)!], fetch);
    const modules = await index.byModule();
    expect([...modules.keys()]).to.deep.equal(['mylib', 'mylib_extras', 'notawheel']);
    expect(modules.get('mylib_extras')?.url).to.equal(MYLIB);
    expect(index.byName('MyLib')?.url).to.equal(MYLIB);
    expect(index.byModule()).to.equal(index.byModule()); // read once
  });
});
