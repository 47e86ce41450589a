/**
 * Array views read in place: given a buffer view over WebAssembly memory (Pyodide's
 * `getBuffer('dataview')`: byte offset, byte strides), build the small payload a cell shows —
 * the summarised elements for the table, a downsampled grid for the heatmap and an RGBA image —
 * without copying the whole buffer. Pure functions; the engine passes the real buffer.
 */
import {
  DEFAULT_PRINT_OPTIONS,
  HEATMAP_MAX,
  IMAGE_MAX,
  type ArrayPayload,
  type DtypeKind,
  type PrintOptions,
} from '../shared/array-payload.js';

/** What py-cell needs of Pyodide's `PyBufferView` obtained with type `dataview`. */
export interface BufferViewLike {
  format: string;
  itemsize: number;
  shape: number[];
  /** In bytes. */
  strides: number[];
  /** In bytes. */
  offset: number;
  data: DataView;
}

interface Dtype {
  kind: DtypeKind;
  bits: number;
  name: string;
  read(view: DataView, byteOffset: number, little: boolean): number | string;
  /** For complex: the imaginary part. */
  readImag?(view: DataView, byteOffset: number, little: boolean): number;
}

function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The integer dtype of `bytes` bytes, or `null` for a size NumPy does not have. */
const intType = (kind: 'i' | 'u', bytes: number): Dtype | null => {
  const name = `${kind === 'i' ? 'int' : 'uint'}${bytes * 8}`;
  const readers: Record<number, Dtype['read']> =
    kind === 'i'
      ? {
          1: (v, o) => v.getInt8(o),
          2: (v, o, l) => v.getInt16(o, l),
          4: (v, o, l) => v.getInt32(o, l),
          8: (v, o, l) => v.getBigInt64(o, l).toString(),
        }
      : {
          1: (v, o) => v.getUint8(o),
          2: (v, o, l) => v.getUint16(o, l),
          4: (v, o, l) => v.getUint32(o, l),
          8: (v, o, l) => v.getBigUint64(o, l).toString(),
        };
  const read = readers[bytes];
  return read ? { kind, bits: bytes * 8, name, read } : null;
};

/** A complex dtype of two `bits`-bit floats, real part first. */
const complexType = (bits: 32 | 64): Dtype => {
  const read: Dtype['read'] = bits === 32 ? (v, o, l) => v.getFloat32(o, l) : (v, o, l) => v.getFloat64(o, l);
  return { kind: 'c', bits, name: `complex${bits * 2}`, read, readImag: (v, o, l) => Number(read(v, o + bits / 8, l)) };
};

/** The dtype of a buffer format (struct codes; sizes from `itemsize`, as C `long` varies). */
export function dtypeOf(format: string, itemsize: number): { dtype: Dtype; little: boolean } | null {
  const little = !/^[>!]/.test(format);
  const code = format.replace(/^[@=<>!]/, '');
  let dtype: Dtype | null = null;
  if (code === '?') dtype = { kind: 'b', bits: 8, name: 'bool', read: (v, o) => v.getUint8(o) };
  else if ('bhilqn'.includes(code) && code.length === 1) dtype = intType('i', itemsize);
  else if ('BHILQN'.includes(code) && code.length === 1) dtype = intType('u', itemsize);
  else if (code === 'e') dtype = { kind: 'f', bits: 16, name: 'float16', read: (v, o, l) => float16(v.getUint16(o, l)) };
  else if (code === 'f') dtype = { kind: 'f', bits: 32, name: 'float32', read: (v, o, l) => v.getFloat32(o, l) };
  else if (code === 'd') dtype = { kind: 'f', bits: 64, name: 'float64', read: (v, o, l) => v.getFloat64(o, l) };
  else if (code === 'Zf') dtype = complexType(32);
  else if (code === 'Zd') dtype = complexType(64);
  if (!dtype) return null;
  const expected = dtype.kind === 'c' ? dtype.bits / 4 : dtype.kind === 'i' || dtype.kind === 'u' ? itemsize : dtype.bits / 8;
  if (itemsize !== expected || ![1, 2, 4, 8, 16].includes(itemsize)) return null;
  return { dtype, little };
}

/** Indices kept along an axis of length `n`: all, or the first and last `edge`. */
export function keptIndices(n: number, summarize: boolean, edge: number): number[] {
  if (!summarize || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), ...Array.from({ length: edge }, (_, i) => n - edge + i)];
}

function product(values: number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/** Builds the payload for a buffer view. Returns `null` for formats py-cell does not show. */
export function arrayPayload(
  view: BufferViewLike,
  meta: { typeName: string; dtype?: string; printOptions?: Partial<PrintOptions> },
): ArrayPayload | null {
  const found = dtypeOf(view.format, view.itemsize);
  if (!found) return null;
  const { dtype, little } = found;
  const printOptions = { ...DEFAULT_PRINT_OPTIONS, ...meta.printOptions };
  const shape = view.shape.slice();
  const size = product(shape);
  const summarized = size > printOptions.threshold;
  const index = shape.map((n) => keptIndices(n, summarized, printOptions.edgeitems));
  const values: Array<number | string> = [];
  const data = view.data;

  const visit = (dim: number, byteOffset: number) => {
    if (dim === shape.length) {
      values.push(dtype.read(data, byteOffset, little));
      if (dtype.readImag) values.push(dtype.readImag(data, byteOffset, little));
      return;
    }
    for (const i of index[dim]!) visit(dim + 1, byteOffset + i * view.strides[dim]!);
  };
  if (size > 0) visit(0, view.offset);

  const payload: ArrayPayload = {
    typeName: meta.typeName,
    dtype: meta.dtype ?? dtype.name,
    kind: dtype.kind,
    bits: dtype.bits,
    shape,
    size,
    summarized,
    index,
    values,
    printOptions,
  };
  if (shape.length === 2 && size > 0 && dtype.kind !== 'c') payload.heatmap = heatmap(view, dtype, little);
  const image = imageOf(view, dtype, little);
  if (image) payload.image = image;
  return payload;
}

/** Reads element (r, c) of a 2-D view (or (r, c, k) of a 3-D one) as a number. */
function reader(view: BufferViewLike, dtype: Dtype, little: boolean) {
  const [s0, s1, s2 = 0] = view.strides as [number, number, number?];
  return (r: number, c: number, k = 0): number => Number(dtype.read(view.data, view.offset + r * s0 + c * s1 + k * s2, little));
}

function heatmap(view: BufferViewLike, dtype: Dtype, little: boolean): NonNullable<ArrayPayload['heatmap']> {
  const [height, width] = view.shape as [number, number];
  const rows = Math.min(height, HEATMAP_MAX);
  const cols = Math.min(width, HEATMAP_MAX);
  const at = reader(view, dtype, little);
  const sums = new Float64Array(rows * cols);
  const counts = new Uint32Array(rows * cols);
  let min = Infinity;
  let max = -Infinity;
  // Block means over every element: one pass, no copy of the buffer.
  for (let r = 0; r < height; r++) {
    const gridRow = Math.floor((r * rows) / height) * cols;
    for (let c = 0; c < width; c++) {
      const value = at(r, c);
      if (!Number.isFinite(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
      const cell = gridRow + Math.floor((c * cols) / width);
      sums[cell]! += value;
      counts[cell]!++;
    }
  }
  const grid = new Float64Array(rows * cols);
  for (let i = 0; i < grid.length; i++) grid[i] = counts[i] ? sums[i]! / counts[i]! : NaN;
  return { rows, cols, data: grid, min: min === Infinity ? NaN : min, max: max === -Infinity ? NaN : max };
}

function imageOf(view: BufferViewLike, dtype: Dtype, little: boolean): ArrayPayload['image'] | undefined {
  const { shape } = view;
  const channels = shape.length === 2 ? 1 : shape.length === 3 ? shape[2]! : 0;
  if (!(channels === 1 || channels === 3 || channels === 4) || shape[0] === 0 || shape[1] === 0) return undefined;
  const isByte = dtype.kind === 'u' && dtype.bits === 8;
  if (!isByte && dtype.kind !== 'f') return undefined;
  const [height, width] = shape as [number, number];
  const at = reader(view, dtype, little);
  if (!isByte) {
    // Floats are an image only when every value lies within 0..1.
    for (let r = 0; r < height; r++)
      for (let c = 0; c < width; c++)
        for (let k = 0; k < channels; k++) {
          const value = at(r, c, k);
          if (!(value >= 0 && value <= 1)) return undefined;
        }
  }
  const scale = Math.min(1, IMAGE_MAX / Math.max(width, height));
  const outW = Math.max(1, Math.round(width * scale));
  const outH = Math.max(1, Math.round(height * scale));
  const pixels = new Uint8ClampedArray(outW * outH * 4);
  const toByte = isByte ? (v: number) => v : (v: number) => Math.round(v * 255);
  for (let y = 0; y < outH; y++) {
    const r = Math.min(height - 1, Math.floor(y / scale));
    for (let x = 0; x < outW; x++) {
      const c = Math.min(width - 1, Math.floor(x / scale));
      const p = (y * outW + x) * 4;
      if (channels === 1) {
        const v = toByte(at(r, c));
        pixels[p] = pixels[p + 1] = pixels[p + 2] = v;
        pixels[p + 3] = 255;
      } else {
        pixels[p] = toByte(at(r, c, 0));
        pixels[p + 1] = toByte(at(r, c, 1));
        pixels[p + 2] = toByte(at(r, c, 2));
        pixels[p + 3] = channels === 4 ? toByte(at(r, c, 3)) : 255;
      }
    }
  }
  return { width: outW, height: outH, data: pixels, scaled: scale < 1 };
}
