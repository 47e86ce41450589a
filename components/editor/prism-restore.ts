/** See `prism-isolate.ts`: puts back whatever the page had as `globalThis.Prism`. */
type PrismSlot = { Prism?: unknown; __pyCellPagePrism?: { had: boolean; value: unknown } };
const slot = globalThis as unknown as PrismSlot;
const saved = slot.__pyCellPagePrism;
if (saved?.had) slot.Prism = saved.value;
else delete slot.Prism;
delete slot.__pyCellPagePrism;
export {};
