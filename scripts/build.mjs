// Bundles each command into one self-contained CommonJS file,
// dist/sase-<name>.cjs, so an executable loads only its own code and skips
// the ES module loader (about 15 ms of every start here), plus the dispatcher
// dist/sase.cjs and dist/specs.cjs (every spec, for docs and tests).

import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const commandsDir = join(root, 'src', 'commands');
export const commandNames = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();

const entries = {};
for (const name of commandNames) entries[`sase-${name}`] = `virtual:cmd:${name}`;
entries.specs = 'virtual:specs';
entries.sase = join(root, 'src', 'cli', 'dispatch.ts');

const virtual = {
  name: 'virtual-entries',
  setup(b) {
    b.onResolve({ filter: /^virtual:/ }, (args) => ({ path: args.path, namespace: 'virtual' }));
    b.onLoad({ filter: /.*/, namespace: 'virtual' }, (args) => {
      const rel = (p) => JSON.stringify(join(root, p));
      if (args.path === 'virtual:specs') {
        const lines = commandNames.map((n, i) => `import { spec as s${i} } from ${rel(`src/commands/${n}.ts`)};`);
        lines.push(`export const specs = [${commandNames.map((_, i) => `s${i}`).join(', ')}];`);
        return { contents: lines.join('\n'), resolveDir: root, loader: 'ts' };
      }
      const name = args.path.slice('virtual:cmd:'.length);
      return {
        contents: `import { runMain } from ${rel('src/cli/main.ts')};\nimport { spec } from ${rel(`src/commands/${name}.ts`)};\nvoid runMain(spec);\n`,
        resolveDir: root,
        loader: 'ts',
      };
    });
  },
};

// js-yaml (under front-matter) requires esprima at run time, in a try, for its
// unsafe !!js/function type; sase reads YAML only with the safe loaders, so
// that require (about 12 ms of every start that loads front-matter) is taken
// out of the bundle: the try finds no esprima, as in a browser build.
const noEsprima = {
  name: 'no-esprima',
  setup(b) {
    b.onLoad({ filter: /js-yaml[\\/]lib[\\/]js-yaml[\\/]type[\\/]js[\\/]function\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const out = text.replace("esprima = _require('esprima');", "throw new Error('esprima is not bundled');");
      if (out === text) throw new Error(`${args.path}: the esprima require moved; update scripts/build.mjs`);
      return { contents: out, loader: 'js' };
    });
  },
};

// string-width (display widths of wide characters, through emoji-regex: about
// 20 KB) is its own bundle, dist/string-width.cjs, loaded by the first call
// that needs it: a command's bundle holds a stub, so the hot paths (a table
// of ASCII, or JSON on a pipe) neither parse nor carry it.
const LAZY = ['string-width'];
for (const name of LAZY) entries[name] = createRequire(import.meta.url).resolve(name);
const lazy = {
  name: 'lazy-modules',
  setup(b) {
    const filter = new RegExp(`^(${LAZY.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.importer.startsWith(join(root, 'src')) ? { path: args.path, namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: `let m = null;
const load = () => (m ??= require(require('node:path').join(__dirname, ${JSON.stringify(`${args.path}.cjs`)})).default);
export default function lazy(...a) { return load()(...a); }`,
      loader: 'js',
    }));
  },
};

mkdirSync(join(root, 'dist'), { recursive: true });
await build({
  entryPoints: entries,
  outdir: join(root, 'dist'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [virtual, noEsprima, lazy],
  logLevel: 'warning',
  // SASE_BUILD_DEBUG=1 keeps names, for profiles
  minify: process.env.SASE_BUILD_DEBUG !== '1',
  // import() of a node module becomes require(): a dynamic import starts the ES module loader (about 5 ms)
  supported: { 'dynamic-import': false },
  legalComments: 'none',
  // code that finds its files from import.meta.url when run from source (tsx)
  // looks at __filename first in a bundle, where import.meta is empty
  logOverride: { 'empty-import-meta': 'silent' },
});

const { specs } = createRequire(import.meta.url)(join(root, 'dist', 'specs.cjs'));
writeFileSync(
  join(root, 'dist', 'commands.json'),
  JSON.stringify(specs.map((s) => ({ name: s.name, summary: s.summary }))) + '\n',
);

// The launcher loader and, for each command bundle, V8's code cache of every
// function in it: compiled eagerly (--no-lazy), then saved with the default
// flags restored, since V8 rejects a cache made under other flags.
copyFileSync(join(root, 'scripts', 'launch.cjs'), join(root, 'dist', 'launch.cjs'));
for (const name of commandNames) {
  const file = join(root, 'dist', `sase-${name}.cjs`);
  setFlagsFromString('--no-lazy');
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
  setFlagsFromString('--lazy');
  const st = statSync(file);
  writeFileSync(
    join(root, 'dist', `sase-${name}.v8cache`),
    Buffer.concat([Buffer.from(`${st.size} ${st.mtimeMs}\n`), script.createCachedData()]),
  );
}
