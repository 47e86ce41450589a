/**
 * The look of an output shown as its text instead (markup too large, a chart that cannot be drawn):
 * the note saying why (part `hidden-output`) and the text under it. Shared by `<py-cell-html>` and
 * `<py-cell-chart>`.
 */
import { css } from 'lit';

export const refusalStyles = css`
  .hidden-output {
    color: var(--_muted, #59636e);
    font-style: italic;
  }
  pre {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font: inherit;
  }
`;
