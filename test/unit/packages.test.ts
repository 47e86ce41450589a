import { expect } from '@esm-bundle/chai';
import {
  canonicalName,
  importIndex,
  lockIntegrity,
  planPackages,
  scanImports,
  withDependencies,
  withPackageSources,
  type Lock,
} from '../../runtime/shared/packages.js';

const pkg = (name: string, imports: string[], depends: string[] = []) => ({
  name,
  file_name: `${name}-1.0-py3-none-any.whl`,
  imports,
  depends,
});

const lock: Lock = {
  info: { python: '3.14' },
  packages: {
    numpy: pkg('numpy', ['numpy']),
    'scikit-learn': pkg('scikit-learn', ['sklearn'], ['numpy']),
    pillow: { ...pkg('Pillow', ['PIL']), file_name: 'https://example.test/pillow.whl' },
  },
};

describe('packages', () => {
  it('takes names that Object.prototype has for unknown packages, like any other', () => {
    const plan = planPackages(lock, ['constructor', 'toString', '__proto__', 'hasOwnProperty'], [], () => false);
    expect(plan).to.deep.equal({ load: [], unknown: ['constructor', 'toString', '__proto__', 'hasOwnProperty'] });
  });

  it('canonicalName normalises like PEP 503', () => {
    expect(canonicalName('Scikit_Learn')).to.equal('scikit-learn');
    expect(canonicalName('a.b--c')).to.equal('a-b-c');
  });

  it('points wheels at wasm-dist when present, else at the package URL', () => {
    const rewritten = withPackageSources(lock, ['numpy-1.0-py3-none-any.whl'], 'https://packages.test/full');
    expect(rewritten.packages['numpy']!.file_name).to.equal('numpy-1.0-py3-none-any.whl');
    expect(rewritten.packages['scikit-learn']!.file_name).to.equal('https://packages.test/full/scikit-learn-1.0-py3-none-any.whl');
    expect(rewritten.packages['pillow']!.file_name).to.equal('https://example.test/pillow.whl');
    expect(lock.packages['scikit-learn']!.file_name).to.equal('scikit-learn-1.0-py3-none-any.whl');
  });

  it('plans requested packages and those found in the imports, once, minus loaded ones', () => {
    const index = importIndex(lock);
    expect(index.get('sklearn')).to.equal('scikit-learn');
    const plan = planPackages(lock, ['Scikit_Learn', 'nope'], ['sklearn', 'numpy', 'json', 'PIL'], (key) => key === 'numpy');
    expect(plan).to.deep.equal({ load: ['scikit-learn', 'pillow'], unknown: ['nope'] });
  });

  it('plans nothing for standard-library code', () => {
    expect(planPackages(lock, [], ['sys', 'json'], () => false)).to.deep.equal({ load: [], unknown: [] });
  });

  it('scanImports finds the top-level modules of import statements, without Python', () => {
    const code = [
      'import numpy as np, os.path',
      '  from sklearn.linear_model import LinearRegression  # indented, in a block',
      'from __future__ import annotations',
      'from . import sibling',
      'import json; import csv',
      'print("import not_this")',
      'x = 1',
    ].join('\n');
    expect(scanImports(code)).to.deep.equal(['numpy', 'os', 'sklearn', 'json']);
  });

  it('withDependencies adds what the packages depend on, each once', () => {
    expect(withDependencies(lock, ['scikit-learn', 'numpy', 'unknown'])).to.deep.equal(['scikit-learn', 'numpy']);
  });

  it("lockIntegrity turns the lock file's hex SHA-256 into an integrity value", () => {
    const sha256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'; // SHA-256 of "abc"
    expect(lockIntegrity({ ...pkg('abc', []), sha256 })).to.equal('sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(lockIntegrity(pkg('none', []))).to.equal(undefined);
  });
});
