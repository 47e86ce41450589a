import { expect } from '@esm-bundle/chai';
import { CellMemory, type SavedCell } from '../../components/controllers/persistence.js';
import { legacyKey, MAX_ATTEMPTS, parseSavedWork, savedWorkKey, type SavedWorkPlace } from '../../cell/saved-work.js';

/** A `Storage` stand-in: a map, or one that refuses every write (private browsing, a full quota). */
class StandInStorage {
  readonly items = new Map<string, string>();
  constructor(private readonly refuse = false) {}
  getItem(key: string): string | null {
    if (this.refuse) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.refuse) throw new DOMException('Quota exceeded', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cell's place: on /lesson.html, written `print(1)`, the first so written, without an id. */
const place = (changes: Partial<SavedWorkPlace> = {}): SavedWorkPlace => ({
  path: '/lesson.html',
  id: '',
  code: 'print(1)',
  written: 'print(1)',
  occurrence: 0,
  ...changes,
});
const KEY = savedWorkKey(place());

function memory(storage: StandInStorage, state: { saved: SavedCell; enabled?: boolean; place?: SavedWorkPlace }): CellMemory {
  return new CellMemory({
    enabled: () => state.enabled ?? true,
    key: () => savedWorkKey(state.place ?? place()),
    legacyKey: () => legacyKey(state.place ?? place()),
    read: () => state.saved,
    storage: () => storage as unknown as Storage,
  });
}

/** Runs `act` with console.warn caught: the warnings' first arguments. */
function warningsOf(act: () => void): string[] {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => void warnings.push(String(args[0]));
  try {
    act();
  } finally {
    console.warn = warn;
  }
  return warnings;
}

describe('CellMemory (persist)', () => {
  it("makes a key of the page, the cell's id (else what the page wrote in it and its rank among cells so written) and the code", () => {
    expect(KEY).to.match(/^py-cell:\/lesson\.html#code=[0-9a-z]+:0$/);
    expect(savedWorkKey(place({ occurrence: 1 })), 'the second cell written the same').to.match(/:1$/);
    expect(savedWorkKey(place({ written: 'print(1)\0setup\0check' })), 'an exercise: its setup and check too').to.not.equal(KEY);
    expect(savedWorkKey(place({ code: 'print(2)', written: 'print(2)' }))).to.not.equal(KEY);
    expect(savedWorkKey(place({ path: '/other.html' }))).to.not.equal(KEY);
    const named = savedWorkKey(place({ id: 'greeting' }));
    expect(named).to.match(/^py-cell:\/lesson\.html#id=greeting:[0-9a-z]+$/);
    expect(savedWorkKey(place({ id: 'greeting', occurrence: 3, written: 'other' })), 'an id is the identity').to.equal(named);
    expect(savedWorkKey(place({ id: 'greeting', code: 'print(2)' })), 'a changed example').to.not.equal(named);
    expect(savedWorkKey(place({ id: 'a:b#c' }))).to.match(/#id=a%3Ab%23c:/);
    expect(savedWorkKey(place({ id: 'code=x' })), 'an id never passes for code').to.not.match(/#code=/);
  });

  it("reads an id's key of py-cell 0.1 once, moving it to the new key; never a position's", () => {
    const storage = new StandInStorage();
    const named = place({ id: 'greeting' });
    const old = legacyKey(named)!;
    expect(old).to.match(/^py-cell:\/lesson\.html#greeting:[0-9a-z]+$/);
    storage.setItem(old, '{"code":"print(1)  # mine"}');
    expect(memory(storage, { saved: {}, place: named }).load()).to.deep.equal({ code: 'print(1)  # mine' });
    expect(storage.getItem(old)).to.equal(null);
    expect(storage.getItem(savedWorkKey(named))).to.equal('{"code":"print(1)  # mine"}');
    expect(legacyKey(place()), 'no id').to.equal(null);
    expect(legacyKey(place({ id: 'cell 3' })), 'an id that reads as a position').to.equal(null);
  });

  it('saves shortly after the last change, and loads it back', async () => {
    const storage = new StandInStorage();
    const state = { saved: { code: 'print(2)' } as SavedCell };
    const cell = memory(storage, state);
    cell.schedule();
    state.saved = { code: 'print(3)', exercise: { attempts: 2, failed: 1, solved: true } };
    cell.schedule();
    expect(storage.items.size, 'nothing yet').to.equal(0);
    await sleep(400);
    expect(storage.items.size).to.equal(1);
    expect(memory(storage, state).load()).to.deep.equal({ code: 'print(3)', exercise: { attempts: 2, failed: 1, solved: true } });
  });

  it('forgets the entry when there is nothing left to keep (Reset)', () => {
    const storage = new StandInStorage();
    const state = { saved: { code: 'x = 1' } as SavedCell };
    const cell = memory(storage, state);
    cell.save();
    expect(storage.items.size).to.equal(1);
    state.saved = {};
    cell.save();
    expect(storage.items.size).to.equal(0);
  });

  it('saves at once when the page is left before the delay', () => {
    const storage = new StandInStorage();
    const cell = memory(storage, { saved: { code: 'typed just now' } });
    cell.schedule();
    dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(memory(storage, { saved: {} }).load()).to.deep.equal({ code: 'typed just now' });
  });

  it('keeps and loads nothing without persist', async () => {
    const storage = new StandInStorage();
    storage.setItem(KEY, '{"code":"old"}');
    const cell = memory(storage, { saved: { code: 'new' }, enabled: false });
    expect(cell.load()).to.equal(null);
    cell.schedule();
    await sleep(400);
    expect(storage.getItem(KEY)).to.equal('{"code":"old"}');
  });

  it('validates what it reads: what py-cell could not have written is ignored, with one warning for the cell', () => {
    const progress = (changes: object) => ({ attempts: 3, failed: 1, solved: true, ...changes });
    const cases: Array<[unknown, SavedCell | null]> = [
      [
        { code: 'x = 2', exercise: progress({}) },
        { code: 'x = 2', exercise: progress({}) },
      ],
      [{ exercise: progress({ attempts: '1e9' }) }, null],
      [{ exercise: progress({ solved: 'no' }) }, null],
      [{ exercise: progress({ solved: 1 }) }, null],
      [{ exercise: progress({ attempts: MAX_ATTEMPTS + 1, failed: 0 }) }, null],
      [{ exercise: progress({ attempts: -1, failed: 0, solved: false }) }, null],
      [{ exercise: progress({ attempts: 1.5 }) }, null],
      [{ exercise: progress({ failed: 4 }) }, null],
      [{ exercise: progress({ failed: 3 }) }, null], // solved, yet every check failed
      [{ exercise: progress({ failed: undefined }) }, null],
      [{ exercise: [3, 1, true] }, null],
      [{ code: 42, exercise: progress({}) }, { exercise: progress({}) }],
      [{ code: 'x = 2', exercise: 'solved' }, { code: 'x = 2' }],
      [[{ code: 'x = 2' }], null],
      [42, null],
      [null, null],
    ];
    for (const [value, expected] of cases) {
      expect(parseSavedWork(JSON.stringify(value)).saved, JSON.stringify(value)).to.deep.equal(expected);
      expect(parseSavedWork(JSON.stringify(value)).problem === null, JSON.stringify(value)).to.equal(value === cases[0]![0]);
    }
    expect(parseSavedWork('not json')).to.deep.equal({ saved: null, problem: 'not JSON' });
    expect(parseSavedWork('{"code":"x","later":1}'), 'a field it does not know').to.deep.equal({ saved: { code: 'x' }, problem: null });

    const storage = new StandInStorage();
    storage.setItem(KEY, JSON.stringify({ code: 'kept', exercise: progress({ attempts: '1e9' }) }));
    const cell = memory(storage, { saved: {} });
    let loaded: Array<SavedCell | null> = [];
    const warnings = warningsOf(() => {
      expect(() => (loaded = [cell.load(), cell.load()])).to.not.throw();
    });
    expect(loaded).to.deep.equal([{ code: 'kept' }, { code: 'kept' }]);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('saved work').and.contain(KEY);
    storage.setItem(KEY, 'not json');
    expect(warningsOf(() => expect(memory(storage, { saved: {} }).load()).to.equal(null))).to.have.length(1);
  });

  it('works unsaved when storage is blocked, warning once for the page', () => {
    const storage = new StandInStorage(true);
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const cells = [memory(storage, { saved: { code: 'a' } }), memory(storage, { saved: { code: 'b' } })];
      for (const cell of cells) {
        expect(cell.load()).to.equal(null);
        expect(() => cell.save()).to.not.throw();
      }
    } finally {
      console.warn = warn;
    }
    expect(warnings.length).to.equal(1);
    expect(String(warnings[0]![0])).to.contain('localStorage');
  });
});
