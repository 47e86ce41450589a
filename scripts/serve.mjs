#!/usr/bin/env node
// `npm start`: serves the project root (demo/, dist/, wasm-dist/) with the Web Dev Server, on
// localhost only unless HOST says otherwise (HOST=0.0.0.0 npm start serves the network). The
// server binds every interface when its hostname is localhost, so it is bound here instead.
import { startDevServer } from '@web/dev-server';
import config from '../web-dev-server.config.mjs';

const host = process.env.HOST || '127.0.0.1';
const devServer = await startDevServer({ config, readCliArgs: false, readFileConfig: false, logStartMessage: false });
const { server } = devServer;
await new Promise((resolve) => server.close(resolve));
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(config.port, host, resolve);
});
const shown = host === '127.0.0.1' ? 'localhost' : host;
console.log(
  `py-cell demo: http://${shown}:${config.port}/demo/ (serving ${config.rootDir === '.' ? 'the project root' : config.rootDir}; Ctrl+C stops)`,
);
