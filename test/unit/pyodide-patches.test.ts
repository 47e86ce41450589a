// The fixes py-cell makes to Pyodide's files as it copies them (scripts/copy-runtime.mjs), tested
// on the files it ships in wasm-dist/ (issue 21, finding 5): these tests fail on Pyodide's own.
import { expect } from '@esm-bundle/chai';

type Decode = (ptr: number, len: number) => string;

/** `_python2js_ascii` from the shipped `pyodide.asm.mjs`, over a heap that records what is read. */
async function shippedAscii(reads: Array<[number, number]>): Promise<Decode> {
  const source = await (await fetch('/wasm-dist/pyodide.asm.mjs')).text();
  const code = /function _python2js_ascii\(ptr,len\)\{[\s\S]*?\}_python2js_ascii\.sig=/
    .exec(source)?.[0]
    .replace(/_python2js_ascii\.sig=$/, '');
  if (!code) throw new Error('_python2js_ascii is not in wasm-dist/pyodide.asm.mjs');
  const heap = {
    subarray: (start: number, end: number) => {
      reads.push([start, end]);
      return new Uint8Array(Math.max(0, end - start)).fill(0x7a);
    },
  };
  const module = {
    HEAPU8: heap,
    handle_js_error: (error: unknown) => {
      throw error;
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the shipped function, evaluated to test it
  const load = new Function('Module', 'HEAPU8', `${code}; return _python2js_ascii;`) as (m: unknown, h: unknown) => Decode;
  return load(module, heap);
}

describe("Pyodide's files as py-cell ships them", () => {
  it('read strings past a 2 GiB heap from their real address (the pointer arrives negative)', async () => {
    const reads: Array<[number, number]> = [];
    const decode = await shippedAscii(reads);
    const address = 0x8000_1000; // past 2 GiB: WebAssembly passes it as a signed 32-bit number
    const text = decode(address | 0, 300_000);
    expect(reads).to.deep.equal([[address, address + 300_000]]);
    expect(text).to.equal('z'.repeat(300_000));
  });

  it('read strings below 2 GiB as before', async () => {
    const reads: Array<[number, number]> = [];
    const decode = await shippedAscii(reads);
    expect(decode(4096, 100)).to.equal('z'.repeat(100));
    expect(reads).to.deep.equal([[4096, 4196]]);
  });
});
