/**
 * Loaded the first time a cell shows a Plotly figure: plotly.js (its prebuilt, minified bundle,
 * built into `dist/py-cell-plotly.js` on its own; the largest renderer, about 1.4 MB gzipped).
 *
 * The figure is data from the cell: its `data` and `layout` are drawn; its `config` is not taken
 * whole (it could point the mode bar at other sites, or set a `plotlyServerURL` to send data to),
 * only the options that change the look. plotly.js keeps links in text to http, https and mailto. In the
 * dark scheme, backgrounds, text and grid follow the cell unless the figure sets them itself.
 * plotly.js puts its styles (the mode bar's) in the page's head; they are copied into the chart's
 * shadow root, which the page's styles do not reach.
 */
import Plotly from 'plotly.js-dist-min';
import type { ChartSpec } from '../../cell/chart-text.js';

const object = (value: unknown): ChartSpec => (value && typeof value === 'object' && !Array.isArray(value) ? (value as ChartSpec) : {});

/** The figure's layout in the cell's scheme: backgrounds transparent, text and grid lines in the cell's colours when dark. */
function layoutFor(layout: ChartSpec, dark: boolean): ChartSpec {
  const themed: ChartSpec = { ...layout };
  themed.paper_bgcolor ??= 'rgba(0,0,0,0)';
  themed.plot_bgcolor ??= 'rgba(0,0,0,0)';
  if (dark) {
    themed.font = { color: '#e6edf3', ...object(layout.font) };
    for (const axis of Object.keys(layout)
      .filter((key) => /^[xy]axis\d*$/.test(key))
      .concat(['xaxis', 'yaxis'])) {
      themed[axis] = { gridcolor: '#30363d', zerolinecolor: '#484f58', linecolor: '#484f58', ...object(layout[axis]) };
    }
  }
  return themed;
}

let styles: CSSStyleSheet | null = null;

/** plotly.js's rules from the page's head, for the chart's shadow root. */
function copyStyles(target: HTMLElement): void {
  const root = target.getRootNode();
  const source = document.getElementById('plotly.js-style-global') as HTMLStyleElement | null;
  if (!(root instanceof ShadowRoot) || !source?.sheet) return;
  styles ??= new CSSStyleSheet();
  styles.replaceSync(Array.from(source.sheet.cssRules, (rule) => rule.cssText).join('\n'));
  if (!root.adoptedStyleSheets.includes(styles)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles];
}

/** Draws the figure into `target`; the returned function releases it. */
export async function drawPlotly(target: HTMLElement, spec: ChartSpec, dark: boolean): Promise<() => void> {
  const data = Array.isArray(spec.data) ? spec.data : [];
  const config = object(spec.config);
  await Plotly.newPlot(target, data as Plotly.Data[], layoutFor(object(spec.layout), dark) as Partial<Plotly.Layout>, {
    responsive: true,
    displaylogo: false,
    ...(typeof config.scrollZoom === 'boolean' ? { scrollZoom: config.scrollZoom } : {}),
    ...(typeof config.displayModeBar === 'boolean' ? { displayModeBar: config.displayModeBar } : {}),
    ...(typeof config.staticPlot === 'boolean' ? { staticPlot: config.staticPlot } : {}),
  });
  copyStyles(target);
  return () => Plotly.purge(target);
}
