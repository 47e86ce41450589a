// A second origin for the tests, standing in for a CDN: the project root served on another port,
// with CORS (`Access-Control-Allow-Origin: *`) as CDNs answer. Started with the test server;
// `executeServerCommand('cdn-origin')` gives its origin (test/integration/package.test.ts).
import { startDevServer } from '@web/dev-server';
import { createServer } from 'node:net';

/** A port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function cdnServer() {
  let origin = null;
  let devServer = null;
  return {
    name: 'cdn-server',
    async serverStart() {
      const port = await freePort();
      devServer = await startDevServer({
        config: {
          rootDir: process.cwd(),
          port,
          hostname: '127.0.0.1',
          nodeResolve: false,
          watch: false,
          middleware: [
            function cors(context, next) {
              context.set('Access-Control-Allow-Origin', '*');
              return next();
            },
          ],
        },
        readCliArgs: false,
        readFileConfig: false,
        logStartMessage: false,
      });
      origin = `http://127.0.0.1:${port}`;
    },
    async serverStop() {
      await devServer?.stop();
    },
    executeCommand({ command }) {
      return command === 'cdn-origin' ? origin : undefined;
    },
  };
}
