/**
 * Checks of the data behind py-cell's own MIME types before a renderer trusts it. The engine is
 * the only producer, but a renderer must never throw on a value of the wrong shape (a stale or
 * tampered page, a bug): such a value is skipped and the bundle's next MIME type is shown.
 */
import type { ArrayPayload } from '../runtime/shared/array-payload.js';
import type { RunError } from '../runtime/shared/protocol.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isCounts = (value: unknown): value is number[] => Array.isArray(value) && value.every(isCount);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The largest picture an array view paints, per side (the engine downsamples to less). */
const MAX_SIDE = 4096;
/** The largest canvas a cell shows, per side (browsers refuse far larger ones, or take seconds). */
export const MAX_CANVAS_SIDE = 8192;
/** The most elements an array's table holds (the engine sends far fewer: NumPy's summary). */
export const MAX_ARRAY_VALUES = 200_000;
/** NumPy's own limit on dimensions. */
const MAX_DIMENSIONS = 64;

/** `index` (the kept indices per axis) is ascending within `shape`, and `values` holds exactly those elements. */
function isConsistent(shape: number[], size: number, index: number[][], values: unknown[], complex: boolean): boolean {
  if (shape.length > MAX_DIMENSIONS) return false;
  if (shape.reduce((a, b) => a * b, 1) !== size) return false;
  let kept = 1;
  for (let axis = 0; axis < shape.length; axis++) {
    const axisIndex = index[axis]!;
    if (axisIndex.some((i, k) => i >= shape[axis]! || (k > 0 && i <= axisIndex[k - 1]!))) return false;
    kept *= axisIndex.length;
    if (kept > MAX_ARRAY_VALUES) return false;
  }
  return values.length === kept * (complex ? 2 : 1);
}

function isHeatmap(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { rows, cols, data, min, max } = value;
  return (
    isCount(rows) &&
    isCount(cols) &&
    rows <= MAX_SIDE &&
    cols <= MAX_SIDE &&
    isFiniteNumber(min) &&
    isFiniteNumber(max) &&
    (data instanceof Float64Array || Array.isArray(data)) &&
    data.length === rows * cols
  );
}

function isImage(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { width, height, data } = value;
  return (
    isCount(width) &&
    isCount(height) &&
    width > 0 &&
    height > 0 &&
    width <= MAX_SIDE &&
    height <= MAX_SIDE &&
    (data instanceof Uint8ClampedArray || data instanceof Uint8Array || Array.isArray(data)) &&
    data.length === width * height * 4
  );
}

/** Whether `value` is an array view's payload the view can show. */
export function isArrayPayload(value: unknown): value is ArrayPayload {
  if (!isObject(value)) return false;
  const { typeName, dtype, kind, bits, shape, size, summarized, index, values, printOptions, heatmap, image } = value;
  return (
    typeof typeName === 'string' &&
    typeof dtype === 'string' &&
    typeof kind === 'string' &&
    ['b', 'i', 'u', 'f', 'c'].includes(kind) &&
    isCount(bits) &&
    isCounts(shape) &&
    isCount(size) &&
    typeof summarized === 'boolean' &&
    Array.isArray(index) &&
    index.length === shape.length &&
    index.every(isCounts) &&
    Array.isArray(values) &&
    values.every((item) => typeof item === 'number' || typeof item === 'string') &&
    isConsistent(shape, size, index, values, kind === 'c') &&
    isObject(printOptions) &&
    (heatmap === undefined || isHeatmap(heatmap)) &&
    (image === undefined || isImage(image))
  );
}

/** Whether `value` describes a canvas: `{id, width, height}`. */
export function isCanvasData(value: unknown): value is { id: number; width: number; height: number } {
  return (
    isObject(value) &&
    isCount(value['id']) &&
    isCount(value['width']) &&
    isCount(value['height']) &&
    value['width'] <= MAX_CANVAS_SIDE &&
    value['height'] <= MAX_CANVAS_SIDE
  );
}

/** The error in a bundle's error MIME entry (JSON), or `null` when it is not one. */
export function parseRunError(data: unknown): RunError | null {
  let value: unknown;
  try {
    value = typeof data === 'string' ? JSON.parse(data) : data;
  } catch {
    return null;
  }
  if (
    !isObject(value) ||
    typeof value['type'] !== 'string' ||
    typeof value['message'] !== 'string' ||
    typeof value['traceback'] !== 'string'
  )
    return null;
  return { type: value['type'], message: value['message'], traceback: value['traceback'] };
}
