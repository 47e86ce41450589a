// The Markdown plugins' options, in the tools themselves, run by Node's test runner after
// `npm run build` (they test the built dist/markdown-it.js and dist/remark.js, as
// scripts/sites/golden.mjs does): `node --test test/node/`. Not browser tests: unified and MDX
// load CommonJS modules (extend, style-to-js) the test server does not serve as modules, and
// React renders on the server as Docusaurus does.
//
// What a fence may carry where raw HTML is off: not `main-thread`, `trusted` or `style`, unless
// the site allows them (`allowDangerousAttributes`; markdown-it follows its own `html` option).
// The shared contract (test/fixtures/cells/golden.json) leaves them out: the Sphinx and MkDocs
// integrations accept them, raw HTML being on there.
import { compile, run } from '@mdx-js/mdx';
import MarkdownIt from 'markdown-it';
import { parseFragment } from 'parse5';
import { createElement } from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const dist = new URL('../../dist/', import.meta.url);
const { default: markdownItPyCell } = await import(new URL('markdown-it.js', dist).href);
const { default: remarkPyCell } = await import(new URL('remark.js', dist).href);

/** A page whose second block, at line 3, is a cell fence with these attributes. */
const page = (attributes) => `Some text.\n\n\`\`\`py-cell ${attributes} autorun\nfrom js import document\n\`\`\`\n`;

/** Each attribute the plugins refuse by default, as a fence writes it. */
const DANGEROUS = { 'main-thread': 'main-thread', trusted: 'trusted', style: 'style="position:fixed;inset:0;z-index:2147483647"' };

const markdownIt = (markdown, markdownItOptions, options) =>
  new MarkdownIt(markdownItOptions).use(markdownItPyCell, options).render(markdown);
const remark = async (markdown, options) =>
  String(await unified().use(remarkParse).use(remarkPyCell, options).use(remarkRehype).use(rehypeStringify).process(markdown));
const mdx = async (markdown, format, options) => {
  const code = String(await compile(markdown, { format, outputFormat: 'function-body', remarkPlugins: [[remarkPyCell, options]] }));
  const { default: Content } = await run(code, { ...jsxRuntime, baseUrl: import.meta.url });
  return renderToStaticMarkup(createElement(Content));
};

/** The attributes of the first `<py-cell>` in this HTML, as a browser parses it. */
function cellAttributes(html) {
  const find = (node) => (node.nodeName === 'py-cell' ? node : (node.childNodes ?? []).map(find).find(Boolean));
  const cell = find(parseFragment(html));
  assert.ok(cell, `a <py-cell> in ${html}`);
  return Object.fromEntries(cell.attrs.map(({ name, value }) => [name, value]));
}

/** The refusal names the attribute, says why and how to allow it. */
function assertRefusal(error, name) {
  assert.equal(error.name, 'PyCellSyntaxError');
  assert.match(error.message, new RegExp(`the attribute \`${name}\` is refused`));
  assert.match(error.message, /Markdown without raw HTML/);
  assert.match(error.message, /allowDangerousAttributes: true/);
  return true;
}

describe('markdown-it: main-thread, trusted and style', () => {
  for (const [name, written] of Object.entries(DANGEROUS)) {
    it(`refuses ${name} where raw HTML is off (html: false, the default), naming the fence's line and the option`, () => {
      for (const options of [undefined, { html: false }]) {
        assert.throws(
          () => markdownIt(page(written), options),
          (error) => assertRefusal(error, name) && /^py-cell fence at line 3: /.test(error.message) && /html: true/.test(error.message),
        );
      }
      assert.throws(
        () => markdownIt(page(written), {}, { vue: true }),
        (error) => assertRefusal(error, name),
      );
      assert.throws(
        () => new MarkdownIt().use(markdownItPyCell).parse(page(written), {}),
        (error) => assertRefusal(error, name),
      );
    });

    it(`allows ${name} where raw HTML is on (html: true, as VitePress sets)`, () => {
      assert.ok(name in cellAttributes(markdownIt(page(written), { html: true })));
      assert.ok(markdownIt(page(written), { html: true }, { vue: true }).includes(`<py-cell ${written} autorun>`));
    });

    it(`allowDangerousAttributes overrides html either way (${name})`, () => {
      assert.ok(name in cellAttributes(markdownIt(page(written), { html: false }, { allowDangerousAttributes: true })));
      assert.throws(
        () => markdownIt(page(written), { html: true }, { allowDangerousAttributes: false }),
        (error) => assertRefusal(error, name),
      );
    });
  }

  it('reads html when the page is parsed, so md.set() after use() counts', () => {
    const md = new MarkdownIt().use(markdownItPyCell);
    assert.throws(
      () => md.render(page('trusted')),
      (error) => assertRefusal(error, 'trusted'),
    );
    md.set({ html: true });
    assert.ok('trusted' in cellAttributes(md.render(page('trusted'))));
  });

  it('refuses them in any case (TRUSTED), and leaves the other attributes alone', () => {
    assert.throws(
      () => markdownIt(page('TRUSTED')),
      (error) => assertRefusal(error, 'TRUSTED'),
    );
    const attributes = cellAttributes(markdownIt(page('session=intro class="a b" id=x data-x=1')));
    assert.deepEqual(attributes, { session: 'intro', class: 'a b', id: 'x', 'data-x': '1', autorun: '' });
  });
});

describe('remark: main-thread, trusted and style', () => {
  for (const [name, written] of Object.entries(DANGEROUS)) {
    it(`refuses ${name} by default: a fatal VFileMessage with the block's position, naming the option`, async () => {
      await assert.rejects(remark(page(written)), (error) => {
        assert.equal(error.fatal, true);
        assert.equal(error.ruleId, 'py-cell');
        assert.equal(error.line, 3);
        assert.match(error.message, new RegExp(`^py-cell block: the attribute \`${name}\` is refused`));
        assert.match(error.message, /pass `allowDangerousAttributes: true` to py-cell's plugin$/);
        return true;
      });
      await assert.rejects(remark(page(written), { allowDangerousAttributes: false }), /is refused/);
    });

    it(`allows ${name} with allowDangerousAttributes: true`, async () => {
      const attributes = cellAttributes(await remark(page(written), { allowDangerousAttributes: true }));
      assert.ok(name in attributes);
      assert.equal(attributes.autorun, '');
    });
  }
});

describe('MDX (@mdx-js/mdx, rendered by React as Docusaurus does): main-thread, trusted and style', () => {
  for (const format of ['mdx', 'md']) {
    it(`refuses each by default (${format})`, async () => {
      for (const [name, written] of Object.entries(DANGEROUS)) {
        await assert.rejects(mdx(page(written), format), new RegExp(`the attribute \`${name}\` is refused`));
      }
    });

    it(`with allowDangerousAttributes, renders style="color:red" as the element's style, without throwing (${format})`, async () => {
      const html = await mdx('```py-cell style="color:red" session=s\nprint(1)\n```\n', format, { allowDangerousAttributes: true });
      assert.deepEqual(cellAttributes(html), { style: 'color:red', session: 's' });
      const many = await mdx('```py-cell style="background-color: blue; --x: 1" exercise\nx\n#| solution\ny\n```\n', format, {
        allowDangerousAttributes: true,
      });
      assert.equal(cellAttributes(many).style, 'background-color:blue;--x:1');
    });

    it(`with allowDangerousAttributes, writes main-thread and trusted (${format})`, async () => {
      const html = await mdx(page('main-thread trusted'), format, { allowDangerousAttributes: true });
      assert.deepEqual(cellAttributes(html), { 'main-thread': '', trusted: '', autorun: '' });
    });
  }
});

describe('MDX with the prerender option (as Docusaurus builds a page, for the server and the browser)', () => {
  it('stores the outputs as part of what React renders, the same on every compile, once per page', async () => {
    const source = '```py-cell\nprint("<b>one</b> & two")\n6 * 7\n```\n';
    const options = { prerender: { timeoutSeconds: 60 } };
    // Two compiles of the page at once, as Docusaurus's server and client compilations do.
    const [first, second] = await Promise.all([mdx(source, 'mdx', options), mdx(source, 'mdx', options)]);
    assert.equal(first, second);
    const cell = parseFragment(first).childNodes.find((node) => node.nodeName === 'py-cell');
    const stored = cell.childNodes.find((node) => node.nodeName === 'script');
    assert.deepEqual(Object.fromEntries(stored.attrs.map(({ name, value }) => [name, value])), {
      type: 'application/vnd.py-cell.outputs+json',
      'data-py-cell-prerendered': 'true',
    });
    const json = JSON.parse(stored.childNodes[0].value);
    assert.equal(json.status, 'done');
    assert.deepEqual(
      json.outputs.map((output) => output.text ?? output.bundle['text/plain']),
      ['<b>one</b> & two\n', '42'],
    );
    // The text for readers without JavaScript, escaped (not markup), outside the site's code blocks.
    assert.match(
      first,
      /<div data-py-cell-prerendered="true" class="py-cell-prerendered"><pre class="py-cell-stdout">&lt;b&gt;one&lt;\/b&gt; &amp; two\n<\/pre>/,
    );
    // The learner's code is still the code block, first.
    assert.equal(cell.childNodes[0].nodeName, 'pre');
  });

  it('fails the build with failOnError when a cell raises, naming the cell and its line; stores the traceback without it', async () => {
    const source = 'Intro.\n\n```py-cell\nprint("fine")\n```\n\n```py-cell\n1 / 0\n```\n';
    const error = await mdx(source, 'mdx', { prerender: { timeoutSeconds: 60, failOnError: true } }).then(
      () => null,
      (thrown) => thrown,
    );
    assert.ok(error, 'the compile failed');
    // One failure naming the cell, its line (the fence on line 7) and what it raised, placed there.
    assert.match(
      error.reason,
      /^py-cell: a cell raised when the page was built \(failOnError\): cell 2 \(line 7\): ZeroDivisionError: division by zero/,
    );
    assert.equal(error.line, 7);
    // Without the option, the same page compiles, its traceback stored.
    const html = await mdx(source, 'mdx', { prerender: { timeoutSeconds: 60 } });
    assert.match(html, /ZeroDivisionError/);
  });
});

describe('markdown-it with the prerender option (as VitePress renders a page, synchronously)', () => {
  const source = '```py-cell\nprint("<b>one</b> & {{ two }}")\n6 * 7\n```\n\nText.\n\n```py-cell\n1 / 0\n```\n';

  it('stores the outputs in the HTML it writes, in a Vue template as Vue renders them, and keeps them in its cache', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'py-cell-cache-'));
    try {
      const env = { path: join(tmpdir(), 'page.md') };
      const html = new MarkdownIt().use(markdownItPyCell, { prerender: { timeoutSeconds: 60, cache } }).render(source, env);
      const cells = parseFragment(html).childNodes.filter((node) => node.nodeName === 'py-cell');
      assert.equal(cells.length, 2);
      const stored = cells[0].childNodes.find((node) => node.nodeName === 'script');
      assert.deepEqual(Object.fromEntries(stored.attrs.map(({ name, value }) => [name, value])), {
        type: 'application/vnd.py-cell.outputs+json',
        'data-py-cell-prerendered': '',
      });
      const json = JSON.parse(stored.childNodes[0].value);
      assert.deepEqual(
        json.outputs.map((output) => output.text ?? output.bundle['text/plain']),
        ['<b>one</b> & {{ two }}\n', '42'],
      );
      // The text for readers without JavaScript, escaped; the code block first.
      assert.match(
        html,
        /<div data-py-cell-prerendered class="py-cell-prerendered"><pre class="py-cell-stdout">&lt;b&gt;one&lt;\/b&gt; &amp; \{\{ two \}\}\n<\/pre>/,
      );
      assert.equal(cells[0].childNodes[0].nodeName, 'pre');
      assert.match(html, /ZeroDivisionError: division by zero/);
      assert.deepEqual(
        env.pyCellPrerender.cells.map(({ cell, status, reused }) => [cell, status, reused ?? false]),
        [
          [1, 'done', false],
          [2, 'error', false],
        ],
      );
      // A second build (a new copy of the plugin, as a new process loads) takes the outputs from the cache.
      const { default: fresh } = await import(new URL('markdown-it.js?second-build', dist).href);
      const again = { path: env.path };
      const vue = new MarkdownIt({ html: true }).use(fresh, { vue: true, prerender: { timeoutSeconds: 60, cache } }).render(source, again);
      assert.deepEqual(
        again.pyCellPrerender.cells.map(({ status, reused }) => [status, reused]),
        [
          ['done', true],
          ['error', true],
        ],
      );
      // In a Vue template both are `:innerHTML` of a `<component>` (never text Vue would read as `{{ }}`).
      assert.match(
        vue,
        /<component is="script" type="application\/vnd\.py-cell\.outputs\+json" data-py-cell-prerendered :innerHTML="&quot;\{\\&quot;version/,
      );
      assert.match(
        vue,
        /<component is="div" data-py-cell-prerendered class="py-cell-prerendered" :innerHTML="&quot;&lt;pre class=\\&quot;py-cell-stdout/,
      );
      assert.doesNotMatch(vue, /<pre class="py-cell-stdout">/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('throws with failOnError when a cell raises, naming the cell, its line and the page', () => {
    const md = new MarkdownIt().use(markdownItPyCell, { prerender: { timeoutSeconds: 60, cache: false, failOnError: true } });
    assert.throws(
      () => md.render(source, { path: join(tmpdir(), 'broken.md') }),
      /^Error: py-cell: a cell raised when the page was built \(failOnError\): cell 2 \(line 8\): ZeroDivisionError: division by zero \(.*broken\.md\)$/,
    );
  });
});
