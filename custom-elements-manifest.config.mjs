// `npm run analyze`: custom-elements.json, generated from the element's JSDoc. Never hand-edited.
export default {
  globs: ['components/**/*.ts'],
  exclude: ['**/*.d.ts'],
  outdir: '.',
  litelement: true,
};
