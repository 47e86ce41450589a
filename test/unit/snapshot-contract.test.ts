import { expect } from '@esm-bundle/chai';
import { readManifest, type RuntimeManifest } from '../../runtime/engine/manifest.js';
import {
  afterRestoreCode,
  chooseSnapshot,
  SNAPSHOT_CONTRACT,
  type SnapshotInfo,
  type SnapshotPackage,
} from '../../runtime/engine/snapshot.js';

/** `scripts/make-snapshot.mjs` as the repository holds it: read, not run (that takes Chromium and minutes). */
const script = await (await fetch('/scripts/make-snapshot.mjs')).text();
const index = 'http://runtime.test/';

/** The fields of a manifest entry the engine reads, each of which the script must write. */
const ENTRY_FIELDS = { file: true, bytes: true, packedBytes: true, jspi: true, packages: true } satisfies Record<keyof SnapshotInfo, true>;
/** The fields of a snapshot's package the engine reads, each of which the script's Python must give. */
const PACKAGE_FIELDS = { name: true, version: true, imports: true } satisfies Record<keyof SnapshotPackage, true>;

/** Asserts that the script holds `text` (or, with `present` false, does not), naming it and not the whole script. */
function expectScript(text: string, present = true): void {
  expect(script.includes(text), `make-snapshot.mjs ${present ? 'lacks' : 'holds'} ${text}`).to.equal(present);
}

/** The part of `text` from `start` to the first `end` after it (failing when either is missing). */
function section(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  expect(from, `the script has ${start}`).to.be.greaterThan(-1);
  const to = text.indexOf(end, from);
  expect(to, `the script has ${end} after ${start}`).to.be.greaterThan(-1);
  return text.slice(from, to);
}

describe('the snapshot contract (make-snapshot.mjs and the engine)', () => {
  it('is one file: the one the script reads is the one the engine imports', async () => {
    expectScript("join(root, 'runtime/engine/snapshot-contract.json')");
    const served = (await (await fetch('/runtime/engine/snapshot-contract.json')).json()) as unknown;
    expect(served).to.deep.equal(SNAPSHOT_CONTRACT);
  });

  it('gives the script every name, and the script writes none of them itself', () => {
    for (const key of Object.keys(SNAPSHOT_CONTRACT)) expectScript(`contract.${key}`);
    const names = [
      SNAPSHOT_CONTRACT.manifest,
      ...SNAPSHOT_CONTRACT.snapshots.map(({ file }) => file),
      SNAPSHOT_CONTRACT.heldFilesModule,
      SNAPSHOT_CONTRACT.heldFilesAttribute,
      SNAPSHOT_CONTRACT.sourcesAttribute,
    ];
    for (const name of names) {
      for (const literal of [`'${name}'`, `"${name}"`, `\`${name}\``, `.${name} =`]) expectScript(literal, false);
    }
  });

  it('names Python identifiers, which both sides write into Python code as they are', () => {
    const { heldFilesModule, heldFilesAttribute, sourcesAttribute } = SNAPSHOT_CONTRACT;
    for (const name of [heldFilesModule, heldFilesAttribute, sourcesAttribute]) expect(name).to.match(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('makes one snapshot with stack switching and one without, each of which the engine chooses where it fits', () => {
    expect(SNAPSHOT_CONTRACT.snapshots.map(({ jspi }) => jspi).sort()).to.deep.equal([false, true]);
    // Entries as the script records them (with the fields only the script reads).
    const entries = SNAPSHOT_CONTRACT.snapshots.map(({ file, jspi }, i) => ({ file, bytes: 10 + i, packedBytes: 5, jspi }));
    for (const { file, jspi } of SNAPSHOT_CONTRACT.snapshots) {
      const chosen = chooseSnapshot(entries, true, index, jspi);
      expect(chosen).to.have.property('url', `${index}${file}`);
    }
  });

  it('has the script write every field of a manifest entry and of a package that the engine reads', () => {
    // The object each snapshot's entry is made of, in `record`: a key (or shorthand) per field.
    const mapped = section(script, 'manifest.snapshots = made.map(', '}));');
    const entry = mapped.slice(mapped.indexOf('=> ({'));
    for (const field of Object.keys(ENTRY_FIELDS)) expect(entry).to.match(new RegExp(`(^\\s*|[{,]\\s*)${field}\\s*[,:}]`, 'm'));
    const pythonPackage = section(script, 'packages.append({', '\n');
    for (const field of Object.keys(PACKAGE_FIELDS)) expect(pythonPackage).to.contain(`'${field}':`);
  });

  it('has the boot read the manifest the script writes', async () => {
    const asked: string[] = [];
    const manifest: RuntimeManifest = { pyodideVersion: '1.0', localPackages: [], snapshots: [] };
    const json = (url: string) => {
      asked.push(url);
      return Promise.resolve(manifest);
    };
    expect(await readManifest(json, index, '1.0')).to.equal(manifest);
    expect(asked).to.deep.equal([`${index}${SNAPSHOT_CONTRACT.manifest}`]);
    // A runtime folder without one (copied by hand): the expected version, no packages, no snapshot.
    const missing = () => Promise.reject(new Error('HTTP 404'));
    expect(await readManifest(missing, index, '1.0')).to.deep.equal({ pyodideVersion: '1.0', localPackages: [] });
  });

  it('has a restored interpreter look for the names the script gives', () => {
    const { heldFilesModule, heldFilesAttribute, sourcesAttribute } = SNAPSHOT_CONTRACT;
    const code = afterRestoreCode([]);
    expect(code).to.contain(`sys.modules.pop('${heldFilesModule}', None)`);
    expect(code).to.contain(`held.${heldFilesAttribute}.items()`);
    expect(code).to.contain(`own.${sourcesAttribute} ==`);
    // Where the script gives them (in the Python it runs before the snapshot is taken).
    expectScript("sys.modules['${contract.heldFilesModule}'] = holder");
    expectScript('holder.${contract.heldFilesAttribute} = files');
    expectScript('pycell.${contract.sourcesAttribute} = {');
  });
});
