import { expect } from '@esm-bundle/chai';
import { afterRestoreCode, chooseSnapshot, loadedNames, snapshotUse, unpackSnapshot } from '../../runtime/engine/snapshot.js';

const withJspi = { file: 'py-cell-snapshot.gz', bytes: 6, jspi: true };
const withoutJspi = { file: 'py-cell-snapshot-nojspi.gz', bytes: 7, jspi: false };
const index = 'http://runtime.test/';

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('snapshot', () => {
  it('is the one made as this browser runs: with stack switching or without', () => {
    const both = [withJspi, withoutJspi];
    expect(chooseSnapshot(both, true, index, true)).to.deep.equal({
      url: 'http://runtime.test/py-cell-snapshot.gz',
      bytes: 6,
      packages: [],
    });
    expect(chooseSnapshot(both, true, index, false)).to.deep.equal({
      url: 'http://runtime.test/py-cell-snapshot-nojspi.gz',
      bytes: 7,
      packages: [],
    });
  });

  it('is none when turned off, absent, or made for the other kind of browser', () => {
    expect(chooseSnapshot([withJspi], false, index, true)).to.deep.equal({ reason: 'turned off' });
    expect(chooseSnapshot(undefined, true, index, true)).to.deep.equal({ reason: 'http://runtime.test/ has no snapshot' });
    expect(chooseSnapshot([], true, index, true)).to.deep.equal({ reason: 'http://runtime.test/ has no snapshot' });
    expect(chooseSnapshot([withJspi], true, index, false)).to.deep.equal({
      reason: 'http://runtime.test/ has no snapshot made without WebAssembly stack switching, as this browser needs',
    });
  });

  it('says how the boot used it', () => {
    const chosen = chooseSnapshot([withJspi], true, index, true);
    expect(snapshotUse(chosen, null)).to.deep.equal({ used: true });
    expect(snapshotUse(chosen, 'bad magic')).to.deep.equal({
      used: false,
      reason: 'the snapshot failed (bad magic); Python started normally',
    });
    expect(snapshotUse({ reason: 'turned off' }, null)).to.deep.equal({ used: false, reason: 'turned off' });
  });

  it('names the packages a snapshot holds, and the keys that mark them loaded', () => {
    const packages = [{ name: 'My.Lib', version: '1.0.0', imports: ['mylib'] }];
    const chosen = chooseSnapshot([{ ...withJspi, packages }], true, index, true);
    expect(chosen).to.deep.equal({ url: 'http://runtime.test/py-cell-snapshot.gz', bytes: 6, packages });
    expect(snapshotUse(chosen, null)).to.deep.equal({ used: true, packages: ['My.Lib 1.0.0'] });
    // Not used: the packages load as they would without it.
    expect(snapshotUse(chosen, 'bad magic')).to.have.property('used', false);
    expect(loadedNames(packages)).to.deep.equal(['My.Lib', 'my.lib', 'my_lib', 'my-lib']);
    expect(loadedNames([])).to.deep.equal([]);
  });

  it('unpacks gzip as it arrives, and data a server already decoded', async () => {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(Array.from(await unpackSnapshot(new Response(await gzip(data)), 'u', 6))).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(Array.from(await unpackSnapshot(new Response(data), 'u', 6))).to.deep.equal([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a file that is missing, short or too long, naming it', async () => {
    const url = 'http://runtime.test/py-cell-snapshot.gz';
    const reason = (promise: Promise<unknown>) =>
      promise.then(
        () => '',
        (error: Error) => error.message,
      );
    expect(await reason(unpackSnapshot(new Response('gone', { status: 404 }), url, 6))).to.equal(`Could not load ${url}: HTTP 404`);
    expect(await reason(unpackSnapshot(new Response(await gzip(new Uint8Array(4))), url, 6))).to.equal(`${url} is truncated: 4 of 6 bytes`);
    expect(await reason(unpackSnapshot(new Response(await gzip(new Uint8Array(9))), url, 6))).to.equal(
      `${url} is larger than the 6 bytes the manifest gives`,
    );
  });

  it('gives a restored interpreter the reader’s language and a fresh random seed', () => {
    expect(afterRestoreCode(['de-CH', 'en']))
      .to.contain(`os.environ['LANG'] = "de_CH.UTF-8"`)
      .and.to.contain("sys.modules['random'].seed()");
    expect(afterRestoreCode([])).to.contain(`"C.UTF-8"`);
    // The packages' files, held in memory by the snapshot, go back to the file system.
    expect(afterRestoreCode([])).to.contain("sys.modules.pop('_pycell_snapshot_files', None)");
    // py-cell's own modules stay only when the snapshot's sources are the worker's files.
    expect(afterRestoreCode([])).to.contain('own._snapshot_sources ==');
  });
});
