import { expect } from '@esm-bundle/chai';
import { arrayPayload, dtypeOf, keptIndices, type BufferViewLike } from '../../runtime/engine/arrays.js';

/** A stand-in for Pyodide's buffer view: C-contiguous data of `format` in a DataView. */
function view(
  format: string,
  itemsize: number,
  shape: number[],
  fill: (view: DataView, i: number, offset: number) => void,
): BufferViewLike {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new DataView(new ArrayBuffer(size * itemsize));
  for (let i = 0; i < size; i++) fill(data, i, i * itemsize);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1) * itemsize);
  return { format, itemsize, shape, strides, offset: 0, data };
}

const meta = { typeName: 'memoryview' };

describe('array payloads read from a buffer view', () => {
  it('names dtypes from buffer formats, sizes from itemsize', () => {
    expect(dtypeOf('l', 4)?.dtype.name).to.equal('int32');
    expect(dtypeOf('<q', 8)?.dtype.name).to.equal('int64');
    expect(dtypeOf('Zd', 16)?.dtype.name).to.equal('complex128');
    expect(dtypeOf('>d', 8)?.little).to.equal(false);
    expect(dtypeOf('T{d:x:}', 8)).to.equal(null);
    expect(dtypeOf('w', 4)).to.equal(null);
  });

  it('keeps edge items only past the threshold', () => {
    expect(keptIndices(6, true, 3)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(keptIndices(7, true, 3)).to.deep.equal([0, 1, 2, 4, 5, 6]);
    expect(keptIndices(8, true, 3)).to.deep.equal([0, 1, 2, 5, 6, 7]);
    expect(keptIndices(8, false, 3)).to.have.length(8);
  });

  it('is not summarised at exactly the threshold, and is one past it', () => {
    const at = arrayPayload(
      view('d', 8, [1000], (v, i, o) => v.setFloat64(o, i, true)),
      meta,
    )!;
    expect(at.summarized).to.equal(false);
    expect(at.values).to.have.length(1000);
    const past = arrayPayload(
      view('d', 8, [1001], (v, i, o) => v.setFloat64(o, i, true)),
      meta,
    )!;
    expect(past.summarized).to.equal(true);
    expect(past.index).to.deep.equal([[0, 1, 2, 998, 999, 1000]]);
    expect(past.values).to.deep.equal([0, 1, 2, 998, 999, 1000]);
  });

  it('follows strides and offsets (a non-contiguous view)', () => {
    const base = view('i', 4, [12], (v, i, o) => v.setInt32(o, i * 10, true));
    const every3rd = { ...base, shape: [4], strides: [12], offset: 4 };
    expect(arrayPayload(every3rd, meta)!.values).to.deep.equal([10, 40, 70, 100]);
  });

  it('reads complex, 64-bit, float16, bool and big-endian data', () => {
    const complex = view('Zd', 16, [2], (v, i, o) => {
      v.setFloat64(o, i + 1, true);
      v.setFloat64(o + 8, -(i + 1) / 2, true);
    });
    expect(arrayPayload(complex, meta)!.values).to.deep.equal([1, -0.5, 2, -1]);
    const big = view('Q', 8, [1], (v, _i, o) => v.setBigUint64(o, 2n ** 64n - 1n, true));
    expect(arrayPayload(big, meta)!.values).to.deep.equal(['18446744073709551615']);
    const half = view('e', 2, [2], (v, i, o) => v.setUint16(o, i ? 0xbc00 : 0x3c00, true));
    expect(arrayPayload(half, meta)!.values).to.deep.equal([1, -1]);
    const bool = view('?', 1, [2], (v, i, o) => v.setUint8(o, i));
    expect(arrayPayload(bool, meta)!).to.include({ dtype: 'bool', kind: 'b' });
    const bigEndian = view('>i', 4, [1], (v, _i, o) => v.setInt32(o, 7, false));
    expect(arrayPayload(bigEndian, meta)!.values).to.deep.equal([7]);
  });

  it('prefers the dtype name NumPy gives', () => {
    const payload = arrayPayload(
      view('l', 4, [1], () => undefined),
      { typeName: 'numpy.ndarray', dtype: 'int32' },
    )!;
    expect(payload.dtype).to.equal('int32');
  });

  it('makes a heatmap of block means with the true min and max', () => {
    const payload = arrayPayload(
      view('d', 8, [400, 2], (v, i, o) => v.setFloat64(o, i, true)),
      meta,
    )!;
    const heat = payload.heatmap!;
    expect([heat.rows, heat.cols, heat.min, heat.max]).to.deep.equal([200, 2, 0, 799]);
    expect(heat.data[0]).to.equal((0 + 2) / 2); // rows 0 and 1 of column 0
  });

  it('makes an image of uint8 H×W×3 data, and of floats only within 0..1', () => {
    const rgb = arrayPayload(
      view('B', 1, [1, 2, 3], (v, i, o) => v.setUint8(o, i * 40)),
      meta,
    )!;
    expect(Array.from(rgb.image!.data)).to.deep.equal([0, 40, 80, 255, 120, 160, 200, 255]);
    const unit = arrayPayload(
      view('d', 8, [1, 2], (v, i, o) => v.setFloat64(o, i, true)),
      meta,
    )!;
    expect(Array.from(unit.image!.data)).to.deep.equal([0, 0, 0, 255, 255, 255, 255, 255]);
    const outside = arrayPayload(
      view('d', 8, [1, 2], (v, i, o) => v.setFloat64(o, i * 2, true)),
      meta,
    )!;
    expect(outside.image).to.equal(undefined);
    const large = arrayPayload(
      view('B', 1, [10, 3000], () => undefined),
      meta,
    )!;
    expect([large.image!.width, large.image!.scaled]).to.deep.equal([1024, true]);
  });

  it('handles 0-d and empty views', () => {
    const scalar = arrayPayload(
      view('d', 8, [], (v, _i, o) => v.setFloat64(o, 2.5, true)),
      meta,
    )!;
    expect([scalar.size, scalar.values]).to.deep.equal([1, [2.5]]);
    const empty = arrayPayload(
      view('d', 8, [0, 3], () => undefined),
      meta,
    )!;
    expect([empty.size, empty.values, empty.heatmap]).to.deep.equal([0, [], undefined]);
  });
});
