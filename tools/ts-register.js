/**
 * Lets plain `node` run the tools' TypeScript sources (and the library
 * sources they import through the @udpix/* path aliases) without a build
 * step: ts-node in transpile-only mode (type checking is lint's and the
 * `typecheck` targets' job) plus tsconfig-paths. Use as `node -r
 * ./tools/ts-register.js tools/<tool>/src/main.ts`; forked children inherit it
 * through execArgv.
 */
const path = require('node:path');

process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || path.join(__dirname, 'tsconfig.tools.json');
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_FILES = 'false';

require('ts-node').register();
require('tsconfig-paths').register({
  baseUrl: path.join(__dirname, '..'),
  paths: require('../tsconfig.base.json').compilerOptions.paths,
});
