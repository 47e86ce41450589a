/**
 * `${ansiText(text)}` in a template: output text with its ANSI colours. Text with no escape
 * sequence is itself; text with one is drawn by `ansi-text.ts`, a chunk loaded the first time an
 * output holds one. Until it arrives (a few milliseconds; forever if it cannot load) the text
 * shows with its sequences removed by a rough pattern, never raw.
 */
import { noChange, type ChildPart } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import { BOLD, DIM, hasEscapes, INVERSE, ITALIC, readAnsi, STRIKE, TRUECOLOR, UNDERLINE } from '../../cell/ansi.js';

/** The parser, for the drawing chunk (which cannot import from py-cell.js). */
const PARSER = { readAnsi, BOLD, DIM, INVERSE, ITALIC, STRIKE, TRUECOLOR, UNDERLINE } as const;

type Drawer = typeof import('./ansi-text.js');

let drawer: Drawer | null = null;
let loading: Promise<Drawer> | null = null;

/** CSI and OSC sequences, other ESC pairs, and lone control introducers: the placeholder's removals. */
const ROUGH =
  // eslint-disable-next-line no-control-regex -- control characters are what it removes
  /\x1b\[[0-?]*[ -/]*[@-~]?|(?:\x1b[\]P^_X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?|[\x07\x1b\x9b]/g;

function rootOf(part: ChildPart): ShadowRoot | Document {
  const root = part.parentNode.getRootNode();
  return root instanceof ShadowRoot ? root : document;
}

class AnsiText extends AsyncDirective {
  private text: string | null = null;

  render(text: string): string {
    return text;
  }

  override update(part: ChildPart, [text]: [string]): unknown {
    if (text === this.text) return noChange;
    this.text = text;
    if (!hasEscapes(text)) return text;
    if (drawer) {
      drawer.adoptAnsiStyles(rootOf(part));
      return drawer.drawAnsi(text, PARSER);
    }
    loading ??= import('./ansi-text.js').then((module) => (drawer = module));
    loading.then(
      (module) => {
        if (this.text !== text || !this.isConnected) return;
        module.adoptAnsiStyles(rootOf(part));
        this.setValue(module.drawAnsi(text, PARSER));
      },
      () => (loading = null), // tried again by the next output with a sequence
    );
    return text.replace(ROUGH, '');
  }
}

/** Output text, its ANSI escape sequences drawn as styles. */
export const ansiText = directive(AnsiText);
