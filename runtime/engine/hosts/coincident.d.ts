/** Types for coincident's page and worker entry points (the synchronous DOM bridge). */
declare module 'coincident/window/main' {
  const coincident: (options?: object) => { Worker: typeof Worker; native: boolean };
  export default coincident;
}
declare module 'coincident/window/worker' {
  const coincident: (options?: object) => Promise<{ window: unknown; native: boolean }>;
  export default coincident;
}
