/**
 * The array payload: what the engine sends the page for an array it can show as a table, a
 * heatmap or an image, and NumPy's print options that go with it. Types and limits only; the
 * engine builds payloads (`engine/arrays.ts`), the cell layer formats them (`cell/array-format.ts`).
 */

export interface PrintOptions {
  threshold: number;
  edgeitems: number;
  precision: number;
  suppress: boolean;
  floatmode: string;
  nanstr: string;
  infstr: string;
}

export const DEFAULT_PRINT_OPTIONS: PrintOptions = {
  threshold: 1000,
  edgeitems: 3,
  precision: 8,
  suppress: false,
  floatmode: 'maxprec',
  nanstr: 'nan',
  infstr: 'inf',
};

/** `b` bool, `i` signed, `u` unsigned, `f` float, `c` complex (NumPy's dtype kinds). */
export type DtypeKind = 'b' | 'i' | 'u' | 'f' | 'c';

export interface ArrayPayload {
  /** e.g. `numpy.ndarray`, `memoryview`, `array.array`. */
  typeName: string;
  /** NumPy's name, e.g. `float64`. */
  dtype: string;
  kind: DtypeKind;
  /** Bits per element (per component for complex). */
  bits: number;
  shape: number[];
  size: number;
  /** Whether edges were kept and the middle left out. */
  summarized: boolean;
  /** Per dimension, the indices kept, ascending. A jump between two means an ellipsis. */
  index: number[][];
  /**
   * The kept elements, row-major over `index`. Numbers (booleans as 0/1, 64-bit integers as
   * decimal strings, complex as [re, im] pairs in sequence).
   */
  values: Array<number | string>;
  printOptions: PrintOptions;
  /** For 2-D real arrays: block means on a grid of at most `HEATMAP_MAX` per side. */
  heatmap?: { rows: number; cols: number; data: Float64Array; min: number; max: number };
  /** For H×W, H×W×3, H×W×4 uint8 arrays, or floats within 0..1: RGBA pixels. */
  image?: { width: number; height: number; data: Uint8ClampedArray; scaled: boolean };
}

export const HEATMAP_MAX = 200;
export const IMAGE_MAX = 1024;
