import { expect } from '@esm-bundle/chai';
import { failure, isFailure, isRetryable } from '../../runtime/shared/errors.js';
import type { FailureKind } from '../../runtime/shared/protocol.js';

describe('errors', () => {
  it('marks failures of py-cell, with a type that is no Python built-in exception name', () => {
    const kinds: FailureKind[] = ['load', 'package', 'unknown-package', 'stopped', 'crashed', 'attribute'];
    const builtins = new Set([
      'RuntimeError',
      'ValueError',
      'KeyboardInterrupt',
      'ImportError',
      'ModuleNotFoundError',
      'OSError',
      'SystemError',
    ]);
    for (const kind of kinds) {
      const error = failure(kind, 'what happened');
      expect(error.failure).to.equal(kind);
      expect(error.message).to.equal('what happened');
      expect(builtins.has(error.type), error.type).to.equal(false);
      expect(isFailure(error)).to.equal(true);
    }
  });

  it('never takes a Python exception for a failure, whatever its name', () => {
    for (const type of ['RuntimeError', 'PythonLoadError', 'PackageLoadError', 'RunStopped']) {
      const error = { type, message: 'raised by the cell', traceback: '' };
      expect(isFailure(error), type).to.equal(false);
      expect(isRetryable(error), type).to.equal(false);
    }
  });

  it('offers a retry only when loading Python or a package failed', () => {
    expect(isRetryable(failure('load', ''))).to.equal(true);
    expect(isRetryable(failure('package', ''))).to.equal(true);
    for (const kind of ['unknown-package', 'stopped', 'crashed', 'attribute'] as const)
      expect(isRetryable(failure(kind, '')), kind).to.equal(false);
  });
});
