// Every command is fully dressed (git-extras' check_integrity.sh): a launcher,
// a man page, completion entries and a test file, all in step with its spec;
// and the layers import only what they may. Each check lists every offender
// at once, so one run says everything that is missing.

import { execFile, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generatedFiles, loadSpecs, ROOT, readPackage } from '../scripts/gen.ts';
import { initedRepo } from './helpers/fixtures.ts';
import { scratchDir } from './helpers/gitdir.ts';
import { BIN, okBin, saseBin } from './helpers/run.ts';

const t = suite('integrity');
const specs = await loadSpecs();
const expected = generatedFiles(specs, readPackage());
const read = (path: string) => (existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : null);
const hint = "run 'npm run gen'";

t('every command has its launcher in bin/, executable and as gen writes it', () => {
  const bad = ['', ...specs.map((s) => s.name)].filter((name) => {
    const path = name ? `bin/sase-${name}` : 'bin/sase';
    if (read(path) !== expected.get(path)!.text) return true;
    return (statSync(join(ROOT, path)).mode & 0o111) === 0;
  });
  assert.equal(bad, [], `launchers missing, stale or not executable (${hint})`);
});

t('every generated man page and completion file matches its spec', () => {
  const stale = [...expected.keys()].filter(
    (path) => !path.startsWith('bin/') && read(path) !== expected.get(path)!.text,
  );
  assert.equal(stale, [], `stale generated files (${hint})`);
});

t('every command has a man page', () => {
  assert.equal(
    specs.filter((s) => !existsSync(join(ROOT, 'man', 'man1', `sase-${s.name}.1`))).map((s) => s.name),
    [],
  );
});

t('every command is in each completion file', () => {
  for (const file of ['completions/sase.bash', 'completions/_sase', 'completions/sase.fish']) {
    const text = read(file) ?? '';
    assert.equal(
      specs.filter((s) => !text.includes(s.name)).map((s) => s.name),
      [],
      `${file} lacks commands (${hint})`,
    );
  }
});

t('every command has its test file test/commands/<name>.test.ts', () => {
  const missing = specs
    .filter((s) => !existsSync(join(ROOT, 'test', 'commands', `${s.name}.test.ts`)))
    .map((s) => s.name);
  assert.equal(missing, [], 'commands without a test file');
});

t('every command keeps a test through its real launcher bin/sase-<name>', () => {
  // most command tests run in this process; at least one of each file runs the executable as a user does
  const missing = specs.filter((s) => {
    const text = read(`test/commands/${s.name}.test.ts`) ?? '';
    const byHelper = new RegExp(`\\b(okBin|saseBin|saseProcess)\\([^,]+,\\s*'${s.name}'`);
    return !byHelper.test(text) && !text.includes(`sase-${s.name}`);
  });
  assert.equal(
    missing.map((s) => s.name),
    [],
    'test files without a run of the real executable (okBin, saseBin, saseProcess, or sase-<name> on a command line)',
  );
});

t('every spec has an example and an OUTPUT section', () => {
  assert.equal(
    specs.filter((s) => s.examples.length === 0).map((s) => s.name),
    [],
    'specs without an example',
  );
  assert.equal(
    specs.filter((s) => !s.output.trim()).map((s) => s.name),
    [],
    'specs without an output section',
  );
});

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { cwd: tmpdir(), env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 128) : 0;
      done({ code, stdout, stderr });
    });
  });
}

t('--help of every built executable exits 0 and prints the summary', async () => {
  // the launchers load dist/; `npm test` builds it first
  assert.ok(existsSync(join(ROOT, 'dist')), "no dist/: run 'npm run build'");
  const results = await Promise.all(
    specs.map(async (s) => ({ s, r: await run(join(ROOT, 'bin', `sase-${s.name}`), ['--help']) })),
  );
  const bad = results
    .filter(({ s, r }) => r.code !== 0 || !r.stdout.includes(s.summary))
    .map(({ s, r }) => `${s.name}: exit ${r.code} ${r.stderr.trim()}`);
  assert.equal(bad, []);
});

t('libraries only some runs need are bundles of their own, in no command bundle (scripts/build.mjs LAZY)', () => {
  // a string each library's code has, and nothing else of sase's
  const marks = { 'js-yaml': 'tag:yaml.org,2002:', 'fastest-levenshtein': 'Uint32Array(65536)' };
  const dist = join(ROOT, 'dist');
  const bundles = readdirSync(dist).filter((f) => f.startsWith('sase') && f.endsWith('.cjs'));
  assert.ok(bundles.includes('sase-bead-ready.cjs'), "dist/ is built (run 'npm run build')");
  for (const [lib, mark] of Object.entries(marks))
    assert.match(readFileSync(join(dist, `${lib}.cjs`), 'utf8'), mark, `dist/${lib}.cjs is ${lib}`);
  const bad = bundles.flatMap((f) => {
    const code = readFileSync(join(dist, f), 'utf8');
    return Object.entries(marks).flatMap(([lib, mark]) => (code.includes(mark) ? [`${f}: ${lib}`] : []));
  });
  assert.equal(bad, []);
});

t('the reads of every day start no process and do not even load node:child_process', async () => {
  const repo = await initedRepo();
  const [bead] = okBin(repo, 'bead-create', ['--title', 'one']);
  okBin(repo, 'bead-ready'); // the cache brought up to date
  okBin(repo, 'bead-list', ['--limit', '1']); // the head of the list made, by the first list that reads it
  // a preload that tells, on stderr, when anything loads node:child_process
  const hook = join(scratchDir(), 'hook.cjs');
  writeFileSync(
    hook,
    `const M = require('module'); const load = M._load;
M._load = function (req, ...rest) {
  if (req === 'node:child_process' || req === 'child_process') process.stderr.write('LOADED child_process\\n');
  return load.call(this, req, ...rest);
};
process.getBuiltinModule = ((get) => (id) => (/child_process$/.test(id) && process.stderr.write('LOADED child_process\\n'), get(id)))(process.getBuiltinModule);
`,
  );
  const env = { NODE_OPTIONS: `--require ${hook}` };
  for (const [name, args] of [
    ['bead-ready', []],
    ['bead-show', [bead!.id]],
    ['bead-list', ['--limit', '5']],
  ] as const) {
    const r = saseBin(repo, name, [...args], { env });
    assert.is(r.code, 0, `${name}: ${r.stderr}`);
    assert.is(r.stderr, '', `${name} loaded node:child_process`);
  }
  // the check sees a load where there is one: a cold cache is built by git
  rmSync(join(repo.dir, '.git', 'sase', 'cache'), { recursive: true, force: true });
  const cold = saseBin(repo, 'bead-ready', [], { env });
  assert.is(cold.code, 0, cold.stderr);
  assert.match(cold.stderr, 'LOADED child_process');
});

t('a command whose output goes to /dev/null does not load node:tty to learn it is no terminal', async () => {
  const repo = await initedRepo();
  okBin(repo, 'bead-create', ['--title', 'one']);
  const hook = join(scratchDir(), 'tty-hook.cjs');
  writeFileSync(
    hook,
    `process.getBuiltinModule = ((get) => (id) => (/tty$/.test(id) && process.stderr.write('LOADED tty\\n'), get(id)))(process.getBuiltinModule);
const M = require('module'); const load = M._load;
M._load = function (req, ...rest) { if (/^(node:)?tty$/.test(req)) process.stderr.write('LOADED tty\\n'); return load.call(this, req, ...rest); };
`,
  );
  const env = { ...process.env, ...repo.env, NODE_OPTIONS: `--require ${hook}` };
  const devNull = openSync('/dev/null', 'w');
  try {
    for (const name of ['bead-ready', 'bead-list']) {
      const r = spawnSync(join(BIN, `sase-${name}`), [], {
        cwd: repo.dir,
        env,
        stdio: [devNull, devNull, 'pipe'],
        encoding: 'utf8',
      });
      assert.is(r.status, 0, r.stderr);
      assert.is(r.stderr, '', `${name} loaded node:tty`);
    }
  } finally {
    closeSync(devNull);
  }
  // the hook sees a load where there is one
  const probe = spawnSync(process.execPath, ['-e', "process.getBuiltinModule('node:tty')"], { env, encoding: 'utf8' });
  assert.match(probe.stderr, 'LOADED tty');
});

// ---- layering: read the import statements under src/

const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** What a file imports: bare names as written, ours as paths relative to src/ ('git/exec.ts'). */
function importsOf(file: string): string[] {
  // drop comments so prose that mentions a module does not count
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const found = [
    ...code.matchAll(/(?:^|[;\s])(?:import|export)\s*(?:type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return found.map((s) => (s.startsWith('.') ? relative(SRC, resolve(dirname(file), s)) : s));
}

const files = tsFiles(SRC).map((f) => ({ path: relative(SRC, f), imports: importsOf(f) }));
const violations = (where: (path: string) => boolean, banned: (imp: string) => boolean) =>
  files
    .filter((f) => where(f.path))
    .flatMap((f) => f.imports.filter(banned).map((imp) => `src/${f.path} imports '${imp}'`));

/**
 * The layers, highest first (ARCHITECTURE.md section 4). An import may point
 * to its own rank or a lower one, type-only imports included.
 */
const RANK: Record<string, number> = {
  commands: 6, // one command: its spec, parse, call app/store, print
  cli: 5, // CLI plumbing: parser, context, NDJSON, views, errors and exit codes
  app: 4, // services that span records, processes and time
  store: 3, // records <-> the state ref
  git: 2, // the only code that runs git
  proc: 2, // the only code that runs any other program
  core: 1, // the domain, pure
  wire: 1, // the JSON shape of every record
};
const folderOf = (path: string) => path.split('/')[0]!;
const ours = (imp: string) => imp.endsWith('.ts') && !imp.startsWith('node:') && !imp.startsWith('..');

t('the import reader sees the imports', () => {
  // guards the checks below against a regex that silently matches nothing
  const store = files.find((f) => f.path === 'store/store.ts');
  assert.ok(store?.imports.includes('git/exec.ts'), 'store/store.ts should import git/exec.ts');
  const typeOnly = files.find((f) => f.path === 'store/runs.ts');
  assert.ok(typeOnly?.imports.includes('store/snapshot.ts'), "store/runs.ts's type-only import of snapshot.ts counts");
});

t('every folder of src/ has a rank', () => {
  assert.equal(
    [...new Set(files.map((f) => folderOf(f.path)))].filter((d) => !(d in RANK)),
    [],
  );
});

t('imports point to the same rank or lower: commands > cli > app > store > git, proc > core, wire', () => {
  const up = files.flatMap((f) =>
    f.imports
      .filter((imp) => ours(imp) && RANK[folderOf(imp)]! > RANK[folderOf(f.path)]!)
      .map((imp) => `src/${f.path} (${folderOf(f.path)}) imports '${imp}' (${folderOf(imp)})`),
  );
  assert.equal(up, []);
});

t('no import circles between the files of src/', () => {
  const graph = new Map(files.map((f) => [f.path, f.imports.filter(ours)]));
  const state = new Map<string, 'open' | 'done'>();
  const circles: string[] = [];
  const visit = (path: string, trail: string[]) => {
    if (state.get(path) === 'done') return;
    if (state.get(path) === 'open') {
      circles.push([...trail.slice(trail.indexOf(path)), path].join(' -> '));
      return;
    }
    state.set(path, 'open');
    for (const next of graph.get(path) ?? []) visit(next, [...trail, path]);
    state.set(path, 'done');
  };
  for (const path of graph.keys()) visit(path, []);
  assert.equal(circles, []);
});

t('only src/git/ and src/proc/ (and the dispatcher and the editor) spawn processes', () => {
  const spawner = (imp: string) => ['tinyexec', 'node:child_process', 'child_process'].includes(imp);
  // src/proc/ runs the user's own programs (hooks, gh); the dispatcher sase-<noun>-<verb>, the editor module $EDITOR
  assert.equal(
    violations(
      (p) => !p.startsWith('git/') && !p.startsWith('proc/') && p !== 'cli/dispatch.ts' && p !== 'cli/editor.ts',
      spawner,
    ),
    [],
  );
});

t('src/commands/ never imports src/git/: a command never runs git itself', () => {
  assert.equal(
    violations(
      (p) => p.startsWith('commands/'),
      (imp) => imp.startsWith('git/'),
    ),
    [],
  );
});

t('src/core/ and src/wire/ are pure: no node modules', () => {
  const builtins = new Set(builtinModules);
  const impure = (imp: string) => imp.startsWith('node:') || builtins.has(imp.split('/')[0]!);
  assert.equal(
    violations((p) => p.startsWith('core/') || p.startsWith('wire/'), impure),
    [],
  );
});

t('time and chance come from the context: no clock or randomness read outside src/cli/context.ts', () => {
  // core/clock.ts says why; a function given a time (new Date(ms)) is fine, one that reads the clock is not
  const reads =
    /\bDate\.now\(|\bnew Date\(\s*\)|\brandomUUID\b|\brandomBytes\b|\bMath\.random\(|\bperformance\.now\(|\bhrtime\b/;
  const found = tsFiles(SRC)
    .filter((f) => relative(SRC, f) !== 'cli/context.ts')
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `src/${relative(SRC, f)}:${i + 1}` }))
        .filter(({ line }) => !/^\s*(\/\/|\*)/.test(line) && reads.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
  assert.equal(found, []);
});

t.run();
