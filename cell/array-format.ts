/**
 * Formats array elements the way NumPy prints them (its `FloatingFormat`, `IntegerFormat`,
 * `BoolFormat` and `ComplexFloatingFormat`): one shared format per group of values (a table
 * column), positional or scientific notation chosen from the range, `nan`, `inf`, `-0.`.
 */
import type { DtypeKind, PrintOptions } from '../runtime/shared/array-payload.js';

type Options = Pick<PrintOptions, 'precision' | 'suppress' | 'floatmode' | 'nanstr' | 'infstr'>;

/** The shortest decimal digits and exponent that read back as `x` at the given float width. */
function shortest(x: number, bits: number): { digits: string; exponent: number } {
  let text: string;
  if (bits === 64) {
    text = Math.abs(x).toExponential();
  } else {
    const round = bits === 32 ? Math.fround : ((Math as unknown as { f16round?: (v: number) => number }).f16round ?? ((v: number) => v));
    const max = bits === 32 ? 9 : 5;
    text = Math.abs(x).toExponential(max - 1);
    for (let p = 1; p <= max; p++) {
      const candidate = Math.abs(x).toExponential(p - 1);
      if (round(Number(candidate)) === Math.abs(round(x))) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa, exp] = text.split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, exponent: Number(exp) };
}

/** Rounds a digit string to `count` significant digits (half to even is not needed here). */
function roundDigits(digits: string, exponent: number, keep: number): { digits: string; exponent: number } {
  if (digits.length <= keep) return { digits, exponent };
  if (keep <= 0) {
    // Everything is cut: round at the first digit.
    return Number(digits[0]) >= 5 ? { digits: '1', exponent: exponent + 1 } : { digits: '0', exponent };
  }
  const head = digits.slice(0, keep).split('').map(Number);
  if (Number(digits[keep]) >= 5) {
    let i = head.length - 1;
    while (i >= 0 && head[i] === 9) head[i--] = 0;
    if (i < 0) {
      head.unshift(1);
      exponent++;
      head.pop();
    } else head[i]!++;
  }
  const result = head.join('').replace(/0+$/, '') || '0';
  return { digits: result, exponent };
}

/** Positional text of |x| with at most `precision` fractional digits (all, when `unique`). */
function positional(x: number, bits: number, precision: number, unique: boolean): { int: string; frac: string } {
  let { digits, exponent } = shortest(x, bits);
  if (!unique) {
    const fixed = Math.abs(x).toFixed(Math.min(precision, 100));
    const [int, frac = ''] = fixed.split('.');
    return { int: int!, frac };
  }
  // Digits before the point: exponent + 1. Keep at most `precision` after it.
  ({ digits, exponent } = roundDigits(digits, exponent, exponent + 1 + precision));
  if (digits === '0') return { int: '0', frac: '' };
  const point = exponent + 1;
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  return { int, frac: frac.replace(/0+$/, '') };
}

function scientific(x: number, bits: number, precision: number, unique: boolean): { mantissa: string; exp: number } {
  let { digits, exponent } = shortest(x, bits);
  ({ digits, exponent } = roundDigits(digits, exponent, unique ? precision + 1 : precision + 1));
  if (!unique) digits = digits.padEnd(precision + 1, '0');
  return { mantissa: digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}.`, exp: exponent };
}

/** Formats floats sharing one format, as NumPy does for an array. */
export function formatFloats(values: number[], bits: number, options: Options, sign: '-' | '+' = '-'): string[] {
  const { precision, suppress, floatmode } = options;
  const unique = floatmode !== 'fixed';
  const finite = values.filter(Number.isFinite);
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  let exp = false;
  if (nonzero.length > 0) {
    const max = Math.max(...nonzero);
    const min = Math.min(...nonzero);
    exp = max >= 1e8 || (!suppress && (min < 0.0001 || max / min > 1000));
  }
  const signOf = (v: number) => (v < 0 || Object.is(v, -0) ? '-' : sign === '+' ? '+' : '');
  const nonFinite = (v: number) => (Number.isNaN(v) ? options.nanstr : `${v < 0 ? '-' : sign === '+' ? '+' : ''}${options.infstr}`);
  let parts: Array<string | null>;
  if (exp) {
    const sci = values.map((v) => (Number.isFinite(v) ? scientific(v, bits, precision, unique) : null));
    const fracLen = Math.max(0, ...sci.map((s) => (s ? s.mantissa.split('.')[1]!.length : 0)));
    const expLen = Math.max(2, ...sci.map((s) => (s ? String(Math.abs(s.exp)).length : 0)));
    parts = values.map((v, i) => {
      const s = sci[i];
      if (!s) return null;
      const [int, frac] = s.mantissa.split('.') as [string, string];
      return `${signOf(v)}${int}.${frac.padEnd(fracLen, '0')}e${s.exp < 0 ? '-' : '+'}${String(Math.abs(s.exp)).padStart(expLen, '0')}`;
    });
  } else {
    const pos = values.map((v) => (Number.isFinite(v) ? positional(v, bits, precision, unique) : null));
    const intLen = Math.max(
      0,
      ...values.map((v, i) => {
        const p = pos[i];
        return p ? signOf(v).length + p.int.length : 0;
      }),
    );
    const fracLen = Math.max(0, ...pos.map((p) => (p ? p.frac.length : 0)));
    const padFrac = floatmode === 'maxprec_equal' || floatmode === 'fixed' ? '0' : ' ';
    parts = values.map((v, i) => {
      const p = pos[i];
      if (!p) return null;
      return `${(signOf(v) + p.int).padStart(intLen)}.${p.frac.padEnd(fracLen, padFrac)}`;
    });
  }
  const width = Math.max(
    0,
    ...parts.map((p) => (p ? p.length : 0)),
    ...values.filter((v) => !Number.isFinite(v)).map((v) => nonFinite(v).length),
  );
  return values.map((v, i) => (parts[i] ?? nonFinite(v)).padStart(width));
}

export function formatIntegers(values: Array<number | string>): string[] {
  const texts = values.map(String);
  const width = Math.max(0, ...texts.map((t) => t.length));
  return texts.map((t) => t.padStart(width));
}

export function formatBools(values: Array<number | string>): string[] {
  const texts = values.map((v) => (Number(v) ? 'True' : 'False'));
  const width = Math.max(0, ...texts.map((t) => t.length));
  return texts.map((t) => t.padStart(width));
}

/** Complex values as NumPy prints them: `1.+2.j`, each part formatted as its own group. */
export function formatComplex(real: number[], imag: number[], bits: number, options: Options): string[] {
  const re = formatFloats(real, bits, options);
  const im = formatFloats(imag, bits, options, '+').map((text) => text.trim());
  const texts = re.map((r, i) => `${r}${im[i]}j`);
  const width = Math.max(0, ...texts.map((t) => t.length));
  return texts.map((t) => t.padEnd(width));
}

/** Formats one group of elements of a dtype kind (complex values as [re, im] pairs). */
export function formatGroup(kind: DtypeKind, bits: number, values: Array<number | string>, options: Options): string[] {
  switch (kind) {
    case 'b':
      return formatBools(values);
    case 'i':
    case 'u':
      return formatIntegers(values);
    case 'f':
      return formatFloats(values as number[], bits, options);
    case 'c': {
      const real: number[] = [];
      const imag: number[] = [];
      for (let i = 0; i < values.length; i += 2) {
        real.push(values[i] as number);
        imag.push(values[i + 1] as number);
      }
      return formatComplex(real, imag, bits, options);
    }
  }
}

/**
 * The array as NumPy-style text (`[[0., 1.], [2., 3.]]`, `...` where summarised), from the
 * summarised payload: the text view of buffers whose own repr would list every element.
 */
export function arrayText(payload: {
  kind: DtypeKind;
  bits: number;
  shape: number[];
  index: number[][];
  values: Array<number | string>;
  printOptions: Options;
}): string {
  const { kind, bits, shape, index, values, printOptions } = payload;
  // One shared format for the whole array, as NumPy prints it (complex values come in pairs).
  const texts = formatGroup(kind, bits, values, printOptions);
  if (shape.length === 0) return texts[0] ?? '';
  if (shape.includes(0)) return `[]`;
  let next = 0;
  const level = (dim: number): string => {
    const parts: string[] = [];
    index[dim]!.forEach((value, position) => {
      if (position > 0 && value - index[dim]![position - 1]! > 1) parts.push('...');
      parts.push(dim === shape.length - 1 ? texts[next++]! : level(dim + 1));
    });
    const separator = dim === shape.length - 1 ? ', ' : `,${'\n'.repeat(shape.length - 1 - dim)}${' '.repeat(dim + 1)}`;
    return `[${parts.join(separator)}]`;
  };
  return level(0);
}
