#!/usr/bin/env node
// `npm run bench [-- --sizes 1000,10000 --runs 5]`: builds bead stores of each
// size through sase-bead-import and times the commands as whole processes,
// warm and cold (cache deleted), interleaved with the floor
// `node -e 0 && git rev-parse refs/sase/state` so that machine noise hits all
// alike. Writes medians, ratios to the floor and verdicts to bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envFor } from './env.mjs';
import { generateBeads } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin');
const WORK = join(ROOT, 'bench', '.work');

function parseArgs(argv) {
  const opts = {
    sizes: [1000, 10000, 100000],
    crowded: [5000, 20000],
    writers: 30,
    sync: 100000,
    syncOps: 100,
    runs: 5,
    batch: 100,
    agents: true,
    axe: true,
    ace: true,
    showRuns: true,
    completion: 50000,
    out: join(ROOT, 'bench', 'RESULTS.md'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = () => inline ?? argv[++i];
    if (flag === '--sizes') opts.sizes = value().split(',').map(Number);
    else if (flag === '--crowded') opts.crowded = value().split(',').filter(Boolean).map(Number);
    else if (flag === '--writers') opts.writers = Number(value());
    else if (flag === '--sync') opts.sync = Number(value());
    else if (flag === '--runs') opts.runs = Number(value());
    else if (flag === '--batch') opts.batch = Number(value());
    else if (flag === '--out') opts.out = value();
    else if (flag === '--no-agents') opts.agents = false;
    else if (flag === '--no-axe') opts.axe = false;
    else if (flag === '--no-ace') opts.ace = false;
    else if (flag === '--ace-only') opts.aceOnly = true;
    else if (flag === '--no-show-runs') opts.showRuns = false;
    else if (flag === '--completion') opts.completion = Number(value());
    // a quick look at the bead sizes (--sizes) and bead show with 5,000 runs alone, printed, RESULTS.md untouched
    else if (flag === '--speed-only') opts.speedOnly = true;
    else {
      console.error(
        `usage: node bench/run.mjs [--sizes 1000,10000,100000] [--crowded 5000,20000] [--writers 30] [--sync 100000] [--runs 5] [--batch 100] [--no-agents] [--no-axe] [--no-ace] [--no-show-runs] [--completion 50000] [--ace-only | --speed-only] [--out bench/RESULTS.md]`,
      );
      process.exit(129);
    }
  }
  if (opts.sizes.some((n) => !Number.isInteger(n) || n < 10) || !(opts.runs >= 1) || !(opts.batch >= 1)) {
    console.error('bench: sizes must be whole numbers of at least 10; runs and batch at least 1');
    process.exit(129);
  }
  return opts;
}

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

/** Runs one process to the end; returns its wall time in ms. Fails loudly on a non-zero exit. */
function timed(cwd, env, argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}\n${String(r.stderr).slice(0, 2000)}`);
  return { ms, stdout: String(r.stdout) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A new repository at `dir` with one empty commit on main and sase initialised (prefix 'bench'). */
function initRepo(dir, env) {
  mkdirSync(dir);
  for (const argv of [
    ['git', 'init', '-q', '-b', 'main'],
    ['git', 'commit', '-q', '--allow-empty', '-m', 'initial'],
    [join(BIN, 'sase-init'), '--prefix', 'bench'],
  ])
    timed(dir, env, argv);
}

/** bench/.work/<name>, made anew: a home folder and an initialised repository in it. */
function freshRepo(name) {
  const base = join(WORK, name);
  rmSync(base, { recursive: true, force: true });
  const home = join(base, 'home');
  mkdirSync(home, { recursive: true });
  const env = envFor(home);
  const dir = join(base, 'repo');
  initRepo(dir, env);
  return { dir, env };
}

/** A store of `size` beads, built through sase-bead-import; returns where it is and how long the import took. */
function buildStore(size, importRuns, shard, name) {
  const base = join(WORK, name ? `${name}-${size}` : shard ? `${size}-${shard}` : String(size));
  rmSync(base, { recursive: true, force: true });
  const home = join(base, 'home');
  mkdirSync(home, { recursive: true });
  const env = envFor(home);
  const file = join(base, 'beads.ndjson');
  const beads = generateBeads(size, 42, { shard });
  writeFileSync(file, beads.map((b) => JSON.stringify(b)).join('\n') + '\n');
  const importMs = [];
  let dir;
  for (let i = 0; i < importRuns; i++) {
    dir = join(base, `repo-${i}`);
    initRepo(dir, env);
    importMs.push(timed(dir, env, [join(BIN, 'sase-bead-import'), file]).ms);
    if (i < importRuns - 1) rmSync(dir, { recursive: true, force: true });
  }
  return { dir, env, beads, importMs };
}

/** Picks the beads the commands act on: a blocked phase with dependencies for show, open tasks to update. */
function targets(beads) {
  const open = beads.filter((b) => b.status === 'open' && b.issue_type === 'task');
  const phase =
    beads.find((b, i) => i > beads.length / 2 && b.issue_type === 'phase' && b.dependencies.length > 0) ??
    beads[beads.length >> 1];
  return { show: phase.id, update: open.slice(0, 8).map((b) => b.id) };
}

function runSize(size, opts) {
  log(`${size} beads: generating and importing`);
  const { dir, env, beads, importMs } = buildStore(size, size <= 10_000 ? 3 : 1);
  log(`${size} beads: imported in ${importMs.map((m) => (m / 1000).toFixed(2)).join(', ')} s`);
  const cacheDir = join(dir, '.git', 'sase', 'cache');
  const dropCache = () => rmSync(cacheDir, { recursive: true, force: true });
  const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
  const warmUp = () => timed(dir, env, sase('bead-ready', '--limit', '1'));
  const t = targets(beads);
  let n = 0;
  const nextUpdate = () => {
    n++;
    return sase('bead-update', t.update[n % t.update.length], '--priority', String(n % 5));
  };

  const reads = {
    ready: () => sase('bead-ready'),
    'ready --limit 10': () => sase('bead-ready', '--limit', '10'),
    show: () => sase('bead-show', t.show),
    list: () => sase('bead-list'),
    'list --limit 50': () => sase('bead-list', '--limit', '50'),
    // what a shell runs for `sase bead show <TAB>`: every id, and after two typed characters
    'complete (every id)': () => sase('complete', 'beads', ''),
    'complete (2 chars)': () => sase('complete', 'beads', t.show.slice(t.show.indexOf('-') + 1).slice(0, 2)),
  };
  const writes = {
    update: nextUpdate,
    create: () => sase('bead-create', '--title', `bench create ${n++}`),
  };
  const samples = {};
  const add = (key, ms) => (samples[key] ??= []).push(ms);
  const floor = () =>
    timed(dir, env, ['node', '-e', '0']).ms + timed(dir, env, ['git', 'rev-parse', 'refs/sase/state']).ms;

  for (let run = 0; run < opts.runs; run++) {
    log(`${size} beads: run ${run + 1}/${opts.runs}`);
    // side by side: each round times the floor and every command once
    add('floor', floor());
    for (const [name, argv] of Object.entries(reads)) {
      warmUp();
      // warm completion: the cache's list of ids made too (the first completion of everything makes it);
      // a warm list from the head of the list: the head made too (the first list that reads it makes it)
      if (name.startsWith('complete')) timed(dir, env, reads['complete (every id)']());
      if (name === 'list --limit 50') timed(dir, env, sase('bead-list', '--limit', '1'));
      add(`warm ${name}`, timed(dir, env, argv()).ms);
    }
    // the cache one commit behind: what the first read after a write pays
    timed(dir, env, nextUpdate());
    add('warm ready after a write', timed(dir, env, reads.ready()).ms);
    for (const [name, argv] of Object.entries(reads)) {
      dropCache();
      add(`cold ${name}`, timed(dir, env, argv()).ms);
    }
    for (const [name, argv] of Object.entries(writes)) {
      warmUp();
      add(`warm ${name}`, timed(dir, env, argv()).ms);
    }
    for (const [name, argv] of Object.entries(writes)) {
      dropCache();
      add(`cold ${name}`, timed(dir, env, argv()).ms);
    }
    add('floor', floor());
  }
  // the batch: sequential single-bead writes, timed as a whole and one by one
  const batch = {};
  for (const mode of ['warm', 'cold']) {
    log(`${size} beads: ${opts.batch}-operation batch, ${mode}`);
    if (mode === 'cold') dropCache();
    else warmUp();
    const each = [];
    const start = process.hrtime.bigint();
    for (let i = 0; i < opts.batch; i++) each.push(timed(dir, env, nextUpdate()).ms);
    batch[mode] = { total: Number(process.hrtime.bigint() - start) / 1e6, perOp: median(each) };
  }
  const readyCount = timed(dir, env, sase('bead-ready', '--format', 'id'))
    .stdout.split('\n')
    .filter(Boolean).length;
  const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  return {
    size,
    importMs,
    medians,
    runs: opts.runs,
    batch,
    readyCount,
    closed: beads.filter((b) => b.status === 'closed').length,
  };
}

/**
 * What sase adds around an agent: `sase-agent-run --provider example` (a new
 * workspace, the records, the detached supervisor, the end recorded) against
 * the example agent run by hand in a checkout, and the readers with many runs.
 */
function runAgents(opts) {
  log('agent runs');
  const { dir, env } = freshRepo('agents');
  const prompt = 'say: hello';
  const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
  const samples = {
    floor: [],
    'example agent alone': [],
    'agent run (whole run)': [],
    'agent run --detach': [],
    'agent list (all)': [],
    'agent show': [],
  };
  const floor = () => {
    const a = timed(dir, env, ['node', '-e', '0']).ms;
    return a + timed(dir, env, ['git', 'rev-parse', 'HEAD']).ms;
  };
  let last = null;
  const extra = 40; // runs made first, so the readers have something to read
  for (let i = 0; i < extra; i++) timed(dir, env, sase('agent-run', '--provider', 'example', '--detach', prompt));
  for (let i = 0; i < opts.runs; i++) {
    samples.floor.push(floor());
    samples['example agent alone'].push(
      timed(dir, env, ['sh', '-c', `printf '%s\\n' '${prompt}' | ${join(BIN, 'sase-example-agent')}`]).ms,
    );
    const run = timed(dir, env, sase('agent-run', '--provider', 'example', '--format', 'id', prompt));
    samples['agent run (whole run)'].push(run.ms);
    last = run.stdout.trim();
    samples['agent run --detach'].push(
      timed(dir, env, sase('agent-run', '--provider', 'example', '--detach', prompt)).ms,
    );
    samples['agent list (all)'].push(timed(dir, env, sase('agent-list', '--all')).ms);
    samples['agent show'].push(timed(dir, env, sase('agent-show', last)).ms);
  }
  const runs = extra + 2 * opts.runs;
  return { runs, medians: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) };
}

/** A run record as git stores it: keys sorted, two-space indent (as sase writes records). */
function canonicalJson(value) {
  const sort = (v) =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort(v[k])]),
          )
        : v;
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

/**
 * \`bead show\` in a repository holding 5,000 runs: one real run of the
 * example agent on the bead shown, then `runs` copies of its record spread
 * over the store's beads, written in one commit with git fast-import (as
 * many runs would have left them), against the floor.
 */
function runShowRuns(opts, runs = 5000) {
  log(`bead show with ${runs} runs`);
  const { dir, env, beads } = buildStore(1000, 1, undefined, 'show-runs');
  const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
  const target = beads.find((b) => b.status === 'open' && b.issue_type === 'task').id;
  const first = JSON.parse(
    timed(dir, env, sase('agent-run', '--provider', 'example', '--bead', target, '--no-close', '--json', 'say: hi'))
      .stdout,
  ).id;
  const git = (...args) => timed(dir, env, ['git', ...args]).stdout;
  const record = JSON.parse(git('cat-file', '-p', `refs/sase/state:agents/${first.slice(2, 4)}/${first}.json`));
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const chunks = [
    `commit refs/sase/state\ncommitter Bench <bench@example.com> 1767225600 +0000\ndata 23\nsase: bench: many runs\nfrom ${git('rev-parse', 'refs/sase/state').trim()}\n`,
  ];
  for (let i = 0; i < runs; i++) {
    let id = 'r-';
    for (let n = i + 1, k = 0; k < 8; k++, n = Math.floor(n / 32)) id += alphabet[n % 32];
    const body = canonicalJson({ ...record, id, name: null, bead: beads[(i * 7) % beads.length].id });
    chunks.push(`M 100644 inline agents/${id.slice(2, 4)}/${id}.json\ndata ${Buffer.byteLength(body)}\n${body}\n`);
  }
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: chunks.join('') });
  if (r.status !== 0) throw new Error(`git fast-import: ${r.stderr}`);
  timed(dir, env, sase('bead-show', target)); // the index of runs by bead made once, untimed
  const samples = { floor: [], 'bead show': [] };
  for (let i = 0; i < opts.runs; i++) {
    samples.floor.push(
      timed(dir, env, ['node', '-e', '0']).ms + timed(dir, env, ['git', 'rev-parse', 'refs/sase/state']).ms,
    );
    samples['bead show'].push(timed(dir, env, sase('bead-show', target)).ms);
  }
  const shown = JSON.parse(timed(dir, env, sase('bead-show', target, '--json')).stdout);
  return {
    runs: runs + 1,
    ofBead: shown.runs.length,
    medians: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])),
  };
}

/**
 * Completing a bead id at the size the target names (50,000 beads, warm):
 * every id (a TAB on an empty word) and two characters typed.
 */
function runCompletion(opts) {
  const size = opts.completion;
  log(`completion at ${size} beads`);
  const { dir, env, beads } = buildStore(size, 1, undefined, 'completion');
  const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
  const id = beads[beads.length >> 1].id;
  const typed = id.slice(id.indexOf('-') + 1).slice(0, 2);
  // the cache built once and the list of ids made by a first completion, untimed
  timed(dir, env, sase('bead-ready', '--limit', '1'));
  timed(dir, env, sase('complete', 'beads', ''));
  const samples = { floor: [], 'every id': [], '2 chars': [], 'every id after a create': [] };
  for (let i = 0; i < opts.runs; i++) {
    samples.floor.push(
      timed(dir, env, ['node', '-e', '0']).ms + timed(dir, env, ['git', 'rev-parse', 'refs/sase/state']).ms,
    );
    samples['every id'].push(timed(dir, env, sase('complete', 'beads', '')).ms);
    samples['2 chars'].push(timed(dir, env, sase('complete', 'beads', typed)).ms);
    // the TAB right after a new bead: the cache brought up by one commit, its list of ids spliced
    timed(dir, env, sase('bead-create', '--title', `completion ${i}`));
    samples['every id after a create'].push(timed(dir, env, sase('complete', 'beads', '')).ms);
  }
  return { size, medians: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) };
}

/**
 * Every bead in one shard (ids sharing their first two characters, as an
 * import of another tool's ids can give): cold and warm reads, which must
 * grow with the store, not with its square.
 */
function runCrowded(size, opts) {
  log(`${size} beads in one shard: generating and importing`);
  const { dir, env, beads, importMs } = buildStore(size, 1, 'aa');
  const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
  const dropCache = () => rmSync(join(dir, '.git', 'sase', 'cache'), { recursive: true, force: true });
  const show = beads[beads.length >> 1].id;
  const samples = { 'cold list': [], 'warm list': [], 'cold ready': [], 'warm show': [] };
  for (let run = 0; run < opts.runs; run++) {
    dropCache();
    samples['cold list'].push(timed(dir, env, sase('bead-list')).ms);
    samples['warm list'].push(timed(dir, env, sase('bead-list')).ms);
    samples['warm show'].push(timed(dir, env, sase('bead-show', show)).ms);
    dropCache();
    samples['cold ready'].push(timed(dir, env, sase('bead-ready')).ms);
  }
  return {
    size,
    importMs: importMs[0],
    medians: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])),
  };
}

/** Runs one process to the end, asynchronously; resolves with its exit code and wall time. */
function timedAsync(cwd, env, argv) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('close', (code) => resolve({ code, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
  });
}

/**
 * Contention: `writers` processes at once, each updating its own bead
 * `rounds` times in a row, all on the one state ref. Every write must land
 * (none lost); the target is that none gives up (exit 3) either.
 */
async function runContention(opts, rounds = 5) {
  log(`${opts.writers} writers at once, ${rounds} writes each`);
  const { dir, env } = freshRepo('contention');
  const ids = [];
  for (let i = 0; i < opts.writers; i++)
    ids.push(
      timed(dir, env, [join(BIN, 'sase-bead-create'), '--title', `writer ${i}`, '--format', 'id']).stdout.trim(),
    );
  const before = Number(String(spawnSync('git', ['rev-list', '--count', 'refs/sase/state'], { cwd: dir, env }).stdout));
  const start = process.hrtime.bigint();
  const outcomes = await Promise.all(
    ids.map(async (id) => {
      const mine = [];
      for (let r = 0; r < rounds; r++)
        mine.push(await timedAsync(dir, env, [join(BIN, 'sase-bead-update'), id, '--priority', String(r % 5)]));
      return mine;
    }),
  );
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const all = outcomes.flat();
  const after = Number(String(spawnSync('git', ['rev-list', '--count', 'refs/sase/state'], { cwd: dir, env }).stdout));
  return {
    writers: opts.writers,
    writes: all.length,
    landed: all.filter((o) => o.code === 0).length,
    gaveUp: all.filter((o) => o.code === 3).length,
    failed: all.filter((o) => o.code !== 0 && o.code !== 3).length,
    commits: after - before,
    wall,
    median: median(all.map((o) => o.ms)),
    max: Math.max(...all.map((o) => o.ms)),
  };
}

/**
 * Sync: a store of `opts.sync` beads on a bare remote and two clones. Times
 * the adoption of the state by a new clone; `syncOps` operations made on each
 * side offline, then the sync that replays ours over theirs; a sync with
 * nothing to do against a bare `git fetch` of the same refs (medians of
 * `runs`, interleaved); and `ready` right after a sync (the cache follows
 * incrementally, never rebuilt).
 */
function runSync(opts) {
  const size = opts.sync;
  log(`sync at ${size} beads: a remote and two clones`);
  const { dir: a, env, beads } = buildStore(size, 1, undefined, 'sync');
  const base = join(WORK, `sync-${size}`);
  const remote = join(base, 'remote.git');
  const b = join(base, 'clone-b');
  const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
  timed(base, env, ['git', 'init', '-q', '--bare', remote]);
  timed(a, env, ['git', 'remote', 'add', 'origin', remote]);
  timed(a, env, ['git', 'push', '-q', 'origin', 'main']);
  const firstPush = timed(a, env, sase('sync')).ms;
  timed(base, env, ['git', 'clone', '-q', remote, b]);
  const adopt = timed(b, env, sase('sync')).ms;
  timed(b, env, sase('bead-ready', '--limit', '1'));
  const open = beads.filter((x) => x.status === 'open').slice(0, opts.syncOps);
  log(`sync at ${size} beads: ${open.length} operations on each side`);
  open.forEach((x, i) => {
    timed(a, env, sase('bead-update', x.id, '--priority', String(i % 5)));
    timed(b, env, sase('bead-update', x.id, '--title', `edited in b ${i}`));
  });
  timed(a, env, sase('sync'));
  const replay = timed(b, env, sase('sync'));
  const replayed = JSON.parse(replay.stdout);
  const readyAfter = timed(b, env, sase('bead-ready', '--limit', '1')).ms;
  timed(a, env, sase('sync'));
  const noop = [];
  const fetch = [];
  for (let i = 0; i < opts.runs; i++) {
    noop.push(timed(b, env, sase('sync')).ms);
    fetch.push(
      timed(b, env, [
        'git',
        'fetch',
        '--quiet',
        '--no-tags',
        'origin',
        '+refs/sase/*:refs/sase-remotes/origin/*',
        '+refs/notes/sase*:refs/sase-remotes/origin/notes*',
      ]).ms,
    );
  }
  return {
    size,
    ops: open.length,
    firstPush,
    adopt,
    replayMs: replay.ms,
    replayed: replayed.replayed,
    fetched: replayed.fetched,
    readyAfter,
    noop: median(noop),
    fetch: median(fetch),
  };
}

/**
 * The Axe's idle tick at 10,000 beads and 100 runs: with nothing due, and
 * with every lumberjack due and nothing to do (intervals of 100 ms, a pause
 * between ticks untimed); then --all over 20 registered repositories against
 * one, nothing to do in each.
 */
function runAxe(opts) {
  log('axe: 10,000 beads and 100 runs');
  const { dir, env } = buildStore(10_000, 1, undefined, 'axe');
  const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
  for (let i = 0; i < 100; i++) timed(dir, env, sase('agent-run', '--provider', 'example', '--detach', 'say: hi'));
  for (let i = 0; i < 300; i++) {
    const going = JSON.parse(
      `[${timed(dir, env, sase('agent-list', '--all', '--json'))
        .stdout.trim()
        .split('\n')
        .join(',')}]`,
    );
    if (going.every((r) => r.status === 'done')) break;
    spawnSync('sleep', ['0.2']);
  }
  const floor = () => timed(dir, env, ['node', '-e', '0']).ms + timed(dir, env, ['git', 'rev-parse', 'HEAD']).ms;
  const quick = ['waits', 'hooks', 'reviews', 'sync', 'housekeeping']
    .map((n) => `[axe.lumberjacks.${n}]\ninterval = "100ms"\n`)
    .join('');
  const samples = { floor: [], 'tick, nothing due': [], 'tick, all due, nothing to do': [] };
  timed(dir, env, sase('axe-tick'));
  for (let i = 0; i < opts.runs; i++) {
    samples.floor.push(floor());
    samples['tick, nothing due'].push(timed(dir, env, sase('axe-tick')).ms);
  }
  mkdirSync(join(dir, '.sase'), { recursive: true });
  writeFileSync(join(dir, '.sase', 'config.toml'), quick);
  timed(dir, env, sase('axe-tick'));
  for (let i = 0; i < opts.runs; i++) {
    spawnSync('sleep', ['0.15']);
    samples['tick, all due, nothing to do'].push(timed(dir, env, sase('axe-tick')).ms);
  }
  log('axe: --all over 20 repositories');
  const base = join(WORK, 'axe-all');
  rmSync(base, { recursive: true, force: true });
  const home = join(base, 'home');
  mkdirSync(join(home, '.config', 'sase'), { recursive: true });
  const allEnv = envFor(home);
  const repos = [];
  for (let i = 0; i < 20; i++) {
    const r = join(base, `repo-${i}`);
    initRepo(r, allEnv);
    mkdirSync(join(r, '.sase'), { recursive: true });
    writeFileSync(join(r, '.sase', 'config.toml'), quick);
    repos.push(r);
  }
  const all = {};
  for (const n of [1, 20]) {
    writeFileSync(join(home, '.config', 'sase', 'repos'), `${repos.slice(0, n).join('\n')}\n`);
    timed(base, allEnv, sase('axe-tick', '--all'));
    const ms = [];
    for (let i = 0; i < opts.runs; i++) {
      spawnSync('sleep', ['0.15']);
      ms.push(timed(base, allEnv, sase('axe-tick', '--all')).ms);
    }
    all[n] = median(ms);
  }
  return { medians: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])), all };
}

/** Polls a tmux pane until `test` holds for its text; the ms it took, or throws after 20 s. */
function waitPane(socket, test, started) {
  for (;;) {
    const text = String(spawnSync('tmux', ['-L', socket, 'capture-pane', '-p', '-t', 'b']).stdout);
    if (test(text)) return Number(process.hrtime.bigint() - started) / 1e6;
    if (Number(process.hrtime.bigint() - started) > 20e9) throw new Error(`the screen never came:\n${text}`);
    spawnSync('sleep', ['0.005']);
  }
}

/**
 * For each key sent (its query and when it was typed, ms of the monotonic
 * clock), the ms until the first chunk of the screen's output holding the
 * query line with that query reached tmux (bench/pane-stamps.mjs).
 */
function keyLatencies(stamps, sent) {
  const chunks = readFileSync(stamps, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  // the stream whole (a frame can be cut between chunks), and where each chunk ends in it
  const stream = chunks.map((c) => c.data).join('');
  const ends = [];
  for (const c of chunks) ends.push((ends.at(-1) ?? 0) + c.data.length);
  return sent.map(({ query, typed }) => {
    const line = new RegExp(`\n> ${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \x1b]`, 'g');
    const from = chunks.findIndex((c) => c.at >= typed);
    line.lastIndex = from > 0 ? ends[from - 1] : 0;
    const m = from < 0 ? null : line.exec(stream);
    if (!m) throw new Error(`no frame showed the query ${JSON.stringify(query)}`);
    const end = m.index + m[0].length;
    return chunks[ends.findIndex((e) => e >= end)].at - typed;
  });
}

/**
 * ACE at 10,000 and 100,000 beads: the first screen (from the command's
 * start in a tmux pane until the list is drawn, warm cache), a keystroke
 * (a character typed until the header's count changes), the memory of the
 * screen at 100,000, and --filter against sase bead list --json.
 */
function runAce(opts) {
  const out = {};
  for (const size of [10_000, 100_000]) {
    log(`ace at ${size} beads`);
    const { dir, env, beads } = buildStore(size, 1, undefined, 'ace');
    const ids = beads.filter((b) => b.status !== 'closed').map((b) => b.id);
    const sase = (name, ...args) => [join(BIN, `sase-${name}`), ...args];
    timed(dir, env, sase('bead-ready', '--limit', '1'));
    // warm: ACE's own rows of the beads written once (a search that prints one record)
    timed(dir, env, sase('ace', '--filter', `^${ids[0]} `));
    const socket = `sase-bench-${process.pid}`;
    const tmux = (...args) => spawnSync('tmux', ['-L', socket, ...args], { env: { ...env, TERM: 'xterm-256color' } });
    const first = [];
    const key = [];
    // what the screen itself says each key took, from the keypress to its frame written (SASE_ACE_TRACE)
    const trace = join(dir, '..', 'ace-trace.ndjson');
    let rss = 0;
    const KEYS = ['e', 'p', 'i', 'c', 'BSpace', 'BSpace', 'BSpace', 'BSpace'];
    const send = (k) => tmux('send-keys', '-t', 'b', ...(k === 'BSpace' ? [k] : ['-l', k]));
    /** A new screen in a new pane; the ms until its first screen is drawn. */
    const openScreen = () => {
      tmux('kill-server');
      // (a new server started at once after a kill can find the old one's socket going)
      spawnSync('sleep', ['0.2']);
      tmux(
        'new-session',
        '-d',
        '-s',
        'b',
        '-x',
        '160',
        '-y',
        '40',
        '-c',
        dir,
        `env PATH=${env.PATH} HOME=${env.HOME} XDG_CONFIG_HOME=${env.XDG_CONFIG_HOME} TERM=xterm-256color LANG=C.UTF-8 SASE_ACE_TRACE=${trace} sh`,
      );
      spawnSync('sleep', ['0.3']);
      const started = process.hrtime.bigint();
      tmux('send-keys', '-t', 'b', `exec ${join(BIN, 'sase-ace')} --no-axe`, 'Enter');
      return waitPane(socket, (t) => / beads \d+/.test(t) && /alt-c claim/.test(t), started);
    };
    const inside = [];
    // what tmux receives from the screen, each chunk stamped as it arrives (pipe-pane): nothing polls the pane
    const stamps = join(dir, '..', 'ace-pane.ndjson');
    for (let i = 0; i < opts.runs; i++) {
      first.push(openScreen());
      rmSync(stamps, { force: true });
      tmux('pipe-pane', '-t', 'b', `exec node ${join(ROOT, 'bench', 'pane-stamps.mjs')} ${stamps}`);
      spawnSync('sleep', ['0.5']);
      rmSync(trace, { force: true });
      // typing a word and deleting it, 250 ms apart: each key until the frame showing its query reaches tmux
      const sent = [];
      let query = '';
      for (const k of KEYS) {
        query = k === 'BSpace' ? query.slice(0, -1) : query + k;
        const typed = Number(process.hrtime.bigint()) / 1e6;
        send(k);
        sent.push({ query, typed });
        spawnSync('sleep', ['0.25']);
      }
      key.push(...keyLatencies(stamps, sent));
      // and the same keys as the screen timed them, from the keypress to its frame written
      inside.push(
        ...readFileSync(trace, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).ms),
      );
      const pid = String(spawnSync('pgrep', ['-f', 'sase-ace --no-axe']).stdout)
        .trim()
        .split('\n')[0];
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        rss = Math.max(rss, kb / 1024);
      } catch {
        // gone already
      }
      tmux('kill-server');
    }
    const filter = [];
    const list = [];
    for (let i = 0; i < opts.runs; i++) {
      filter.push(timed(dir, env, sase('ace', '--filter', '')).ms);
      list.push(timed(dir, env, sase('bead-list', '--json')).ms);
    }
    out[size] = {
      first: median(first),
      key: median(key),
      keyMax: Math.max(...key),
      inside: median(inside),
      insideMax: Math.max(...inside),
      rss,
      filter: median(filter),
      list: median(list),
    };
  }
  return out;
}

function gitVersion() {
  return String(spawnSync('git', ['--version']).stdout)
    .trim()
    .replace(/^git version /, '');
}

const fmt = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)}`);
const ratio = (ms, floor) => `${(ms / floor).toFixed(2)}x`;

function verdicts(results, crowded = [], contention = null) {
  const out = [];
  const at = (size) => results.find((r) => r.size === size);
  const check = (ok, text) => out.push(`- ${ok ? '**met**' : '**NOT MET**'}: ${text}`);
  const big = at(100_000);
  if (big) {
    const f = big.medians.floor;
    const m = big.medians;
    check(
      m['warm ready after a write'] <= 3 * f,
      `\`ready\` right after a write within 3x of the floor at 100,000 beads: ${fmt(m['warm ready after a write'])} ms = ${ratio(m['warm ready after a write'], f)}`,
    );
    check(
      m['warm list --limit 50'] <= 2 * f,
      `\`list --limit 50\` within 2x of the floor at 100,000 beads: ${fmt(m['warm list --limit 50'])} ms = ${ratio(m['warm list --limit 50'], f)}`,
    );
    check(m['cold ready'] < 2000, `cold \`ready\` at 100,000 beads under 2 s: ${fmt(m['cold ready'])} ms`);
    // the target names 50,000 beads: measured there when the completion run was made, else here (twice that)
    for (const k of ['every id', '2 chars']) {
      const here = m[`warm complete (${k})`];
      if (completion)
        check(
          completion.medians[k] < 100,
          `completing a bead id (\`sase-complete beads\`, ${k}) under 100 ms at ${completion.size.toLocaleString('en')} beads: ${fmt(completion.medians[k])} ms (at 100,000: ${fmt(here)} ms)`,
        );
      else
        check(
          here < 100,
          `completing a bead id (\`sase-complete beads\`, ${k}) under 100 ms at 100,000 beads (the target names 50,000): ${fmt(here)} ms`,
        );
    }
  } else
    out.push(
      '- not measured: the 100,000-bead targets of ready after a write, list --limit 50, cold ready and completion',
    );
  if (showRuns) {
    const f = showRuns.medians.floor;
    const ms = showRuns.medians['bead show'];
    check(
      ms <= 1.6 * f,
      `\`bead show\` within 1.6x of the floor with ${showRuns.runs.toLocaleString('en')} runs recorded: ${fmt(ms)} ms = ${ratio(ms, f)} (it lists ${showRuns.ofBead} runs of its bead)`,
    );
  }
  for (const [size, limit] of [
    [10_000, 1.6],
    [100_000, 3],
  ]) {
    const r = at(size);
    if (!r) {
      out.push(
        `- not measured: warm ready and show within ${limit}x of the floor at ${size.toLocaleString('en')} beads (size not run)`,
      );
      continue;
    }
    const f = r.medians.floor;
    for (const cmd of ['ready', 'show']) {
      const ms = r.medians[`warm ${cmd}`];
      check(
        ms <= limit * f,
        `warm \`${cmd}\` within ${limit}x of the floor at ${size.toLocaleString('en')} beads: ${fmt(ms)} ms = ${ratio(ms, f)} (floor ${fmt(f)} ms)`,
      );
    }
    if (size === 100_000) {
      const ms = r.medians['warm ready --limit 10'];
      out.push(
        `  - (for comparison, \`ready --limit 10\` at 100,000: ${fmt(ms)} ms = ${ratio(ms, f)}; the full list prints ${r.readyCount} beads)`,
      );
    }
  }
  for (const r of results) {
    const f = r.medians.floor;
    for (const cmd of ['update', 'create']) {
      const ms = r.medians[`warm ${cmd}`];
      check(
        ms <= 2.5 * f,
        `single-bead write \`${cmd}\` within 2.5x of the floor at ${r.size.toLocaleString('en')} beads: ${fmt(ms)} ms = ${ratio(ms, f)}`,
      );
    }
  }
  const r10 = at(10_000);
  if (r10) {
    const imp = median(r10.importMs);
    check(
      imp < 5000,
      `importing 10,000 beads in under 5 s: ${(imp / 1000).toFixed(2)} s (median of ${r10.importMs.length})`,
    );
    const cold = r10.medians['cold ready'];
    check(cold < 1000, `cold \`ready\` at 10,000 beads under 1 s: ${fmt(cold)} ms`);
  } else out.push('- not measured: the 10,000-bead targets (size not run)');
  if (crowded.length >= 2) {
    const [small, big] = [crowded[0], crowded[crowded.length - 1]];
    const growth = big.medians['cold list'] / small.medians['cold list'] / (big.size / small.size);
    check(
      growth < 1.5,
      `one crowded shard grows linearly: cold \`list\` of ${big.size.toLocaleString('en')} against ${small.size.toLocaleString('en')} beads takes ${(big.medians['cold list'] / small.medians['cold list']).toFixed(1)}x the time for ${big.size / small.size}x the beads`,
    );
  }
  if (contention)
    check(
      contention.gaveUp === 0 && contention.failed === 0 && contention.commits === contention.writes,
      `${contention.writers} writers at once: every write lands, none gives up (${contention.landed} of ${contention.writes} landed, ${contention.gaveUp} gave up, ${contention.commits} commits)`,
    );
  if (opts.speedOnly) return out; // the scenarios below were not run (and are not declared yet)
  if (synced) {
    check(
      synced.replayMs < 2000,
      `replaying ${synced.ops} local operations over ${synced.fetched} remote ones at ${synced.size.toLocaleString('en')} beads under 2 s: ${fmt(synced.replayMs)} ms (the whole \`sase sync\`, fetch and push included)`,
    );
    check(
      synced.noop <= synced.fetch * 1.5,
      `\`sase sync\` with nothing to do within 1.5x of a bare \`git fetch\` of the same refs: ${fmt(synced.noop)} ms against ${fmt(synced.fetch)} ms (${(synced.noop / synced.fetch).toFixed(2)}x)`,
    );
  }
  if (ace) {
    const a10 = ace[10000];
    const a100 = ace[100000];
    if (a10) check(a10.first <= 150, `ACE's first screen within 150 ms at 10,000 beads (warm): ${fmt(a10.first)} ms`);
    if (a100) {
      check(
        a100.keyMax <= 30,
        `every keystroke refilters 100,000 beads and redraws within 30 ms: the slowest ${fmt(a100.keyMax)} ms through tmux (median ${fmt(a100.key)} ms), ${fmt(a100.insideMax)} ms in the screen (median ${fmt(a100.inside)} ms)`,
      );
      check(
        a100.filter <= 2 * a100.list,
        `\`ace --filter\` within 2x of \`bead list --json\` at 100,000 beads: ${fmt(a100.filter)} ms against ${fmt(a100.list)} ms`,
      );
      check(a100.rss < 200, `the screen under 200 MB at 100,000 beads: ${Math.round(a100.rss)} MB`);
    }
  }
  if (axe) {
    const f = axe.medians.floor;
    for (const k of ['tick, nothing due', 'tick, all due, nothing to do'])
      check(
        axe.medians[k] <= 3 * f,
        `idle \`axe tick\` (${k.replace('tick, ', '')}) within 3x of the floor at 10,000 beads and 100 runs: ${fmt(axe.medians[k])} ms = ${ratio(axe.medians[k], f)}`,
      );
    const per = (axe.all[20] - axe.all[1]) / 19;
    check(
      axe.all[20] <= 20 * axe.all[1],
      `\`tick --all\` over 20 repositories proportional to them, not worse: ${fmt(axe.all[20])} ms against ${fmt(axe.all[1])} ms for one (${fmt(per)} ms for each more)`,
    );
  }
  return out;
}

function report(results, agents, crowded, contention, synced, opts, started) {
  const cpu = cpus()[0]?.model ?? 'unknown';
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}; ${((Date.now() - started) / 60000).toFixed(1)} minutes.`,
    '',
    `Machine: ${availableParallelism()} CPUs (nproc; ${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}; node ${process.version}; git ${gitVersion()}.`,
    '',
    `Method: each store is generated deterministically (bench/generate.mjs: epics with phases in blocks chains, tasks in chains, about half closed, blockers first) and written with one \`sase-bead-import\`. Every figure is the median wall time in ms of ${opts.runs} runs of a whole process, spawned as a user would; the floor, \`node -e 0\` then \`git rev-parse refs/sase/state\`, is timed in the same rounds (twice a round), interleaved with the commands. Warm: the cache in $GIT_DIR/sase/cache is current (a \`ready --limit 1\` ran just before, untimed; before a completion, a completion of every id too, which makes the cache's list of ids; before \`list --limit 50\`, a \`list --limit 1\`, which makes the head of the list). Cold: the cache was deleted just before (a cold completion of every id builds the cache and makes the list). \`ready\` prints every ready bead; \`ready --limit 10\` the first ten; \`ready after a write\` is a full \`ready\` right after an \`update\`, with the cache one commit behind (the incremental refresh). \`update\` is \`sase-bead-update <id> --priority <p>\` (always a real change), \`create\` is \`sase-bead-create --title ...\`. The batch is ${opts.batch} sequential \`update\` processes.`,
    '',
  ];
  for (const r of results) {
    const f = r.medians.floor;
    lines.push(`## ${r.size.toLocaleString('en')} beads`, '');
    lines.push(
      `${r.closed} closed, ${r.readyCount} ready at the end. Import (\`sase-bead-import\`, one commit): ${r.importMs.map((m) => `${(m / 1000).toFixed(2)} s`).join(', ')}.`,
      '',
    );
    lines.push('| command | warm ms | ratio | cold ms | ratio |', '|---|---:|---:|---:|---:|');
    lines.push(`| floor | ${fmt(f)} | 1.00x | | |`);
    for (const cmd of [
      'ready',
      'ready --limit 10',
      'ready after a write',
      'show',
      'list',
      'list --limit 50',
      'complete (every id)',
      'complete (2 chars)',
      'update',
      'create',
    ]) {
      const w = r.medians[`warm ${cmd}`];
      const c = r.medians[`cold ${cmd}`];
      lines.push(
        `| ${cmd} | ${fmt(w)} | ${ratio(w, f)} | ${c === undefined ? '' : fmt(c)} | ${c === undefined ? '' : ratio(c, f)} |`,
      );
    }
    const b = r.batch;
    lines.push(
      `| batch of ${opts.batch} updates (total) | ${fmt(b.warm.total)} | ${ratio(b.warm.total / opts.batch, f)} per op | ${fmt(b.cold.total)} | ${ratio(b.cold.total / opts.batch, f)} per op |`,
    );
    lines.push(
      `| batch, median per op | ${fmt(b.warm.perOp)} | ${ratio(b.warm.perOp, f)} | ${fmt(b.cold.perOp)} | ${ratio(b.cold.perOp, f)} |`,
    );
    lines.push('');
  }
  if (agents) {
    const f = agents.medians.floor;
    lines.push('## Agent runs', '');
    lines.push(
      `What sase adds around an agent, in a repository holding about ${agents.runs} runs. \`example agent alone\` is the example agent given a one-line prompt in a checkout; \`agent run\` runs it through sase: a new numbered workspace (git worktree add), the records and the bead-less claim in one commit, the detached supervisor, the end (commits, notes, log) in another commit, and the follower polling the record. Medians of ${opts.runs}.`,
      '',
    );
    lines.push('| command | ms | ratio to floor |', '|---|---:|---:|');
    for (const [k, ms] of Object.entries(agents.medians)) lines.push(`| ${k} | ${fmt(ms)} | ${ratio(ms, f)} |`);
    lines.push('');
  }
  if (completion) {
    const f = completion.medians.floor;
    lines.push('## Completion', '');
    lines.push(
      `\`sase-complete beads\` at ${completion.size.toLocaleString('en')} beads, warm (what a shell runs for \`sase bead show <TAB>\`): every id, and two characters typed; then every id again right after a \`bead create\` (untimed), the cache one commit behind. Medians of ${opts.runs}.`,
      '',
      '| command | ms | ratio to floor |',
      '|---|---:|---:|',
      `| floor | ${fmt(f)} | 1.00x |`,
      `| every id | ${fmt(completion.medians['every id'])} | ${ratio(completion.medians['every id'], f)} |`,
      `| 2 chars | ${fmt(completion.medians['2 chars'])} | ${ratio(completion.medians['2 chars'], f)} |`,
      `| every id after a create | ${fmt(completion.medians['every id after a create'])} | ${ratio(completion.medians['every id after a create'], f)} |`,
      '',
    );
  }
  if (showRuns) {
    const f = showRuns.medians.floor;
    lines.push('## bead show with many runs', '');
    lines.push(
      `A 1,000-bead store holding ${showRuns.runs.toLocaleString('en')} agent runs (one real run of the example agent, then copies of its record spread over the beads, written in one commit): \`bead show\` of a bead with ${showRuns.ofBead} of them, warm. Medians of ${opts.runs}.`,
      '',
      '| command | ms | ratio to floor |',
      '|---|---:|---:|',
      `| floor | ${fmt(f)} | 1.00x |`,
      `| bead show | ${fmt(showRuns.medians['bead show'])} | ${ratio(showRuns.medians['bead show'], f)} |`,
      '',
    );
  }
  if (crowded.length) {
    lines.push('## One crowded shard', '');
    lines.push(
      `Every bead in one shard (ids whose hashes share their first two characters, as an import of another tool's ids can give): the reads must grow with the store, not with its square. Medians of ${opts.runs}; cold: the cache deleted just before.`,
      '',
    );
    lines.push(
      '| beads | import s | cold list ms | warm list ms | warm show ms | cold ready ms | cold list per 1,000 beads |',
      '|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const c of crowded) {
      const m = c.medians;
      lines.push(
        `| ${c.size.toLocaleString('en')} | ${(c.importMs / 1000).toFixed(2)} | ${fmt(m['cold list'])} | ${fmt(m['warm list'])} | ${fmt(m['warm show'])} | ${fmt(m['cold ready'])} | ${fmt((m['cold list'] / c.size) * 1000)} |`,
      );
    }
    lines.push('');
  }
  if (contention) {
    const c = contention;
    lines.push('## Contention', '');
    lines.push(
      `${c.writers} processes at once, each running \`sase-bead-update\` on its own bead ${c.writes / c.writers} times in a row, all on the one state ref (compare-and-swap; a writer that keeps losing gives up with exit 3 after 30 s).`,
      '',
    );
    lines.push(
      '| writes | landed | gave up (exit 3) | other failures | commits | wall s | median ms a write | slowest ms |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    lines.push(
      `| ${c.writes} | ${c.landed} | ${c.gaveUp} | ${c.failed} | ${c.commits} | ${(c.wall / 1000).toFixed(1)} | ${fmt(c.median)} | ${fmt(c.max)} |`,
      '',
    );
  }
  if (synced) {
    const c = synced;
    lines.push('## Sync', '');
    lines.push(
      `A bare remote in a local folder and two clones of a ${c.size.toLocaleString('en')}-bead state. \`first push\` is the first \`sase sync\` of the clone that made the state; \`adopt\` a new clone's first \`sase sync\` (git clone copies no sase refs); then ${c.ops} \`bead update\` processes on each side offline (different fields of the same beads), the first clone syncs, and \`replay\` is the second clone's \`sase sync\` putting its ${c.ops} operations on top of the ${c.fetched} it fetched, pushing after; \`ready after\` the first \`ready\` after it (the cache follows the sync incrementally). \`nothing to do\` against \`git fetch\` of the same refspecs: medians of ${opts.runs}, interleaved.`,
      '',
    );
    lines.push(
      '| first push ms | adopt ms | replay ms | ready after ms | nothing to do ms | git fetch ms |',
      '|---:|---:|---:|---:|---:|---:|',
    );
    lines.push(
      `| ${fmt(c.firstPush)} | ${fmt(c.adopt)} | ${fmt(c.replayMs)} | ${fmt(c.readyAfter)} | ${fmt(c.noop)} | ${fmt(c.fetch)} |`,
      '',
    );
  }
  if (axe) {
    const f = axe.medians.floor;
    lines.push('## Axe', '');
    lines.push(
      `An idle \`sase-axe-tick\` in a repository of 10,000 beads and 100 finished runs: \`nothing due\` right after a tick; \`all due, nothing to do\` with every default lumberjack at a 100 ms interval (a 150 ms pause between ticks, untimed), so each tick runs all five built-in chops, each answering in the tick's own process. \`--all\` over 1 and 20 registered repositories of the same kind, all due, nothing to do. Medians of ${opts.runs}.`,
      '',
    );
    lines.push('| command | ms | ratio to floor |', '|---|---:|---:|');
    for (const [k, ms] of Object.entries(axe.medians)) lines.push(`| ${k} | ${fmt(ms)} | ${ratio(ms, f)} |`);
    lines.push(`| tick --all, 1 repository | ${fmt(axe.all[1])} | ${ratio(axe.all[1], f)} |`);
    lines.push(`| tick --all, 20 repositories | ${fmt(axe.all[20])} | ${ratio(axe.all[20], f)} |`);
    lines.push('');
  }
  if (ace) {
    lines.push('## ACE', '');
    lines.push(
      `\`first screen\`: from typing \`sase-ace --no-axe\` into a 160x40 tmux pane until the list and its footer are drawn (warm cache; tmux's own delay and a 5 ms poll included). \`keystroke\`: typing \`epic\` and deleting it with Backspace, 250 ms apart, 0.5 s after the first screen: each key from the start of \`tmux send-keys\` until the frame showing the new query (drawn with the list refiltered, in one write) reaches tmux, as \`tmux pipe-pane\` stamps the pane's output on arrival (bench/pane-stamps.mjs; nothing polls the pane); the median of the 8 keys of every run, and the slowest key; \`in the screen\`: the same keys as the screen times them (SASE_ACE_TRACE), from the keypress to the frame written. \`memory\`: the screen's resident size. \`--filter ''\` (every open bead, as records) against \`sase-bead-list --json\` (the same beads). Medians of ${opts.runs}.`,
      '',
    );
    lines.push(
      '| beads | first screen ms | keystroke ms | slowest key ms | in the screen: key ms | slowest ms | memory MB | --filter ms | bead list ms | ratio |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const [size, a] of Object.entries(ace))
      lines.push(
        `| ${Number(size).toLocaleString('en')} | ${fmt(a.first)} | ${fmt(a.key)} | ${fmt(a.keyMax)} | ${fmt(a.inside)} | ${fmt(a.insideMax)} | ${Math.round(a.rss)} | ${fmt(a.filter)} | ${fmt(a.list)} | ${(a.filter / a.list).toFixed(2)}x |`,
      );
    lines.push('');
  }
  lines.push('## Targets', '', ...verdicts(results, crowded, contention, synced), '');
  writeFileSync(opts.out, lines.join('\n'));
}

const opts = parseArgs(process.argv.slice(2));
/** bead show with many runs (read by verdicts and report, as synced, axe and ace are) */
let showRuns = null;
/** completion at the size its target names (read by verdicts and report) */
let completion = null;
const started = Date.now();
mkdirSync(WORK, { recursive: true });
if (opts.speedOnly) {
  const results = opts.sizes.map((size) => runSize(size, opts));
  showRuns = opts.showRuns ? runShowRuns(opts) : null;
  completion = opts.completion > 0 ? runCompletion(opts) : null;
  console.log(
    JSON.stringify(
      {
        sizes: results.map((r) => ({ size: r.size, medians: r.medians })),
        showRuns,
        completion,
        verdicts: verdicts(results),
      },
      null,
      1,
    ),
  );
  process.exit(0);
}
if (opts.aceOnly) {
  // a quick look at ACE alone, printed, RESULTS.md untouched
  console.log(JSON.stringify(runAce(opts), null, 1));
  process.exit(0);
}
const results = [];
for (const size of opts.sizes) results.push(runSize(size, opts));
showRuns = opts.showRuns ? runShowRuns(opts) : null;
completion = opts.completion > 0 ? runCompletion(opts) : null;
const crowded = opts.crowded.map((size) => runCrowded(size, opts));
const contention = opts.writers > 0 ? await runContention(opts) : null;
const synced = opts.sync > 0 ? runSync(opts) : null;
const agents = opts.agents ? runAgents(opts) : null;
const axe = opts.axe ? runAxe(opts) : null;
const ace = opts.ace ? runAce(opts) : null;
report(results, agents, crowded, contention, synced, opts, started);
log(`wrote ${opts.out}`);
