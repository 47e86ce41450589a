/**
 * The code editor: a transparent `<textarea>` over the same code highlighted by Prism, so the
 * browser does the editing (selection, undo, IME, spell-check off) and the reader sees colours.
 * Tab indents, Shift+Tab outdents, Enter keeps the indentation, Shift/Ctrl+Enter runs, and
 * Escape leaves the editor (so Tab never traps keyboard users).
 */
import { css, html, type TemplateResult } from 'lit';
import { highlightPython } from './highlight.js';
import { indent, newline, outdent, type Edit } from './keys.js';

export interface CodeEditorOptions {
  /** The code changed by typing. */
  onChange(code: string): void;
  /** Shift+Enter or Ctrl+Enter. */
  onRun(): void;
  /** Escape: focus should move out of the editor. */
  onLeave(): void;
}

export class CodeEditor {
  private readonly: boolean = false;

  constructor(private readonly options: CodeEditorOptions) {}

  /** The editor (part `editor`) showing `code`; the textarea is part `textarea`. */
  render(code: string, readonly: boolean): TemplateResult {
    this.readonly = readonly;
    return html`<div part="editor" class="editor">
      <pre class="highlight" aria-hidden="true"><code>${highlightPython(code)}${'\n'}</code></pre>
      <textarea
        part="textarea"
        rows="1"
        aria-label="Python code"
        spellcheck="false"
        autocapitalize="off"
        autocomplete="off"
        autocorrect="off"
        ?readonly=${readonly}
        .value=${code}
        @input=${this.onInput}
        @keydown=${this.onKeydown}
      ></textarea>
    </div>`;
  }

  private readonly onInput = (event: Event): void => {
    this.options.onChange((event.target as HTMLTextAreaElement).value);
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const textarea = event.target as HTMLTextAreaElement;
    const { value, selectionStart: start, selectionEnd: end } = textarea;
    if (event.key === 'Enter' && (event.shiftKey || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.options.onRun();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.options.onLeave();
    } else if (this.readonly || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) {
      return;
    } else if (event.key === 'Tab') {
      event.preventDefault();
      this.apply(textarea, event.shiftKey ? outdent(value, start, end) : indent(value, start, end));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      this.apply(textarea, newline(value, start, end));
    }
  };

  private apply(textarea: HTMLTextAreaElement, edit: Edit): void {
    textarea.setSelectionRange(edit.from, edit.to);
    // execCommand is deprecated but still the only edit that keeps the browser's undo history;
    // setRangeText is the fallback where it does nothing.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const done = document.execCommand('insertText', false, edit.insert);
    if (!done || textarea.value.slice(edit.from, edit.from + edit.insert.length) !== edit.insert) {
      textarea.setRangeText(edit.insert, edit.from, edit.to, 'end');
    }
    textarea.setSelectionRange(edit.selectionStart, edit.selectionEnd);
    this.options.onChange(textarea.value);
  }
}

/** The editor's styles, for the shadow root it renders into. */
export const editorStyles = css`
  .editor {
    display: grid;
    position: relative;
  }
  .editor > * {
    grid-area: 1 / 1;
    margin: 0;
    border: 0;
    padding: 0.75em 1em;
    font-family: var(--py-cell-code-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    font-size: var(--py-cell-code-font-size, 0.875rem);
    line-height: 1.5;
    tab-size: 4;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    box-sizing: border-box;
    min-height: 2.5em;
  }
  .highlight {
    pointer-events: none;
    color: var(--_fg);
    overflow: hidden;
  }
  textarea {
    resize: none;
    overflow: hidden;
    background: transparent;
    color: transparent;
    caret-color: var(--_fg);
    outline: none;
    width: 100%;
  }
  textarea::selection {
    background: color-mix(in srgb, var(--_accent) 30%, transparent);
    color: transparent;
  }
  .editor:focus-within {
    box-shadow: inset 0 0 0 2px var(--_accent);
  }
  .token.comment {
    color: var(--_comment);
    font-style: italic;
  }
  .token.keyword,
  .token.boolean {
    color: var(--_keyword);
  }
  .token.string,
  .token.triple-quoted-string,
  .token.string-interpolation {
    color: var(--_string);
  }
  .token.number {
    color: var(--_number);
  }
  .token.function,
  .token.class-name,
  .token.decorator {
    color: var(--_function);
  }
  .token.builtin {
    color: var(--_builtin);
  }
  .token.operator,
  .token.punctuation {
    color: var(--_operator);
  }
`;
