// `npm start`: serves the project root (demo/, dist/, wasm-dist/) as plain static files.
const port = Number(process.env.PORT) || 8000;

export default {
  rootDir: '.',
  port,
  hostname: 'localhost',
  nodeResolve: false,
  watch: false,
  middleware: [
    // `/` opens the demo.
    function demoIndex(context, next) {
      if (context.url === '/') context.redirect('/demo/');
      return next();
    },
  ],
};
