// Copied to dist/launch.cjs by scripts/build.mjs. Runs one command bundle,
// dist/<name>.cjs, with the V8 code cache the build wrote beside it
// (dist/<name>.v8cache), so the process starts without compiling the bundle's
// functions (several ms of every run). The cache names the size and mtime of
// the bundle it was made from; a cache for another bundle, or one V8 rejects
// (another Node version or flags), is ignored and the bundle compiles as usual.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

module.exports = function launch(name) {
  const file = join(__dirname, `${name}.cjs`);
  let cachedData;
  try {
    const data = readFileSync(join(__dirname, `${name}.v8cache`));
    const nl = data.indexOf(10);
    const st = statSync(file);
    if (data.subarray(0, nl).toString() === `${st.size} ${st.mtimeMs}`) cachedData = data.subarray(nl + 1);
  } catch {
    // no cache: compile as usual
  }
  if (!cachedData) return require(file);
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(__dirname);
  script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, file, __dirname);
};
