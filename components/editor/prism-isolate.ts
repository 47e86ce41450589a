/**
 * Prism's core module writes `globalThis.Prism` and, unless told otherwise, highlights the
 * whole page on load. py-cell keeps its own Prism: this module runs before Prism's and sets the
 * options that switch both off; `prism-restore.ts` runs after and puts back the page's own Prism.
 */
type PrismSlot = { Prism?: unknown; __pyCellPagePrism?: { had: boolean; value: unknown } };
const slot = globalThis as unknown as PrismSlot;
slot.__pyCellPagePrism = { had: 'Prism' in slot, value: slot.Prism };
slot.Prism = { manual: true, disableWorkerMessageHandler: true };
export {};
