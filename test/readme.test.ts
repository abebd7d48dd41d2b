// The README's shell examples, run as written: every ```sh, ```bash and
// ```console block, in order, by one bash (so a variable one block sets is
// there for the next, as in a reader's terminal), with `set -e -o pipefail`,
// starting in a stand-in for a fresh clone of sase (its bin/ and examples/)
// with the built launchers on PATH. A block that cannot run here is marked on
// the line before its fence, with the reason:
//
//   <!-- no-test: installs packages -->      not run
//   <!-- test: exits 1 -->                   run; its one command must exit 1
//
// The environment is a reader's, made hermetic: HOME, TMPDIR and the git
// config in the test's temp folder, a git identity, and $EDITOR `true` (an
// editor that saves the file unchanged). Standard input is empty.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { scratchDir } from './helpers/gitdir.ts';
import { BIN, ROOT } from './helpers/run.ts';

/** A fenced shell block of the README: where it starts, its text, and what its marker says. */
interface Example {
  /** the line of its first command (1-based) */
  line: number;
  lang: string;
  code: string;
  /** why it is not run (a `no-test` marker), else null */
  skip: string | null;
  /** the exit code of its one command (a `test: exits N` marker), else 0 */
  exits: number;
}

const SHELL = new Set(['sh', 'bash', 'console']);

/** The shell blocks of a Markdown text, with their markers. */
function shellExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let end = i + 1;
    while (end < lines.length && !(lines[end]!.startsWith(fence) && lines[end]!.trim() === fence)) end++;
    const lang = open[2]!;
    if (SHELL.has(lang)) {
      let before = i - 1;
      while (before >= 0 && !lines[before]!.trim()) before--;
      const marker = before >= 0 ? /^<!--\s*(no-test|test):\s*(.*?)\s*-->$/.exec(lines[before]!.trim()) : null;
      let body = lines.slice(i + 1, end);
      // a console block: the commands are the lines after '$ ', the rest is what they print
      if (lang === 'console') body = body.map((l) => (l.startsWith('$ ') ? l.slice(2) : `# ${l}`));
      const ex: Example = { line: i + 2, lang, code: body.join('\n'), skip: null, exits: 0 };
      if (marker?.[1] === 'no-test') ex.skip = marker[2]!;
      else if (marker?.[1] === 'test') {
        const m = /^exits (\d+)$/.exec(marker[2]!);
        if (!m) throw new Error(`README.md:${before + 1}: a test marker says 'exits <code>', not '${marker[2]}'`);
        ex.exits = Number(m[1]);
      }
      out.push(ex);
    }
    i = end;
  }
  return out;
}

/**
 * The bash script that runs the examples in order: each block sourced from a
 * file of its own (so that an error names its README line), stopping at the
 * first command that fails. It prints `ok <line>` to stdout after each block.
 */
function driver(dir: string, examples: Example[]): string {
  const parts = [
    'set -eEo pipefail',
    // LINENO: the failing line in the block's file; __at: the block's first line in the README
    `trap 'rc=$?; echo "README.md:$((__at + LINENO - 1)): exit code $rc: $BASH_COMMAND" >&2; exit $rc' ERR`,
  ];
  for (const [n, ex] of examples.entries()) {
    if (ex.skip !== null) continue;
    const file = join(dir, `example-${n}.sh`);
    writeFileSync(file, `${ex.code}\n`);
    parts.push(`__at=${ex.line}`, `echo "### README.md:${ex.line} at \${SECONDS}s" >&2`);
    if (ex.exits === 0) parts.push(`source ${JSON.stringify(file)}`);
    else
      parts.push(
        'set +eE; trap - ERR',
        `source ${JSON.stringify(file)}; rc=$?`,
        `if [ $rc != ${ex.exits} ]; then echo "README.md:${ex.line}: its command exited $rc, not ${ex.exits}" >&2; exit 1; fi`,
        'set -eE',
        parts[1]!,
      );
    parts.push(`echo "ok ${ex.line}"`);
  }
  // not an example: the runs the examples left going end before the test's folder is removed
  parts.push(
    'trap - ERR; set +e',
    `for i in $(seq 1 120); do sase agent list --json | grep -q '"status":"\\(queued\\|running\\)"' || break; sleep 0.5; done`,
  );
  return `${parts.join('\n')}\n`;
}

/** Runs the examples of `markdown` by the driver, in `cwd`; `dir` holds the script. */
function runExamples(markdown: string, dir: string, cwd: string, env: Record<string, string>) {
  const examples = shellExamples(markdown);
  const script = join(dir, 'readme.sh');
  writeFileSync(script, driver(dir, examples));
  const r = spawnSync('bash', [script], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 600_000,
  });
  const ran = r.stdout.split('\n').filter((l) => l.startsWith('ok ')).length;
  return { ...r, ran, want: examples.filter((e) => e.skip === null).length };
}

const t = suite('readme');

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

t('markers: every block the test leaves out says why; examples/ holds what the README uses', () => {
  const all = shellExamples(README);
  assert.ok(all.length > 20, `the README has its shell examples (${all.length})`);
  for (const ex of all.filter((e) => e.skip !== null))
    assert.ok(ex.skip!.length > 3, `README.md:${ex.line}: a no-test marker gives its reason`);
  // a block that exits non-zero holds one command, so that nothing else in it goes unchecked
  for (const ex of all.filter((e) => e.exits !== 0))
    assert.is(
      ex.code.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#')).length,
      1,
      `README.md:${ex.line}: a block marked 'test: exits ${ex.exits}' holds one command`,
    );
  // most of them run
  assert.ok(all.filter((e) => e.skip === null).length >= all.length * 0.7, 'most examples are run');
  for (const f of [
    'examples/prompt.md',
    'examples/plan.md',
    'examples/api.md',
    'examples/docs.md',
    'examples/xprompts/review.md',
    'examples/workflows/fix-and-review.toml',
    'examples/bd-issues.jsonl',
  ]) {
    assert.ok(existsSync(join(ROOT, f)), `${f} is shipped`);
    assert.ok(README.includes(f.slice('examples/'.length)), `the README names ${f}`);
  }
});

t('the parser finds blocks and their markers (a console block runs its $ lines)', () => {
  const md = [
    'text',
    '<!-- no-test: installs packages -->',
    '```sh',
    'npm install -g sase',
    '```',
    '```toml',
    'a = 1',
    '```',
    '<!-- test: exits 1 -->',
    '',
    '```console',
    '$ false',
    'printed',
    '```',
  ].join('\n');
  const ex = shellExamples(md);
  assert.equal(
    ex.map((e) => [e.line, e.lang, e.skip, e.exits, e.code]),
    [
      [4, 'sh', 'installs packages', 0, 'npm install -g sase'],
      [12, 'console', null, 1, 'false\n# printed'],
    ],
  );
});

t(
  'the driver stops at a failing example and names its line; a marked exit code is checked; variables carry over',
  () => {
    const dir = scratchDir('sase-readme-');
    const env = { PATH: process.env.PATH ?? '', LANG: 'C' };
    const good = [
      '```sh',
      'X=1',
      '```',
      '<!-- test: exits 3 -->',
      '```sh',
      '(exit 3)',
      '```',
      '```sh',
      'test "$X" = 1',
      '```',
    ];
    const ok = runExamples(good.join('\n'), dir, dir, env);
    assert.is(ok.status, 0, ok.stderr);
    assert.is(ok.ran, 3);
    // the wrong code for a marked block
    const wrong = runExamples(['<!-- test: exits 3 -->', '```sh', 'true', '```'].join('\n'), dir, dir, env);
    assert.is.not(wrong.status, 0);
    assert.match(wrong.stderr, 'README.md:3: its command exited 0, not 3');
    // a failing command in the middle of a block: the rest does not run, the line is named
    const bad = runExamples(
      ['text', '```sh', 'true', 'false  # this one', 'echo never', '```'].join('\n'),
      dir,
      dir,
      env,
    );
    assert.is(bad.status, 1);
    assert.is(bad.ran, 0);
    assert.match(bad.stderr, 'README.md:4: exit code 1: false');
    assert.not.match(bad.stdout + bad.stderr, 'never');
  },
);

t('every shell example of the README runs as written, in order, on a fresh clone', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'sase.cjs')), 'dist/ is built (npm run build)');
  const base = scratchDir('sase-readme-');
  // the clone: its bin/ (the built launchers) and examples/; the README's first block starts here
  const clone = join(base, 'sase');
  mkdirSync(clone);
  symlinkSync(BIN, join(clone, 'bin'));
  cpSync(join(ROOT, 'examples'), join(clone, 'examples'), { recursive: true });
  const home = join(base, 'home');
  mkdirSync(join(base, 'tmp'), { recursive: true });
  mkdirSync(home);
  // a reader's git: who they are, no signing prompt, no background maintenance
  writeFileSync(
    join(home, '.gitconfig'),
    '[user]\n\tname = Ann Example\n\temail = ann@example.com\n[commit]\n\tgpgSign = false\n[maintenance]\n\tauto = false\n[init]\n\tdefaultBranch = main\n',
  );
  const env: Record<string, string> = {
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    HOME: home,
    TMPDIR: join(base, 'tmp'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    GIT_CONFIG_NOSYSTEM: '1',
    EDITOR: 'true',
    VISUAL: 'true',
    GIT_EDITOR: 'true',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
    NO_COLOR: '1',
  };
  const r = runExamples(README, base, clone, env);
  // what the examples printed, with the time each block started (SASE_KEEP_TMP=1 keeps it)
  writeFileSync(join(base, 'readme.log'), `${r.stderr}\n--- stdout ---\n${r.stdout}`);
  const tail = r.stderr.split('\n').slice(-40).join('\n');
  assert.ok(r.status === 0, `a README example failed (${r.ran} of ${r.want} blocks ran):\n${tail}`);
  assert.is(r.ran, r.want, 'every block ran');
});

t.run();
