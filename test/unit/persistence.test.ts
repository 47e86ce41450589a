import { expect } from '@esm-bundle/chai';
import { CellMemory, storageKey, type SavedCell } from '../../components/controllers/persistence.js';

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

function memory(storage: StandInStorage, state: { saved: SavedCell; enabled?: boolean }): CellMemory {
  return new CellMemory({
    enabled: () => state.enabled ?? true,
    key: () => storageKey('/lesson.html', 'cell 0', 'print(1)'),
    read: () => state.saved,
    storage: () => storage as unknown as Storage,
  });
}

describe('CellMemory (persist)', () => {
  it('makes a key of the page, the cell and the code the page wrote, so a changed example starts afresh', () => {
    const key = storageKey('/lesson.html', 'greeting', 'print(1)');
    expect(key).to.match(/^py-cell:\/lesson\.html#greeting:/);
    expect(storageKey('/lesson.html', 'greeting', 'print(2)')).to.not.equal(key);
    expect(storageKey('/lesson.html', 'other', 'print(1)')).to.not.equal(key);
    expect(storageKey('/other.html', 'greeting', 'print(1)')).to.not.equal(key);
    expect(storageKey('/lesson.html', 'greeting', 'print(1)')).to.equal(key);
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
    storage.setItem(storageKey('/lesson.html', 'cell 0', 'print(1)'), '{"code":"old"}');
    const cell = memory(storage, { saved: { code: 'new' }, enabled: false });
    expect(cell.load()).to.equal(null);
    cell.schedule();
    await sleep(400);
    expect(storage.getItem(storageKey('/lesson.html', 'cell 0', 'print(1)'))).to.equal('{"code":"old"}');
  });

  it('ignores, without a warning, what is not an object it wrote', () => {
    const storage = new StandInStorage();
    const cell = memory(storage, { saved: {} });
    const warn = console.warn;
    let warnings = 0;
    console.warn = () => {
      warnings++;
    };
    try {
      for (const text of ['not json', '42', 'null']) {
        storage.setItem(storageKey('/lesson.html', 'cell 0', 'print(1)'), text);
        expect(cell.load(), text).to.equal(null);
      }
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.equal(0);
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
