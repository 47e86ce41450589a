import { expect } from '@esm-bundle/chai';
import { announcement, statusText, type RunState } from '../../components/py-cell/status.js';

const state = (changes: Partial<RunState>): RunState => ({
  status: 'idle',
  progress: null,
  loadingPackages: [],
  queued: false,
  stopping: false,
  outputs: [],
  ...changes,
});

describe('status text', () => {
  it('says what a loading cell waits for', () => {
    expect(statusText(state({ status: 'loading' }))).to.equal('Loading Python…');
    expect(statusText(state({ status: 'loading', progress: { stage: 'download', loaded: 3 * 1048576, total: 10 * 1048576 } }))).to.equal(
      'Loading Python… 3.0 / 10.0 MB',
    );
    expect(statusText(state({ status: 'loading', progress: { stage: 'download', loaded: 1048576 } }))).to.equal('Loading Python… 1.0 MB');
    expect(statusText(state({ status: 'loading', progress: { stage: 'start' } }))).to.equal('Starting Python…');
    expect(statusText(state({ status: 'loading', loadingPackages: ['numpy', 'pandas'] }))).to.equal('Loading numpy, pandas…');
  });

  it('tells waiting from running, and says when a stop is under way', () => {
    expect(statusText(state({ status: 'running', queued: true }))).to.equal('Waiting…');
    expect(statusText(state({ status: 'running' }))).to.equal('Running…');
    expect(statusText(state({ status: 'running', stopping: true }))).to.equal('Stopping…');
    expect(statusText(state({ status: 'error' }))).to.equal('Error');
    expect(statusText(state({ status: 'done' }))).to.equal('');
  });

  it('announces states, not progress: the same words while bytes arrive', () => {
    const loading = [0, 1, 2].map((mb) =>
      announcement(state({ status: 'loading', progress: { stage: 'download', loaded: mb * 1048576, total: 8 * 1048576 } })),
    );
    expect(loading).to.deep.equal(['Loading Python', 'Loading Python', 'Loading Python']);
    expect(announcement(state({ status: 'running', queued: true }))).to.equal('Waiting');
    expect(announcement(state({ status: 'running' }))).to.equal('Running');
    expect(announcement(state({ status: 'done' }))).to.equal('Done');
    const error = { type: 'ZeroDivisionError', message: 'division by zero', traceback: '' };
    expect(announcement(state({ status: 'error', outputs: [{ kind: 'error', error }] }))).to.equal('Error: ZeroDivisionError');
    expect(announcement(state({ status: 'idle' }))).to.equal('');
  });
});
