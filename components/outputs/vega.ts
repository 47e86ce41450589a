/**
 * Loaded the first time a cell shows a Vega-Lite or Vega chart (a separate chunk): vega-embed with
 * Vega and Vega-Lite, and Vega's expression interpreter, so charts draw under a content security
 * policy without `unsafe-eval` and no spec's expression is ever compiled to JavaScript.
 *
 * A spec is data from the cell: its `usermeta.embedOptions` (which could turn the interpreter off,
 * load options or patches from URLs, or set the loader) are dropped; links (`href`) go through
 * Vega's URL sanitiser, which refuses `javascript:` and the like; tooltips are text (vega-tooltip
 * escapes their HTML). Vega-Lite v4 and v5 specs are compiled by Vega-Lite 6, which reads them
 * (vega-embed notes the version difference in the console).
 */
import embed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { ChartSpec } from '../../cell/chart-text.js';

/** A Vega-Lite single view with no width of its own takes the cell's width. */
function fitted(spec: ChartSpec, library: 'vega-lite' | 'vega'): ChartSpec {
  const { usermeta, ...rest } = spec;
  const kept: ChartSpec = { ...rest };
  if (usermeta && typeof usermeta === 'object') {
    const { embedOptions: _dropped, ...meta } = usermeta as ChartSpec;
    kept.usermeta = meta;
  }
  if (library === 'vega-lite' && 'mark' in kept && kept.width === undefined) kept.width = 'container';
  return kept;
}

/** Draws the chart into `target`; the returned function releases its view. */
export async function drawVega(target: HTMLElement, spec: ChartSpec, library: 'vega-lite' | 'vega', dark: boolean): Promise<() => void> {
  target.style.width = '100%';
  const result = await embed(target, fitted(spec, library), {
    mode: library,
    renderer: 'svg',
    ast: true,
    expr: expressionInterpreter,
    actions: false,
    defaultStyle: false,
    theme: dark ? 'dark' : undefined,
    // The cell's own background shows through, in either scheme.
    config: { background: 'transparent' },
    logLevel: 1,
  });
  return () => result.finalize();
}
