// ANSI escape sequences in output text: how `cell/ansi.ts` maps SGR parameters to styles and
// drops every other sequence, how `components/outputs/ansi-text.ts` draws them (spans of text,
// colours with 4.5:1 contrast in light and dark), and that stored outputs' text loses them.
import { expect } from '@esm-bundle/chai';
import { render } from 'lit';
import * as parser from '../../cell/ansi.js';
import { BOLD, DIM, INVERSE, ITALIC, parseAnsi, STRIKE, stripAnsi, TRUECOLOR, UNDERLINE, type AnsiChunk } from '../../cell/ansi.js';
import { appendStream } from '../../cell/output-model.js';
import { fallbackTexts } from '../../cell/stored-outputs.js';
import { ansiText } from '../../components/outputs/ansi-lazy.js';
import { ANSI_STYLE, drawAnsi } from '../../components/outputs/ansi-text.js';

const ESC = '\x1b';
/** Chunks as `[text, fg, bg, flags]`, the default style as `[text]`. */
const mapped = (text: string) =>
  parseAnsi(text).map((chunk: AnsiChunk) => (chunk.style ? [chunk.text, chunk.style.fg, chunk.style.bg, chunk.style.flags] : [chunk.text]));
const rgb = (r: number, g: number, b: number) => TRUECOLOR | (r << 16) | (g << 8) | b;

/** WCAG contrast of two CSS colours `rgb(r, g, b)` or `#rrggbb`. */
function contrast(a: string, b: string): number {
  const channels = (colour: string) =>
    colour.startsWith('#')
      ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
      : colour
          .match(/\d+(\.\d+)?/g)!
          .slice(0, 3)
          .map(Number);
  const luminance = (colour: string) => {
    const [r, g, b] = channels(colour).map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

describe('ANSI escape sequences', () => {
  it('maps the 16 colours, bright ones, backgrounds, attributes and their resets', () => {
    expect(mapped(`${ESC}[31mred${ESC}[0m plain ${ESC}[1;4mbold under${ESC}[22m under${ESC}[24;3;9mitalic struck${ESC}[m.`)).to.deep.equal([
      ['red', 1, null, 0],
      [' plain '],
      ['bold under', null, null, BOLD | UNDERLINE],
      [' under', null, null, UNDERLINE],
      ['italic struck', null, null, ITALIC | STRIKE],
      ['.'],
    ]);
    expect(mapped(`${ESC}[92;104mbright${ESC}[39mbg only${ESC}[49;2;7mdim inverse${ESC}[27mdim${ESC}[22mnone`)).to.deep.equal([
      ['bright', 10, 12, 0],
      ['bg only', null, 12, 0],
      ['dim inverse', null, null, DIM | INVERSE],
      ['dim', null, null, DIM],
      ['none'],
    ]);
  });

  it('maps 256-colour and 24-bit colours, with semicolons and with colons', () => {
    expect(
      mapped(`${ESC}[38;5;208ma${ESC}[48;5;17mb${ESC}[38;2;255;0;128mc${ESC}[38:2::1:2:3md${ESC}[48:2:4:5:6me${ESC}[38:5:9mf${ESC}[0m`),
    ).to.deep.equal([
      ['a', 208, null, 0],
      ['b', 208, 17, 0],
      ['c', rgb(255, 0, 128), 17, 0],
      ['d', rgb(1, 2, 3), 17, 0],
      ['e', rgb(1, 2, 3), rgb(4, 5, 6), 0],
      ['f', 9, rgb(4, 5, 6), 0],
    ]);
    // Out-of-range values are ignored, and parameters after an extended colour still apply.
    expect(mapped(`${ESC}[38;5;300;1mx${ESC}[38;2;1;2;999;3my`)).to.deep.equal([
      ['x', null, null, BOLD],
      ['y', null, null, BOLD | ITALIC],
    ]);
  });

  it('merges runs of one style and leaves text without escapes alone', () => {
    expect(mapped(`${ESC}[31ma${ESC}[31mb${ESC}[1m${ESC}[22mc`)).to.deep.equal([['abc', 1, null, 0]]);
    expect(mapped('no escapes\n')).to.deep.equal([['no escapes\n']]);
    expect(mapped('')).to.deep.equal([]);
  });

  it('drops every other sequence with its payload: cursor moves, titles, hyperlinks, DCS, character sets, C1 forms', () => {
    const hostile = [
      `${ESC}]0;pwned\x07title `,
      `${ESC}]8;;javascript:alert(1)\x07click${ESC}]8;;\x07 `,
      `${ESC}]8;;https://example.test/${ESC}\\link${ESC}]8;;${ESC}\\ `,
      `${ESC}[2J${ESC}[H${ESC}[10;20H${ESC}[?25l${ESC}[>4;1m${ESC}[1 q`,
      `cursor ${ESC}P+q544e${ESC}\\${ESC}(B${ESC}7${ESC}8${ESC}c`,
      '\x9b31mc1\x9b0m \x9d0;t\x9c\x07bell',
    ].join('');
    expect(mapped(hostile)).to.deep.equal([['title click link cursor '], ['c1', 1, null, 0], [' bell']]);
    // eslint-disable-next-line no-control-regex -- no control character may be left
    expect(stripAnsi(hostile)).to.not.match(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    // An unterminated title ends at the next escape sequence.
    expect(mapped(`${ESC}]2;title${ESC}[32mgreen`)).to.deep.equal([['green', 2, null, 0]]);
  });

  it('drops a sequence cut off at the end, and reads it whole once its rest is joined to it', () => {
    const first = `one ${ESC}[3`;
    const second = `1mred${ESC}[0m`;
    expect(mapped(first)).to.deep.equal([['one ']]);
    expect(mapped(`x${ESC}`)).to.deep.equal([['x']]);
    expect(mapped(`x${ESC}]0;unfinished title`)).to.deep.equal([['x']]);
    expect(mapped(first + second)).to.deep.equal([['one '], ['red', 1, null, 0]]);
  });

  it('never splits a sequence where a stream is cut to its head and tail', () => {
    const limits = { head: 6, tail: 100, displays: 1 };
    const split = appendStream([], [['stdout', `abcd${ESC}[31mred${ESC}[0m`]], limits);
    expect(split.map((item) => (item.kind === 'stream' ? mapped(item.text) : item.kind))).to.deep.equal([
      [['abcd']],
      'hidden',
      [['red', 1, null, 0]],
    ]);
    const trimmed = appendStream([], [['stdout', `ab${ESC}[31mred${ESC}[0m`]], { head: 2, tail: 8, displays: 1 });
    const tail = trimmed[2]!;
    expect(tail.kind === 'stream' && stripAnsi(tail.text)).to.equal('red');
    expect(trimmed[1]).to.deep.equal({ kind: 'hidden', lines: 0, chars: 5 });
  });

  it('parses 40,000 characters of escapes in one linear pass', () => {
    let text = '';
    for (let i = 0; text.length < 40_000; i++) text += `${ESC}[${30 + (i % 8)};${i % 2 ? 1 : 22}mX`;
    const start = performance.now();
    const chunks = parseAnsi(text);
    const ms = performance.now() - start;
    expect(chunks.map((chunk) => chunk.text).join('')).to.equal('X'.repeat(chunks.length));
    expect(ms).to.be.below(200);
    // Pathological parameters and payloads stay linear too.
    expect(stripAnsi(`${ESC}[${'1;'.repeat(20_000)}mA${ESC}]0;${'x'.repeat(40_000)}`)).to.equal('A');
  });

  it('strips escapes from the text stored for readers without JavaScript', () => {
    const texts = fallbackTexts([
      { kind: 'stream', name: 'stdout', text: `${ESC}[31mred${ESC}[0m ${ESC}]0;title\x07out\n` },
      { kind: 'stream', name: 'stderr', text: `${ESC}[33mwarned${ESC}[0m\n` },
      { kind: 'result', bundle: { 'text/plain': `${ESC}[1mvalue${ESC}[0m` } },
      { kind: 'error', error: { type: 'ValueError', message: 'm', traceback: `ValueError: ${ESC}[35mbad${ESC}[0m` } },
    ]);
    expect(texts).to.deep.equal([
      ['stdout', 'red out\n'],
      ['stderr', 'warned\n'],
      ['result', 'value'],
      ['error', 'ValueError: bad'],
    ]);
  });

  describe('drawn', () => {
    let host: HTMLElement;
    let root: ShadowRoot;
    beforeEach(() => {
      host = document.createElement('div');
      document.body.append(host);
      root = host.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      // The element's own colour properties, as its styles define them in the light scheme.
      sheet.replaceSync(`:host { --_out-bg: #ffffff; --_fg: #1f2328; --_muted: #59636e; } pre { background: #ffffff; } ${ANSI_STYLE}`);
      root.adoptedStyleSheets = [sheet];
    });
    afterEach(() => host.remove());

    const draw = (text: string) => {
      const pre = document.createElement('pre');
      root.append(pre);
      pre.append(drawAnsi(text, parser));
      return pre;
    };

    it('in a template, shows the text without its sequences until the renderer chunk arrives, then its colours, and adds their styles to the shadow root', async () => {
      const pre = document.createElement('pre');
      const bare = document.createElement('div');
      document.body.append(bare);
      const other = bare.attachShadow({ mode: 'open' });
      other.append(pre);
      render(ansiText(`${ESC}[31mred${ESC}[0m ${ESC}]0;title${ESC}\\plain`), pre);
      expect(pre.textContent).to.equal('red plain');
      await new Promise<void>((resolve) => {
        const poll = () => (pre.querySelector('.ansi-fg-1') ? resolve() : setTimeout(poll, 5));
        poll();
      });
      expect(pre.textContent).to.equal('red plain');
      expect(getComputedStyle(pre.querySelector('.ansi-fg-1')!).color).to.not.equal(getComputedStyle(pre).color);
      render(ansiText('no sequences'), pre);
      expect(pre.textContent).to.equal('no sequences');
      bare.remove();
    });

    it('draws text as text: spans with classes, never markup from the output', () => {
      const pre = draw(`${ESC}[31m<b>not bold</b>${ESC}[0m & <i>${ESC}[1mx${ESC}[0m`);
      expect(pre.textContent).to.equal('<b>not bold</b> & <i>x');
      expect(pre.querySelectorAll('b, i').length).to.equal(0);
      expect(Array.from(pre.querySelectorAll('span'), (span) => `${span.className}:${span.textContent}`)).to.deep.equal([
        'ansi-fg-1:<b>not bold</b>',
        'ansi-bold:x',
      ]);
      expect(draw('plain').innerHTML.replace(/<!--[^>]*-->/g, '')).to.equal('plain');
    });

    it('draws every 32 lines as a block laid out when in view, and the last lines inline', () => {
      const text = Array.from({ length: 70 }, (_, n) => `${ESC}[3${n % 8}mline ${n}\n`).join('') + `${ESC}[0mprompt? `;
      const pre = draw(text);
      const blocks = Array.from(pre.children).filter((child) => child.classList.contains('ansi-lines'));
      expect(blocks.map((block) => block.textContent.split('\n').length - 1)).to.deep.equal([32, 32]);
      expect(getComputedStyle(blocks[0]!).contentVisibility).to.equal('auto');
      expect(pre.lastChild!.textContent).to.equal('prompt? ');
      expect(pre.textContent).to.equal(stripAnsi(text));
    });

    it('keeps every colour at 4.5:1 or more against what is behind it, light scheme', () => {
      const samples = [
        ...Array.from({ length: 256 }, (_, n) => `${ESC}[38;5;${n}mfg${n}`),
        ...Array.from({ length: 16 }, (_, n) => `${ESC}[0;${n < 8 ? 40 + n : 92 + n}mbg${n}`),
        ...Array.from({ length: 16 }, (_, n) => `${ESC}[0;${n < 8 ? 30 + n : 82 + n};7minverse${n}`),
        `${ESC}[0;38;2;255;255;0myellow`,
        `${ESC}[0;38;2;255;0;128mpink`,
        `${ESC}[0;30;47mblack on white`,
        `${ESC}[0;37;47mwhite on white`,
        `${ESC}[0;48;2;128;128;128mdefault on grey`,
        `${ESC}[0;38;5;226;48;5;227myellow on yellow`,
        `${ESC}[0;7minverse`,
        `${ESC}[0;2mdim`,
      ];
      const pre = draw(samples.join(''));
      const spans = Array.from(pre.querySelectorAll('span'));
      expect(spans.length).to.equal(samples.length);
      for (const span of spans) {
        const style = getComputedStyle(span);
        const behind = style.backgroundColor === 'rgba(0, 0, 0, 0)' ? getComputedStyle(pre).backgroundColor : style.backgroundColor;
        expect(contrast(style.color, behind), `${span.textContent}: ${style.color} on ${behind}`).to.be.at.least(4.5);
      }
    });

    it('computes 256-colour colours for the dark scheme too, and the 16 colours have light and dark values of 4.5:1', () => {
      const pre = draw(Array.from({ length: 240 }, (_, n) => `${ESC}[38;5;${n + 16}mx${ESC}[48;5;${n + 16}my`).join(''));
      for (const span of pre.querySelectorAll('span')) {
        const dark = getComputedStyle(span).getPropertyValue('--_ansi-fg-dark');
        const background = getComputedStyle(span).getPropertyValue('--_ansi-bg-dark') || '#0d1117';
        expect(contrast(dark, background), `${span.textContent}: ${dark} on ${background}`).to.be.at.least(4.5);
        if (background === '#0d1117') expect(contrast(dark, '#2d1214'), 'on the error background').to.be.at.least(4.5);
      }
      // The 16 colours' defaults, light then dark, against the output and the error background of each scheme.
      const blocks = Array.from(ANSI_STYLE.matchAll(/:host(?:\(:state\(dark\)\))?\{([^}]*)\}/g), (match) => match[1]!);
      const backgrounds = [
        ['#ffffff', '#fef3f2'],
        ['#0d1117', '#2d1214'],
      ];
      expect(blocks.length).to.equal(2);
      blocks.forEach((block, scheme) => {
        const values = Array.from(block.matchAll(/--_ansi-\d+:var\(--py-cell-ansi-[a-z-]+,(#[0-9a-f]{6})\)/g), (match) => match[1]!);
        expect(values.length).to.equal(16);
        for (const value of values)
          for (const background of backgrounds[scheme]!) expect(contrast(value, background), value).to.be.at.least(4.5);
      });
    });
  });
});
