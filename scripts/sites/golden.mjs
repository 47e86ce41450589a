// The Markdown plugins against the contract, test/fixtures/cells/golden.json: the built
// dist/markdown-it.js and dist/remark.js (run `npm run build` first) turn every case's fence into
// its HTML and reject every error case with a message containing its word.
//
// - markdown-it: the page is exactly the case's HTML.
// - remark (remark-parse, the plugin, remark-rehype, rehype-stringify): the page holds the
//   case's HTML without its line ending, or, where rehype-stringify escapes differently (it
//   writes `&#x22;` for `&quot;` and leaves `>` in text and `<` in attribute values, as HTML
//   allows), the same HTML as a browser parses it (parse5 reads both, then writes both back).
// - MDX (@mdx-js/mdx, rendered by React as Docusaurus does), both formats, `.mdx` and `.md`,
//   and markdown-it's `vue` output (a Vue template, as VitePress compiles it, rendered by Vue's
//   server renderer): the element reads the same cell from the page as from the case's HTML
//   (attributes, code, and an exercise's parts), read as cell/source.ts reads them. For
//   Vue, the client compiler must also keep every node (it drops `<script>` tags, with an error).
import { compile, run } from '@mdx-js/mdx';
import MarkdownIt from 'markdown-it';
import { parseFragment, serialize } from 'parse5';
import { createElement } from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { createSSRApp } from 'vue';
import { compileTemplate } from 'vue/compiler-sfc';
import { renderToString } from 'vue/server-renderer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A fenced block with this info string and body (whose last line ends with a line ending). */
export function fence(info, body) {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const marker = '`'.repeat(Math.max(3, longest + 1));
  return `${marker}${info}\n${body}${marker}\n`;
}

/** HTML as a browser parses it, written back: equal for HTML that makes the same nodes. */
const canonical = (html) => serialize(parseFragment(html));

/** Each node of a parse5 tree, depth first (a template's content too). */
function* walk(node) {
  yield node;
  for (const child of node.content?.childNodes ?? node.childNodes ?? []) yield* walk(child);
}

const textContent = (node) => (node.nodeName === '#text' ? node.value : (node.childNodes ?? []).map(textContent).join(''));
const attribute = (node, name) => node.attrs?.find((a) => a.name === name)?.value;
const isPython = (node) => node.nodeName === 'script' && /^text\/(x-)?python$/i.test(attribute(node, 'type') ?? '');
const ROLES = ['setup', 'check', 'solution'];

/** What the element reads from the first `<py-cell>` in this HTML (as cell/source.ts, without dedenting; code blocks without gutters). */
export function readCell(html) {
  const host = [...walk(parseFragment(html))].find((node) => node.nodeName === 'py-cell');
  if (!host) throw new Error(`no <py-cell> in ${html}`);
  const children = host.childNodes.filter((node) => node.tagName);
  const scripts = children.filter(isPython);
  const scriptCode = (script) => textContent(script).replace(/<\\(\\*)(\/script|!--)/gi, '<$1$2');
  const code = scripts.find((script) => !ROLES.some((role) => attribute(script, `data-${role}`) !== undefined));
  // The first code block, at any depth (a highlighter wraps it), without its last line ending.
  const block = [...walk(host)].find((node) => node.nodeName === 'pre');
  const cell = {
    attributes: host.attrs.map(({ name, value }) => [name, value]),
    code: code ? scriptCode(code) : block ? textContent(block).replace(/\n$/, '') : scripts.length === 0 ? textContent(host) : '',
    hints: children
      .filter((node) => node.nodeName === 'template' && attribute(node, 'data-hint') !== undefined)
      .map((t) => serialize(t.content)),
  };
  for (const role of ROLES) {
    const script = scripts.find((node) => attribute(node, `data-${role}`) !== undefined);
    if (script) cell[role] = scriptCode(script);
  }
  return cell;
}

/** Fails with the message of the first problem, naming its case. */
function expect(ok, what) {
  if (!ok) throw new Error(`golden: ${what}`);
}

/** Resolves to the error the promise rejects with, or `null`. */
const rejection = (promise) =>
  promise.then(
    () => null,
    (error) => error,
  );

export default async function checkGolden({ root }) {
  const golden = JSON.parse(readFileSync(join(root, 'test/fixtures/cells/golden.json'), 'utf8'));
  const { default: markdownItPyCell } = await import(pathToFileURL(join(root, 'dist/markdown-it.js')).href);
  const { default: remarkPyCell } = await import(pathToFileURL(join(root, 'dist/remark.js')).href);

  const markdownIt = (markdown) => new MarkdownIt().use(markdownItPyCell).render(markdown);
  const remark = async (markdown) =>
    String(await unified().use(remarkParse).use(remarkPyCell).use(remarkRehype).use(rehypeStringify).process(markdown));
  const mdx = async (markdown, format) => {
    const code = String(await compile(markdown, { format, outputFormat: 'function-body', remarkPlugins: [remarkPyCell] }));
    const { default: Content } = await run(code, { ...jsxRuntime, baseUrl: import.meta.url });
    return renderToStaticMarkup(createElement(Content));
  };

  const isCustomElement = (tag) => tag === 'py-cell';
  const vue = async (markdown) => {
    const template = new MarkdownIt().use(markdownItPyCell, { vue: true }).render(markdown);
    const { errors } = compileTemplate({ source: template, filename: 'page.md', id: 'page', compilerOptions: { isCustomElement } });
    if (errors.length > 0) throw new Error(`the Vue compiler: ${errors.map(String).join('; ')}`);
    const app = createSSRApp({ template: `<div>${template}</div>` });
    app.config.compilerOptions.isCustomElement = isCustomElement;
    return renderToString(app);
  };

  const summary = { cases: golden.cases.length, errors: golden.errors.length, remarkEquivalentOnly: [] };
  for (const { name, info, body, html } of golden.cases) {
    const markdown = fence(info, body);
    const fromMarkdownIt = markdownIt(markdown);
    expect(
      fromMarkdownIt === html,
      `markdown-it, case "${name}": wrote ${JSON.stringify(fromMarkdownIt)}, expected ${JSON.stringify(html)}`,
    );

    const fromRemark = await remark(markdown);
    const expected = html.replace(/\n$/, '');
    if (!fromRemark.includes(expected)) {
      expect(
        canonical(fromRemark) === canonical(expected),
        `remark, case "${name}": wrote ${JSON.stringify(fromRemark)}, expected ${JSON.stringify(expected)}`,
      );
      summary.remarkEquivalentOnly.push(name);
    }

    const cell = readCell(html);
    if (!/\bexercise\b/.test(info)) {
      const code = body.replace(/\n$/, '');
      expect(
        cell.code === code,
        `case "${name}": the element reads ${JSON.stringify(cell.code)} from the HTML, not the code ${JSON.stringify(code)}`,
      );
    }
    const wanted = JSON.stringify(cell);
    for (const format of ['mdx', 'md']) {
      const page = await mdx(markdown, format);
      const read = JSON.stringify(readCell(page));
      expect(
        read === wanted,
        `MDX (${format}), case "${name}": the element reads ${read} from ${JSON.stringify(page)}, expected ${wanted}`,
      );
    }
    const page = await vue(markdown);
    const read = JSON.stringify(readCell(page));
    expect(
      read === wanted,
      `markdown-it for Vue, case "${name}": the element reads ${read} from ${JSON.stringify(page)}, expected ${wanted}`,
    );
  }

  for (const { name, info, error: word } of golden.errors) {
    const markdown = fence(info, 'print(1)\n');
    const attempts = {
      'markdown-it': rejection(Promise.resolve().then(() => markdownIt(markdown))),
      remark: rejection(remark(markdown)),
      'MDX (mdx)': rejection(mdx(markdown, 'mdx')),
      'MDX (md)': rejection(mdx(markdown, 'md')),
      'markdown-it for Vue': rejection(vue(markdown)),
    };
    for (const [tool, attempt] of Object.entries(attempts)) {
      const error = await attempt;
      expect(error !== null, `${tool}, error case "${name}": no error`);
      expect(String(error.message).includes(word), `${tool}, error case "${name}": the message "${error.message}" lacks "${word}"`);
    }
  }
  return summary;
}
