/** `.py` files import as their source text (rollup's python-as-text plugin). */
declare module '*.py' {
  const source: string;
  export default source;
}
