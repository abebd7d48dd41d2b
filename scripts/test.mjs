// The test suite in parallel: every test/**/*.test.ts (or those whose path
// matches the pattern given) is run by one of SASE_TEST_JOBS worker processes
// (default: 2, or 1 on a single core), each taking the next file as it
// finishes one, known-long files first. A file's output is printed whole when
// it is done, then one summary for the run in uvu's own format (Total,
// Passed, Skipped, Duration); the exit code is 1 when anything failed.
//
//   node scripts/test.mjs [pattern]
//
// SASE_TEST_TIMES=1 also prints how long each file took, longest first (to
// keep the list of long files below in step).
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test');
const pattern = new RegExp(process.argv[2] ?? '\\.test\\.ts$');

// the longest files, started first so that no worker is left with one at the end
const LONG = [
  'commands/axe-install.test.ts', // waits up to two minutes for the real cron daemon
  'commands/ace-screen-records.test.ts', // imports 100,000 beads
  'readme.test.ts', // every example of the README, in order, through the real launchers
  'store/crash.test.ts',
  'commands/bead-work.test.ts',
  'commands/cs-hook-run.test.ts',
  'store/replay.test.ts',
  'commands/cs-submit.test.ts',
  'commands/cs-mentor.test.ts',
  'commands/demo.test.ts',
  'commands/ace-screen-actions.test.ts',
  'store/concurrency.test.ts',
  'commands/agent-run.test.ts',
  'commands/cs-rebase.test.ts',
  'commands/wf-run.test.ts',
  'integrity.test.ts',
  'commands/wf-resume.test.ts',
  'commands/bad-input.test.ts',
  'commands/agent-dispatch.test.ts',
];

function walk(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() && e.name !== 'fixtures' && e.name !== 'node_modules'
      ? walk(join(d, e.name))
      : e.isFile()
        ? [join(d, e.name)]
        : [],
  );
}
const names = walk(dir)
  .map((f) => relative(dir, f))
  .filter((n) => n.endsWith('.test.ts') && pattern.test(n))
  .sort((a, b) => {
    const la = LONG.indexOf(a);
    const lb = LONG.indexOf(b);
    if (la !== lb) return la < 0 ? 1 : lb < 0 ? -1 : la - lb;
    return a < b ? -1 : a > b ? 1 : 0;
  });

const jobs = Math.max(
  1,
  Math.min(Number(process.env.SASE_TEST_JOBS) || Math.min(2, availableParallelism()), names.length),
);
const color = !process.env.NO_COLOR && !process.env.NODE_DISABLE_COLORS && process.env.TERM !== 'dumb';
const paint = (open, close) => (s) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : String(s));
const green = paint(32, 39);
const red = paint(31, 39);
const yellow = paint(33, 39);

const started = process.hrtime.bigint();
const totals = { total: 0, passed: 0, skipped: 0, failed: 0 };
const queue = [...names];
const times = [];
const ends = [];
// the output of every file that failed, printed again above the summary: CI keeps only the tail of a
// long log, and a failure buried in the middle of it would otherwise go unseen
const failures = [];
let printed = 0;

function print(text) {
  process.stdout.write((printed++ ? '\n' : '') + text);
}

function startWorker() {
  return new Promise((resolve) => {
    const child = fork(join(root, 'scripts', 'test-worker.mjs'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FORCE_COLOR: color ? '1' : '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let current = null;
    let output = '';
    let since = 0;
    const next = () => {
      current = queue.shift() ?? null;
      output = '';
      since = performance.now();
      if (current) child.send({ type: 'file', file: join(dir, current), name: current });
      else child.send({ type: 'stop' });
    };
    child.on('message', (msg) => {
      if (msg.type === 'output') output += msg.text;
      else if (msg.type === 'result') {
        for (const k of Object.keys(totals)) totals[k] += msg[k];
        times.push([current, performance.now() - since]);
        if (msg.failed > 0) failures.push([current, output]);
        print(output);
        next();
      } else if (msg.type === 'ready') next();
    });
    // 'close', not 'exit': every message the worker sent has arrived by then
    child.on('close', (code, signal) => {
      ends.push(Number(process.hrtime.bigint() - started) / 1e9);
      if (current) {
        // the worker died with a file under way: that file fails (counted as one failed test, so that
        // the summary's Total and Passed tell it), the rest goes to a new worker
        totals.total++;
        totals.failed++;
        const died = `${output}\n  FAIL  the test process exited (${signal ?? `code ${code}`}) while running ${current}\n`;
        failures.push([current, died]);
        print(died);
        current = null;
        if (queue.length) return startWorker().then(resolve);
      } else if (code !== 0) {
        totals.total++;
        totals.failed++;
        print(`  FAIL  a test process exited with ${signal ?? `code ${code}`}\n`);
      }
      resolve();
    });
  });
}

await Promise.all(Array.from({ length: jobs }, startWorker));

if (process.env.SASE_TEST_TIMES) {
  times.sort((a, b) => b[1] - a[1]);
  process.stdout.write(`\n${times.map(([n, t]) => `${(t / 1000).toFixed(2).padStart(8)} s  ${n}`).join('\n')}\n`);
  process.stdout.write(`workers ended at ${ends.map((t) => `${t.toFixed(1)} s`).join(', ')}\n`);
}
for (const [name, output] of failures) {
  // a file's whole output can be long: its last 4,000 characters hold the failure and uvu's report of it
  const tail = output.length > 4000 ? `...${output.slice(-4000)}` : output;
  process.stdout.write(`\n${red(`FAILED: ${name}`)}\n${tail}\n`);
}
const ms = (Number(process.hrtime.bigint() - started) / 1e6).toFixed(2);
const bad = totals.failed > 0;
process.stdout.write(
  `\n  Total:     ${totals.total}` +
    (bad ? red : green)(`\n  Passed:    ${totals.passed}`) +
    `\n  Skipped:   ${totals.skipped ? yellow(totals.skipped) : totals.skipped}` +
    `\n  Duration:  ${ms}ms\n\n`,
);
process.exitCode = bad ? 1 : 0;
