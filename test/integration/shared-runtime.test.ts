// The shared runtime (docs/decisions/0017-shared-runtime.md): in Chromium, the pages of a site
// share one Python that outlives each page; every page view has fresh sessions, imported modules
// stay; Stop and crashes on one page replace it for all, each page restoring its own sessions.
// Firefox and WebKit have no extended lifetime: each page has a Python of its own there. The
// pages are iframes of test/fixtures/shared/page.html, as the pages of a site.
import { expect } from '@esm-bundle/chai';
import { engine, sleep, until } from './helpers.js';

interface Shown {
  status: string;
  failure: string | null;
  error: string;
  stdout: string;
  shared: 'started' | 'joined' | null;
}

interface SitePage extends Window {
  pageReady?: boolean;
  runHere(code: string): Promise<Shown>;
  stopLast(): void;
  answerInput(line: string): Promise<void>;
}

const PAGE = '/test/fixtures/shared/page.html';
const frames: HTMLIFrameElement[] = [];

/** Opens the site's page (`query`: its search string) in an iframe, once its script is ready. */
async function open(query = '', frame?: HTMLIFrameElement): Promise<SitePage> {
  if (!frame) {
    frame = document.createElement('iframe');
    frame.title = 'a page of the site';
    document.body.append(frame);
    frames.push(frame);
  }
  frame.src = `${PAGE}?${query}`;
  return until(() => {
    const page = frame.contentWindow as SitePage | null;
    return page?.location.search === `?${query}` && page.pageReady ? page : null;
  }, `the page ?${query}`);
}

const shares = engine === 'chromium';

describe('a shared runtime', function () {
  this.timeout(240_000);

  afterEach(() => {
    for (const frame of frames.splice(0)) frame.remove();
  });

  it(
    shares
      ? 'the next page joins the Python the last one started: fresh globals, the same modules'
      : 'each page starts a Python of its own here',
    async () => {
      const frame = document.createElement('iframe');
      frame.title = 'a page of the site';
      document.body.append(frame);
      frames.push(frame);
      const first = await open('first', frame);
      const before = await first.runHere("import json\njson.py_cell_mark = 'from the first page'\nsecret = 1\nprint('ran')");
      expect(before.stdout).to.equal('ran\n');
      if (shares) expect(['started', 'joined']).to.include(before.shared);
      else expect(before.shared).to.equal(null);
      // The same iframe follows a link to the next page.
      const next = await open('next', frame);
      const after = await next.runHere("import json\nprint(getattr(json, 'py_cell_mark', None))\nprint('secret' in globals())");
      expect(after.status).to.equal('done');
      expect(after.stdout).to.equal(shares ? 'from the first page\nFalse\n' : 'None\nFalse\n');
      expect(after.shared).to.equal(shares ? 'joined' : null);
    },
  );

  it('two pages open at once keep their sessions apart', async () => {
    const [one, two] = await Promise.all([open('one'), open('two')]);
    await one.runHere("x = 'one'");
    await two.runHere("x = 'two'");
    expect((await one.runHere('print(x)')).stdout).to.equal('one\n');
    expect((await two.runHere('print(x)')).stdout).to.equal('two\n');
    const modes = [(await one.runHere('pass')).shared, (await two.runHere('pass')).shared];
    if (shares) expect(modes.sort()).to.include('joined');
    else expect(modes).to.deep.equal([null, null]);
  });

  it("Stop of a runaway loop on one page: another page's waiting run still runs, and both keep their sessions", async () => {
    const [looping, other] = await Promise.all([open('looping'), open('other')]);
    await looping.runHere("kept = 'looping page'");
    await other.runHere("mine = 'other page'");
    const loop = looping.runHere('while True:\n    pass');
    await sleep(1500);
    // Shared, this run waits for the loop; it must not wait for ever.
    const waiting = other.runHere('print(mine)');
    await sleep(500);
    looping.stopLast();
    const stopped = await loop;
    expect(stopped.failure).to.equal('stopped');
    expect(stopped.error).to.contain('Python was restarted');
    const ran = await waiting;
    expect(ran.status, ran.error).to.equal('done');
    expect(ran.stdout).to.equal('other page\n');
    expect((await looping.runHere('print(kept)')).stdout).to.equal('looping page\n');
  });

  // input() waits by stack switching in a worker of a page that is not isolated (not in WebKit).
  ('Suspending' in WebAssembly ? it : it.skip)("input() on one page while another page's run waits its turn", async () => {
    const [asking, other] = await Promise.all([open('asking'), open('waiting')]);
    const asked = asking.runHere("name = input('Name? ')\nprint('hello', name)");
    const waiting = other.runHere("print('my turn')");
    await asking.answerInput('Ada');
    expect((await asked).stdout).to.equal('Name? Ada\nhello Ada\n');
    expect((await waiting).stdout).to.equal('my turn\n');
  });

  it('a page that leaves while its code runs does not hold the next page', async () => {
    const frame = document.createElement('iframe');
    frame.title = 'a page of the site';
    document.body.append(frame);
    frames.push(frame);
    const leaving = await open('leaving', frame);
    void leaving.runHere('while True:\n    pass');
    await sleep(1500);
    const next = await open('after-leaving', frame);
    const ran = await next.runHere("print('answered')");
    expect(ran.status, ran.error).to.equal('done');
    expect(ran.stdout).to.equal('answered\n');
  });

  it('a crash on one page restarts Python for every page, each restoring its own sessions', async () => {
    const [crashing, other] = await Promise.all([open('crashing'), open('bystander')]);
    await crashing.runHere('a = 1');
    await other.runHere('b = 2');
    const crash = await crashing.runHere('import os\nos.abort()');
    expect(crash.failure).to.equal('crashed');
    const after = await other.runHere('print(b)');
    expect(after.status, after.error).to.equal('done');
    expect(after.stdout).to.equal('2\n');
    expect((await crashing.runHere('print(a)')).stdout).to.equal('1\n');
  });

  it("configure({ sharedRuntime: false }), a browser without shared workers, and a copy of py-cell's files without the shared worker start a Python of the page's own", async () => {
    for (const query of ['off', 'no-shared-worker', 'older-copy']) {
      const page = await open(query);
      const shown = await page.runHere("print('own')");
      expect(shown.stdout, query).to.equal('own\n');
      expect(shown.shared, query).to.equal(null);
    }
  });
});
