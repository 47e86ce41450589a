import { expect } from '@esm-bundle/chai';
import { arrayText, formatBools, formatComplex, formatFloats, formatIntegers } from '../../cell/array-format.js';
import { DEFAULT_PRINT_OPTIONS } from '../../runtime/shared/array-payload.js';

const opts = DEFAULT_PRINT_OPTIONS;
const f64 = (values: number[], options = opts) => formatFloats(values, 64, options);

// Expected strings are what NumPy 2 prints for the same arrays (np.array2string elements).
describe('NumPy-style formatting', () => {
  it('prints whole floats with a trailing point', () => {
    expect(f64([1, 2, 10])).to.deep.equal([' 1.', ' 2.', '10.']);
  });

  it('pads fractions on the right with spaces (maxprec)', () => {
    expect(f64([1.5, 2.25])).to.deep.equal(['1.5 ', '2.25']);
    expect(f64([0.1, 0.2, 0.3])).to.deep.equal(['0.1', '0.2', '0.3']);
  });

  it('rounds to the precision, keeping the shortest unique digits', () => {
    expect(f64([Math.PI])).to.deep.equal(['3.14159265']);
    expect(f64([1 / 3, 2 / 3])).to.deep.equal(['0.33333333', '0.66666667']);
    expect(f64([0.1 + 0.2])).to.deep.equal(['0.3']);
  });

  it('prints nan, inf and negative zero like NumPy', () => {
    expect(f64([NaN, 1.5])).to.deep.equal(['nan', '1.5']);
    expect(f64([Infinity, -Infinity, 1])).to.deep.equal([' inf', '-inf', '  1.']);
    expect(f64([-0, 1])).to.deep.equal(['-0.', ' 1.']);
    expect(f64([NaN])).to.deep.equal(['nan']);
  });

  it('switches to scientific notation when the range needs it', () => {
    expect(f64([1e-5, 1])).to.deep.equal(['1.e-05', '1.e+00']);
    expect(f64([1.5e-5, 1])).to.deep.equal(['1.5e-05', '1.0e+00']);
    expect(f64([1e8])).to.deep.equal(['1.e+08']);
    expect(f64([1, 1001])).to.deep.equal(['1.000e+00', '1.001e+03']);
    expect(f64([1e-100, 1e100])).to.deep.equal(['1.e-100', '1.e+100']);
  });

  it('stays positional for small values when suppress is set', () => {
    expect(f64([1e-10, 1], { ...opts, suppress: true })).to.deep.equal(['0.', '1.']);
  });

  it('uses float32 shortest digits for float32 data', () => {
    expect(formatFloats([Math.fround(0.1), 2], 32, opts)).to.deep.equal(['0.1', '2. ']);
  });

  it('pads with zeros in maxprec_equal mode', () => {
    expect(f64([1.5, 2.25], { ...opts, floatmode: 'maxprec_equal' })).to.deep.equal(['1.50', '2.25']);
  });

  it('right-aligns integers, 64-bit ones given as strings', () => {
    expect(formatIntegers([1, -20, 300])).to.deep.equal(['  1', '-20', '300']);
    expect(formatIntegers(['18446744073709551615', '0'])).to.deep.equal(['18446744073709551615', '                   0']);
  });

  it('prints booleans as True and False', () => {
    expect(formatBools([1, 0])).to.deep.equal([' True', 'False']);
  });

  it('prints complex numbers with each part formatted as a group', () => {
    expect(formatComplex([1, 3], [2, -4.5], 64, opts)).to.deep.equal(['1.+2.j ', '3.-4.5j']);
  });

  it('writes summarised arrays as text with ellipses', () => {
    const payload = { kind: 'i' as const, bits: 32, printOptions: opts };
    expect(
      arrayText({
        ...payload,
        shape: [2, 2],
        index: [
          [0, 1],
          [0, 1],
        ],
        values: [1, 2, 3, 40],
      }),
    ).to.equal('[[ 1,  2],\n [ 3, 40]]');
    expect(arrayText({ ...payload, shape: [8], index: [[0, 1, 2, 5, 6, 7]], values: [0, 1, 2, 5, 6, 7] })).to.equal(
      '[0, 1, 2, ..., 5, 6, 7]',
    );
    expect(arrayText({ ...payload, shape: [0], index: [[]], values: [] })).to.equal('[]');
  });
});
