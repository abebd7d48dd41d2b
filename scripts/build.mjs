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
// a thread's module: a bundle of its own beside the commands' (src/proc/thread.ts)
entries['ready-lines-thread'] = join(root, 'src', 'store', 'ready-lines-thread.ts');

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

// Libraries only some runs need are bundles of their own, dist/<name>.cjs,
// loaded (synchronously) by the first call into them: a command's bundle
// holds a stub with the same exports, so the hot paths neither parse nor
// carry them. string-width (display widths of wide characters, through
// emoji-regex: about 20 KB) serves tables of non-ASCII text; js-yaml (about
// 44 KB) plans' and XPrompts' front matter; fastest-levenshtein the
// "did you mean" hint of a mistyped word. Each is named with the exports sase
// uses.
const LAZY = { 'string-width': ['default'], 'js-yaml': ['load', 'dump'], 'fastest-levenshtein': ['distance'] };
for (const name of Object.keys(LAZY)) entries[name] = createRequire(import.meta.url).resolve(name);
const lazy = {
  name: 'lazy-modules',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.importer.startsWith(join(root, 'src')) ? { path: args.path, namespace: 'lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const lines = [
        'let m = null;',
        `const lazyModule = () => (m ??= require(require('node:path').join(__dirname, ${JSON.stringify(`${args.path}.cjs`)})));`,
      ];
      for (const name of LAZY[args.path])
        lines.push(
          name === 'default'
            ? 'export default function lazy(...a) { return lazyModule().default(...a); }'
            : `export function ${name}(...a) { return lazyModule().${name}(...a); }`,
        );
      return { contents: lines.join('\n'), loader: 'js' };
    });
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
  plugins: [virtual, lazy],
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
