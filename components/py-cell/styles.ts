/** The element's styles: layout, colours (light and dark) and the custom properties authors set. */
import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    /* Space around a cell, which a site's own rule on py-cell overrides. */
    margin-block: 1em;
    /* What the page would otherwise pass down into the code and the output. */
    text-align: start;
    text-indent: 0;
    text-transform: none;
    white-space: normal;
    letter-spacing: normal;
    word-spacing: normal;
    line-height: 1.5;
    font-style: normal;
    font-weight: normal;
    color-scheme: light;
    --_bg: var(--py-cell-background, #fbfbfc);
    --_fg: var(--py-cell-foreground, #1f2328);
    --_border: var(--py-cell-border-color, #d0d7de);
    --_accent: var(--py-cell-accent, #2f6fd1);
    --_accent-fg: var(--py-cell-accent-foreground, #ffffff);
    --_muted: var(--py-cell-muted, #59636e);
    --_out-bg: var(--py-cell-output-background, #ffffff);
    --_stderr: var(--py-cell-stderr-color, #9a3412);
    --_error: var(--py-cell-error-color, #b42318);
    --_error-bg: var(--py-cell-error-background, #fef3f2);
    --_success: var(--py-cell-success-color, #1a7f37);
    --_keyword: var(--py-cell-token-keyword, #cf222e);
    --_string: var(--py-cell-token-string, #0a3069);
    --_number: var(--py-cell-token-number, #0550ae);
    --_comment: var(--py-cell-token-comment, #636c76);
    --_function: var(--py-cell-token-function, #8250df);
    --_builtin: var(--py-cell-token-builtin, #953800);
    --_operator: var(--py-cell-token-operator, #1f2328);
    font-family: var(--py-cell-font-family, system-ui, sans-serif);
    color: var(--_fg);
  }
  /* The page's scheme (color-scheme.ts): dark behind a dark page or a site's dark toggle. */
  :host(:state(dark)) {
    color-scheme: dark;
    --_bg: var(--py-cell-background, #161b22);
    --_fg: var(--py-cell-foreground, #e6edf3);
    --_border: var(--py-cell-border-color, #30363d);
    --_accent: var(--py-cell-accent, #4c8dff);
    --_accent-fg: var(--py-cell-accent-foreground, #0d1117);
    --_muted: var(--py-cell-muted, #9198a1);
    --_out-bg: var(--py-cell-output-background, #0d1117);
    --_stderr: var(--py-cell-stderr-color, #f0883e);
    --_error: var(--py-cell-error-color, #ff7b72);
    --_error-bg: var(--py-cell-error-background, #2d1214);
    --_success: var(--py-cell-success-color, #3fb950);
    --_keyword: var(--py-cell-token-keyword, #ff7b72);
    --_string: var(--py-cell-token-string, #a5d6ff);
    --_number: var(--py-cell-token-number, #79c0ff);
    --_comment: var(--py-cell-token-comment, #8b949e);
    --_function: var(--py-cell-token-function, #d2a8ff);
    --_builtin: var(--py-cell-token-builtin, #ffa657);
    --_operator: var(--py-cell-token-operator, #e6edf3);
  }
  [hidden] {
    display: none !important;
  }
  .base {
    border: 1px solid var(--_border);
    border-radius: var(--py-cell-radius, 6px);
    background: var(--_bg);
    overflow: hidden;
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.4em 0.75em;
    border-top: 1px solid var(--_border);
    font-size: 0.8125rem;
  }
  button {
    font: inherit;
    border-radius: 4px;
    padding: 0.25em 0.9em;
    cursor: pointer;
    border: 1px solid var(--_border);
    background: transparent;
    color: var(--_fg);
  }
  button.run {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
    font-weight: 600;
  }
  button.stop {
    border-color: var(--_error);
    color: var(--_error);
  }
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  /* Heard, not seen: the live region that announces changes of state. */
  .announcement {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .status {
    color: var(--_muted);
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  progress {
    width: 8em;
    height: 0.5em;
    accent-color: var(--_accent);
  }
  .output {
    border-top: 1px solid var(--_border);
    background: var(--_out-bg);
    padding: 0.5em 1em;
    font-family: var(--py-cell-code-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    font-size: var(--py-cell-code-font-size, 0.875rem);
    max-height: var(--py-cell-output-max-height, 32em);
    overflow: auto;
  }
  .output:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .output:empty {
    display: none;
  }
  .output pre {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font: inherit;
  }
  /* The field for input(), on the line of its prompt. */
  .output pre.stream:has(+ input.stdin) {
    display: inline;
  }
  input.stdin {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 0;
    border-bottom: 1px solid var(--_accent);
    min-width: 12em;
    padding: 0 0.25em;
  }
  input.stdin:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .stderr {
    color: var(--_stderr);
  }
  .prerendered {
    margin: 0 0 0.25em;
    color: var(--_muted);
    font-size: 0.8em;
  }
  .hidden-output {
    color: var(--_muted);
    font-style: italic;
    padding: 0.25em 0;
    border-block: 1px dashed var(--_border);
  }
  .output img.image {
    display: block;
    max-width: 100%;
    height: auto;
  }
  .result,
  .display {
    margin: 0.25em 0;
  }
  .error {
    color: var(--_error);
    background: var(--_error-bg);
    border-left: 3px solid var(--_error);
    padding: 0.25em 0.5em;
  }
  /* Running: the button says so; no fading, which would take its text below 4.5:1. */
  :host([status='running']) button.run {
    cursor: progress;
  }
  button.copy {
    margin-inline-start: auto;
  }
`;
