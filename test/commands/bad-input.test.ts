// The documented errors (CONVENTIONS.md, "Errors and exit codes"): each bad
// input gets its exit code and one git-style message naming the subject, never
// a crash, never a write; and the state still passes sase-fsck afterwards.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpecs } from '../../scripts/gen.ts';
import { exitRows } from '../../scripts/man.ts';
import { allOptions, type CommandSpec, optionLongFlag, takesValue } from '../../src/cli/spec.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, scratchDir, type TestRepo } from '../helpers/gitdir.ts';
import { BIN, ok, ROOT, type RunResult, sase, saseBin } from '../helpers/run.ts';
import { addBeadsWithIds, assertFsckOk, beadRecord, commitCount, statePaths, stateTip } from '../helpers/state.ts';

const t = suite('bad input');

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/**
 * A refusal in git's style: the expected exit code, nothing on stdout, one
 * `error:` (or `fatal:`) line first, then only `hint:`/`usage:` lines; no
 * stack trace, no BUG, no raw control characters; and nothing committed.
 */
function assertRefused(repo: TestRepo, r: RunResult, code: number, what: string, tipBefore: string | null): string {
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.is(r.code, code, `${what}: exit ${r.code}, stderr: ${r.stderr}`);
  assert.is(r.stdout, '', `${what}: nothing on stdout`);
  assert.ok(lines.length >= 1, `${what}: an explanation on stderr`);
  assert.match(lines[0]!, code === 128 ? /^fatal: / : /^error: /, `${what}: ${lines[0]}`);
  for (const l of lines.slice(1))
    assert.match(l, /^(hint|usage): /, `${what}: only hint and usage lines follow: ${r.stderr}`);
  assert.ok(lines.filter((l) => /^(error|fatal): /.test(l)).length === 1, `${what}: exactly one error line`);
  assert.not.match(r.stderr, /BUG:|\n\s+at |Error:/, `${what}: no crash`);
  assert.not.ok(CONTROL.test(r.stderr), `${what}: no raw control characters on stderr: ${JSON.stringify(r.stderr)}`);
  assert.is(stateTip(repo), tipBefore, `${what}: nothing committed`);
  return lines[0]!;
}

async function setup(): Promise<{ repo: TestRepo; a: string; b: string }> {
  const repo = await initedRepo();
  const [a] = await ok(repo, 'bead-create', ['--title', 'alpha']);
  const [b] = await ok(repo, 'bead-create', ['--title', 'beta']);
  return { repo, a: a!.id, b: b!.id };
}

t('an unknown id: exit 4, one error line naming it, an optional hint', async () => {
  const { repo, a } = await setup();
  const tip = stateTip(repo);
  const missing = 'ts-zzzzzzzz';
  const cases: Array<[string, string[]]> = [
    ['bead-show', [missing]],
    ['bead-show', ['zzzz']],
    ['bead-close', [missing]],
    ['bead-claim', [missing, '--as', 'w']],
    ['bead-update', [missing, '--priority', '1']],
    ['bead-note', [missing, 'text']],
    ['bead-reopen', [missing]],
    ['bead-release', [missing]],
    ['bead-rm', [missing]],
    ['bead-dep-add', [a, missing]],
    ['bead-dep-add', [missing, a]],
    ['bead-dep-list', [missing]],
    ['bead-create', ['--title', 'x', '--parent', missing]],
    ['bead-create', ['--title', 'x', '--deps', missing]],
  ];
  for (const [name, args] of cases) {
    const r = await sase(repo, name, args);
    const first = assertRefused(repo, r, 4, `sase-${name} ${args.join(' ')}`, tip);
    const typed = args.find((x) => x === missing || x === 'zzzz')!;
    assert.ok(first.includes(`'${typed}'`), `sase-${name}: the error names '${typed}': ${first}`);
    assert.ok(
      r.stderr.split('\n').filter(Boolean).length <= 2,
      `sase-${name}: at most an error and a hint: ${r.stderr}`,
    );
  }
  await assertFsckOk(repo);
});

t('a batch with one unknown id changes nothing', async () => {
  const { repo, a, b } = await setup();
  const tip = stateTip(repo);
  assertRefused(repo, await sase(repo, 'bead-close', [a, 'ts-zzzzzzzz', b]), 4, 'close a batch', tip);
  assertRefused(repo, await sase(repo, 'bead-claim', [a, b, 'ts-zzzzzzzz', '--as', 'w']), 4, 'claim a batch', tip);
  for (const id of [a, b]) assert.is((await ok(repo, 'bead-show', [id]))[0]!.status, 'open');
  await assertFsckOk(repo);
});

t('an ambiguous short id: exit 129 naming every candidate', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(repo, [
    beadRecord({ id: 'ts-abcd1111', title: 'one' }),
    beadRecord({ id: 'ts-abcd2222', title: 'two' }),
  ]);
  assert.is((await ok(repo, 'bead-show', ['ts-abcd1111']))[0]!.title, 'one');
  const tip = stateTip(repo);
  for (const input of ['abcd', 'ts-abcd', 'abc', 'ab']) {
    for (const name of ['bead-show', 'bead-close', 'bead-claim']) {
      const first = assertRefused(repo, await sase(repo, name, [input]), 129, `sase-${name} ${input}`, tip);
      assert.ok(first.includes(`'${input}'`), first);
      assert.match(first, /ambiguous/);
      assert.ok(first.includes('ts-abcd1111') && first.includes('ts-abcd2222'), `names both candidates: ${first}`);
    }
  }
  // one more character decides it
  assert.is((await ok(repo, 'bead-show', ['abcd2']))[0]!.id, 'ts-abcd2222');
  assert.is((await ok(repo, 'bead-show', ['ts-abcd1']))[0]!.id, 'ts-abcd1111');
  await assertFsckOk(repo);
});

t('bad option values, unknown options and missing values: exit 129 with a usage line', async () => {
  const { repo, a } = await setup();
  const tip = stateTip(repo);
  const cases: Array<[string, string[], RegExp]> = [
    ['bead-list', ['--limit', 'x'], /--limit.*'x'/],
    ['bead-list', ['--limit', '-1'], /-1/],
    ['bead-list', ['--status', 'bogus'], /'bogus'/],
    ['bead-list', ['--status', 'open,bogus'], /'bogus'/],
    ['bead-list', ['--type', 'epic'], /'epic'/],
    ['bead-create', ['--title', 'x', '--priority', '9'], /'9'/],
    ['bead-create', ['--title', 'x', '--priority', 'high'], /'high'/],
    ['bead-create', ['--title', 'x', '--size', 'huge'], /'huge'/],
    ['bead-create', ['--title', 'x', '--tier', 'saga'], /'saga'/],
    ['bead-create', ['--title'], /--title/],
    ['bead-create', [], /--title/],
    ['bead-create', ['--title', '   '], /title/],
    ['bead-update', [a, '--priority', '9'], /'9'/],
    ['bead-update', [a, '--status', 'closed'], /close/],
    ['bead-update', [a], /nothing to change/],
    ['bead-close', [a, '--resolution', 'maybe'], /'maybe'/],
    ['bead-close', [a, '--force'], /--reason/],
    ['bead-list', ['--bogus'], /unknown option '--bogus'/],
    ['bead-show', [a, '--colour'], /unknown option '--colour'/],
    ['bead-create', ['--title', 'x', '-z'], /unknown option/],
    ['log', ['--limit', 'many'], /--limit.*'many'/],
    ['fsck', ['--frobnicate'], /unknown option '--frobnicate'/],
    ['bead-note', [a], /missing/],
    ['bead-dep-add', [a, a, a], /unexpected argument/],
  ];
  for (const [name, args, pattern] of cases) {
    const r = await sase(repo, name, args);
    const first = assertRefused(repo, r, 129, `sase-${name} ${args.join(' ')}`, tip);
    assert.match(first, pattern, `sase-${name} ${args.join(' ')}: ${first}`);
    assert.match(r.stderr, /\nusage: sase-/, `sase-${name}: a usage line`);
  }
  await assertFsckOk(repo);
});

t('malformed NDJSON on stdin: exit 128 naming the line', async () => {
  const { repo, a } = await setup();
  const tip = stateTip(repo);
  const cases: Array<[string, string[], string, RegExp]> = [
    ['bead-claim', ['--stdin'], `{"id": "${a}"}\n{not json}\n`, /^fatal: stdin:2: /],
    ['bead-close', ['--stdin'], `${a}\n\n["x"]\n`, /^fatal: stdin:3: /],
    ['bead-show', ['-'], `{"title": "no id"}\n`, /^fatal: stdin:1: .*'id'/],
    ['bead-claim', ['--stdin'], `${a}\ntwo words\n`, /^fatal: stdin:2: /],
  ];
  for (const [name, args, input, pattern] of cases) {
    const r = await sase(repo, name, args, { input });
    const first = assertRefused(repo, r, 128, `sase-${name} fed ${JSON.stringify(input)}`, tip);
    assert.match(first, pattern);
  }
  // the first line was fine, yet nothing was claimed
  assert.is((await ok(repo, 'bead-show', [a]))[0]!.status, 'open');
  await assertFsckOk(repo);
});

t('not a git repository: exit 128, fatal: not a git repository', async () => {
  const repo = gitdir();
  const plain = scratchDir('sase-plain-');
  const env = { GIT_CEILING_DIRECTORIES: tmpdir() };
  for (const [name, args] of [
    ['bead-list', []],
    ['bead-create', ['--title', 'x']],
    ['bead-show', ['ts-abcd']],
    ['fsck', []],
    ['log', []],
    ['init', []],
  ] as Array<[string, string[]]>) {
    const r = await sase(repo, name, args, { cwd: plain, env });
    assert.is(r.code, 128, `sase-${name}: ${r.stderr}`);
    assert.match(r.stderr, /^fatal: not a git repository/, `sase-${name}: ${r.stderr}`);
    assert.is(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.is(r.stdout, '');
  }
});

t('titles with control characters are refused; odd but printable titles are stored as given', async () => {
  const { repo, a } = await setup();
  const tip = stateTip(repo);
  for (const title of [
    'bell\u0007',
    'esc \u001b[31mred\u001b[0m',
    'two\nlines',
    'cr\rhere',
    'tab\there',
    'del\u007f',
  ]) {
    assertRefused(
      repo,
      await sase(repo, 'bead-create', ['--title', title]),
      129,
      `create --title ${JSON.stringify(title)}`,
      tip,
    );
    assertRefused(
      repo,
      await sase(repo, 'bead-update', [a, '--title', title]),
      129,
      `update --title ${JSON.stringify(title)}`,
      tip,
    );
  }
  assertRefused(
    repo,
    await sase(repo, 'bead-create', ['--title', 'ok', '--label', 'a\u001bb']),
    129,
    'a label with ESC',
    tip,
  );
  assertRefused(
    repo,
    await sase(repo, 'bead-claim', [a, '--as', 'w\u001b]0;x\u0007']),
    129,
    '--as with an OSC sequence',
    tip,
  );
  assertRefused(
    repo,
    await sase(repo, 'bead-create', ['--title', 'ok', '--description', 'nul-ish \u0001']),
    129,
    'a description with ^A',
    tip,
  );

  const odd = [
    '../../etc/passwd',
    '$(touch pwned) `id` ; rm -rf /',
    'quote \' and " and \\',
    'ünïcødé ✓ 漢字 \u202eRTL',
    'beads/zz/ts-evil.json',
    '-dash first',
  ];
  for (const title of odd) {
    // a value that starts with a dash is given as --title=<value>
    const [b] = await ok(repo, 'bead-create', [`--title=${title}`]);
    assert.is(b!.title, title);
    assert.is((await ok(repo, 'bead-show', [b!.id]))[0]!.title, title);
  }
  const paths = statePaths(repo);
  for (const p of paths)
    assert.match(
      p,
      /^(VERSION|settings\.json|beads\/[a-z0-9]{2}\/ts-[a-z0-9]{8}\.json|excerpts\/[a-z0-9]{2})$/,
      `only bead files in the state tree: ${p}`,
    );
  // each shard's excerpts beside its records
  assert.is(paths.filter((p) => !p.startsWith('excerpts/')).length, 2 + 2 + odd.length);
  assert.equal(
    paths.filter((p) => p.startsWith('excerpts/')).map((p) => p.slice('excerpts/'.length)),
    [...new Set(paths.filter((p) => p.startsWith('beads/')).map((p) => p.split('/')[1]))].sort(),
  );
  assert.equal(repo.git('status', '--porcelain', '--untracked-files=all').trim().split('\n').sort(), [
    '?? .sase/config.toml',
  ]);
  await assertFsckOk(repo);
});

t('a 1 MB title or note: a clear error, exit 129, nothing committed', async () => {
  const { repo, a } = await setup();
  const before = commitCount(repo);
  const tip = stateTip(repo);
  // one argument can hold at most 128 KiB on Linux, so the executable gets the
  // largest title that fits, and the command in this process the full megabyte
  const big = 'x'.repeat(128 * 1024 - 1);
  const viaExe = saseBin(repo, 'bead-create', ['--title', big]);
  assertRefused(repo, viaExe, 129, 'a 128 KiB title', tip);
  assert.match(viaExe.stderr, /^error: title is too long/);
  assert.ok(viaExe.stderr.length < 2000, `a short message (${viaExe.stderr.length} bytes)`);
  const mb = 'y'.repeat(1 << 20);
  const inProc = await sase(repo, 'bead-create', ['--title', mb]);
  assertRefused(repo, inProc, 129, 'a 1 MB title', tip);
  assert.match(inProc.stderr, /^error: title is too long \(1048576 characters/);
  assert.ok(inProc.stderr.length < 2000, `a short message (${inProc.stderr.length} bytes)`);
  const note = await sase(repo, 'bead-note', [a, 'z'.repeat((1 << 20) + 1)]);
  assertRefused(repo, note, 129, 'a note over 1 MiB', tip);
  assert.ok(note.stderr.length < 2000, `a short message (${note.stderr.length} bytes)`);
  assert.is(commitCount(repo), before);
  await assertFsckOk(repo);
});

t('a 1 MB id on stdin: a clear, short error, nothing written', async () => {
  const { repo } = await setup();
  const tip = stateTip(repo);
  for (const line of ['a'.repeat(1 << 20), `ts-${'b'.repeat(1 << 20)}`, '{"id": "' + 'c'.repeat(1 << 20) + '"}']) {
    const r = await sase(repo, 'bead-claim', ['--stdin'], { input: line + '\n' });
    assert.ok([4, 128, 129].includes(r.code), `exit ${r.code}`);
    assertRefused(repo, r, r.code, 'a 1 MB id', tip);
    assert.ok(r.stderr.length < 2000, `the message does not echo the megabyte back (${r.stderr.length} bytes)`);
  }
  await assertFsckOk(repo);
});

t('a 6 MB id on stdin, to every reader of ids: a short error, no stack trace, nothing written', async () => {
  const { repo, a } = await setup();
  const tip = stateTip(repo);
  const big = 'a'.repeat(6 << 20);
  const readers: Array<[string, string[]]> = [
    ['agent-kill', ['--stdin']],
    ['bead-claim', ['--stdin']],
    ['bead-close', ['--stdin']],
    ['bead-release', ['--stdin']],
    ['bead-reopen', ['--stdin']],
    ['bead-rm', ['--stdin']],
    ['bead-show', ['--stdin']],
    ['bead-update', ['--stdin', '--priority', '1']],
    ['cs-archive', ['--stdin']],
    ['cs-show', ['--stdin']],
    ['cs-resolve', ['feat']],
    ['sdd-link', ['plan', '--stdin']],
  ];
  for (const [name, args] of readers) {
    for (const line of [big, JSON.stringify({ id: big, name: big, commit: big })]) {
      const r = await sase(repo, name, args, { input: `${a}\n${line}\n` });
      const what = `sase-${name} fed a ${line.length}-character line`;
      assert.ok([4, 128, 129].includes(r.code), `${what}: exit ${r.code}: ${r.stderr.slice(0, 500)}`);
      assertRefused(repo, r, r.code, what, tip);
      assert.ok(r.stderr.length < 2000, `${what}: a short message (${r.stderr.length} bytes)`);
    }
  }
  // the same id as an argument reaches the lookup, and its message abbreviates it
  const r = await sase(repo, 'bead-show', [big]);
  assert.is(
    assertRefused(repo, r, 4, 'a 6 MB id as an argument', tip),
    `error: no bead '${'a'.repeat(60)}...' (${big.length} characters)`,
  );
  await assertFsckOk(repo);
});

t('path-like and hostile ids: a clear error, never a crash, nothing written', async () => {
  const { repo, a } = await setup();
  const tip = stateTip(repo);
  const files = repo.git('ls-files', '--others', '--cached').trim();
  const hostile = [
    '../x',
    'ts-../../etc',
    'a/b',
    '..',
    '/etc/passwd',
    `${a}/../x`,
    `${a}.1/..`,
    'ts-abcd.json',
    `${a}\\..\\x`,
    'ts-\u001b]0;pwned\u0007',
    'ts-\u001b[2J',
    'ts-a\nb',
    ' ',
    '',
    'ts-',
  ];
  // '-' is not an id but the stdin marker: with nothing on stdin it names nothing, a usage error
  const dash = await sase(repo, 'bead-close', ['-']);
  assert.equal(
    [dash.code, dash.stdout, dash.stderr.split('\n')[0]],
    [129, '', 'error: no bead ids given (as arguments or on stdin)'],
  );
  // every id through show, close and claim; and through one of the other writers in turn
  const others: Array<(id: string) => [string, string[]]> = [
    (id) => ['bead-update', [id, '--priority', '1']],
    (id) => ['bead-rm', [id, '--force']],
    (id) => ['bead-note', [id, 'n']],
    (id) => ['bead-dep-add', [a, id]],
    (id) => ['bead-reopen', [id]],
  ];
  for (const [i, id] of hostile.entries()) {
    for (const [name, args] of [
      ['bead-show', [id]],
      ['bead-close', [id]],
      ['bead-claim', [id, '--as', 'w']],
      others[i % others.length]!(id),
    ] as Array<[string, string[]]>) {
      const r = await sase(repo, name, args);
      const what = `sase-${name} ${JSON.stringify(args)}`;
      assert.ok([4, 129].includes(r.code), `${what}: exit ${r.code}: ${r.stderr}`);
      assertRefused(repo, r, r.code, what, tip);
    }
  }
  // the same ids arriving on stdin (NDJSON from another tool)
  const r = await sase(repo, 'bead-claim', ['--stdin'], {
    input:
      hostile
        .filter((x) => !x.includes('\n'))
        .map((id) => JSON.stringify({ id }))
        .join('\n') + '\n',
  });
  assertRefused(repo, r, r.code, 'hostile ids on stdin', tip);
  assert.is(repo.git('ls-files', '--others', '--cached').trim(), files, 'no file appeared in the work tree');
  await assertFsckOk(repo);
});

// ---------------------------------------------------------------------------
// The corpus: every executable, every argument and option value, every reader
// of stdin, given 6 MB. In this process: one argument of 6 MB is over what an
// OS passes to a real process (128 KiB on Linux), which gets the largest that fits.

const MB6 = 'a'.repeat(6 << 20);

/** A value for each argument name that gets as far as it can (an existing bead, change, ...). */
function argValues(ids: { a: string; b: string }): Record<string, string> {
  return {
    id: ids.a,
    blocker: ids.b,
    target: ids.a,
    name: 'feat',
    text: 'a note',
    command: 'true',
    hook: '1',
    commit: 'HEAD',
    plan: 'plan',
    status: 'done',
    step: 'step',
    workflow: 'flow',
    input: 'x=1',
    n: '1',
    ref: '#git:HEAD',
    dir: 'out',
    file: 'plan.md',
    prompt: 'say: hi',
    run: 'r-aaaaaaaa',
    'run-id': 'r-aaaaaaaa',
  };
}

/** The exit codes a command's man page documents for a failure. */
function documented(spec: CommandSpec): number[] {
  return exitRows(spec)
    .map(([code]) => code)
    .filter((c) => c !== 0);
}

async function corpusRepo(): Promise<{ repo: TestRepo; ids: { a: string; b: string } }> {
  const { repo, a, b } = await setup();
  await ok(repo, 'cs-new', ['feat', '--description', 'A feature']);
  return { repo, ids: { a, b } };
}

t(
  'the corpus: every executable given a 6 MB argument, each argument and option in turn: one error line, a documented exit code, nothing written',
  async () => {
    const specs = await loadSpecs();
    const { repo, ids } = await corpusRepo();
    const tip = stateTip(repo);
    const values = argValues(ids);
    let runs = 0;
    for (const s of specs) {
      const cases: string[][] = [];
      const given = s.args.map((x) => values[x.name] ?? 'x');
      // each argument in turn (a command with none gets one it does not take)
      for (let k = 0; k < Math.max(1, s.args.length); k++)
        cases.push(given.map((v, i) => (i === k ? MB6 : v)).concat(k >= given.length ? [MB6] : []));
      // each option that takes a value, with the required arguments given (--format, the same in every
      // command, once)
      const required = s.args.filter((x) => x.required).map((x) => values[x.name] ?? 'x');
      for (const o of allOptions(s).filter(takesValue))
        if (s.options.includes(o) || s.name === 'bead-list') cases.push([...required, `${optionLongFlag(o)}=${MB6}`]);
      for (const args of cases) {
        const what = `sase-${s.name} ${args.map((x) => (x.length > 100 ? `<${x.slice(0, x.indexOf('=') + 1)}6 MB>` : x)).join(' ')}`;
        const r = await sase(repo, s.name, args);
        assert.ok(
          documented(s).includes(r.code),
          `${what}: exit ${r.code}, documented ${documented(s)}: ${r.stderr.slice(0, 300)}`,
        );
        assertRefused(repo, r, r.code, what, tip);
        assert.ok(r.stderr.length < 2000, `${what}: a short message (${r.stderr.length} bytes)`);
        runs++;
      }
    }
    assert.ok(runs > 200, `${runs} runs`);
    await assertFsckOk(repo);
  },
);

/**
 * The commands that read stdin without --stdin (a prompt, a plan, NDJSON, or
 * ids when none are given), and how each is told to. bead-work and the
 * editors read stdin only on a terminal (a question), demo hands it on.
 */
const STDIN_READERS: Array<[string, string[]]> = [
  ['cs-resolve', ['feat']],
  ['cs-comment', ['feat']],
  ['agent-run', ['-']],
  ['agent-resume', ['r-aaaaaaaa', '-']],
  ['example-agent', []],
  ['bead-import', []],
  ['sdd-put', ['-']],
  ['sdd-validate', ['-']],
  ['sdd-new', ['--tier', 'tale', '--title', 'T', '--goal', 'g']],
  ['sdd-new', ['--tier', 'tale', '--title', 'T', '--goal', 'g', '--prompt-file', '-']],
  ['sdd-new', ['--tier', 'tale', '--title', 'T', '--goal', 'g', '--body-file', '-']],
  ['xprompt-expand', []],
];
const TERMINAL_ONLY = ['bead-work', 'cs-edit', 'sdd-edit', 'demo'];

t(
  'the corpus: every reader of stdin given a 6 MB line (an id, a record, a prompt): one error line, nothing written',
  async () => {
    const specs = await loadSpecs();
    const { repo, ids } = await corpusRepo();
    const tip = stateTip(repo);
    const values = argValues(ids);
    // every command whose source reads stdin is here (or reads it only on a terminal)
    const readsStdin =
      /readStdin|readIdsFromStdin|inputIds|inputNames|readInputFile|beadAction\(ctx, args|ctx\.stdin\b|readLine\(ctx/;
    for (const s of specs) {
      const source = readFileSync(join(ROOT, 'src', 'commands', `${s.name}.ts`), 'utf8');
      if (!readsStdin.test(source) || s.stdin || TERMINAL_ONLY.includes(s.name)) continue;
      assert.ok(
        STDIN_READERS.some(([name]) => name === s.name),
        `sase-${s.name} reads stdin: add it to STDIN_READERS`,
      );
    }
    const readers: Array<[string, string[]]> = [
      ...specs
        .filter((s) => s.stdin)
        .map((s): [string, string[]] => [
          s.name,
          [
            ...s.args.filter((x) => x.required && !x.variadic).map((x) => values[x.name] ?? 'x'),
            '--stdin',
            ...(s.name === 'bead-update' ? ['--priority', '1'] : []),
          ],
        ]),
      ...STDIN_READERS,
    ];
    const record = JSON.stringify({ id: MB6, name: MB6, commit: MB6 });
    let runs = 0;
    for (const [name, args] of readers) {
      const spec = specs.find((s) => s.name === name)!;
      const idReader = spec.stdin || name === 'cs-resolve';
      for (const line of idReader ? [MB6, record] : [MB6]) {
        const what = `sase-${name} ${args.join(' ')} fed a ${line.length}-character line`;
        const r = await sase(repo, name, args, { input: `${line}\n` });
        runs++;
        if (name === 'sdd-validate') {
          // a validator's answer: the plan is too large, a finding (exit 1), not an error
          assert.is(r.code, 1, `${what}: ${r.stderr}`);
          assert.equal(
            r.records.map((x) => x.code),
            ['too-large'],
            what,
          );
          assert.is(stateTip(repo), tip, what);
          continue;
        }
        assert.ok(documented(spec).includes(r.code), `${what}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
        assertRefused(repo, r, r.code, what, tip);
        assert.ok(r.stderr.length < 2000, `${what}: a short message (${r.stderr.length} bytes)`);
      }
    }
    assert.ok(runs >= 30, `${runs} runs`);
    await assertFsckOk(repo);
  },
);

t(
  'the corpus through the real executables: the largest argument and option an OS passes, and a 6 MB stdin line',
  async () => {
    const { repo, ids } = await corpusRepo();
    const tip = stateTip(repo);
    // one argument of at most 128 KiB, its terminating NUL included
    const largest = (prefix = '') => prefix + 'x'.repeat(128 * 1024 - 1 - prefix.length);
    for (const [name, args, input] of [
      ['bead-show', [largest()], ''],
      ['cs-commit', ['feat', largest()], ''],
      ['bead-list', [largest('--label=')], ''],
      ['ws-new', [largest('--for=')], ''],
      ['bead-claim', ['--stdin'], `${ids.a}\n${MB6}\n`],
      ['sdd-put', ['-'], `${MB6}\n`],
    ] as Array<[string, string[], string]>) {
      const what = `sase-${name} (a real process) ${args.map((x) => (x.length > 100 ? '<128 KiB>' : x)).join(' ')}${input ? ' fed 6 MB' : ''}`;
      const r = saseBin(repo, name, args, { input });
      assert.ok([1, 4, 128, 129].includes(r.code), `${what}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
      assertRefused(repo, r, r.code, what, tip);
      assert.ok(r.stderr.length < 2000, `${what}: a short message (${r.stderr.length} bytes)`);
    }
  },
);

t('EPIPE: a list cut short by head ends quietly', async () => {
  const repo = await initedRepo();
  await addBeadsWithIds(
    repo,
    Array.from({ length: 600 }, (_, i) =>
      beadRecord({ id: `ts-p${i.toString(36).padStart(7, '0')}`, title: `bead number ${i} `.padEnd(200, '.') }),
    ),
  );
  const env = { ...repo.env, PATH: `${BIN}:${repo.env.PATH}` };
  const ids = spawnSync('sase-bead-list', ['--format', 'id'], { cwd: repo.dir, env, encoding: 'utf8' }).stdout;
  assert.is(ids.split('\n').filter(Boolean).length, 600);
  repo.write('.git/ids', ids);
  for (const cmd of [
    'sase-bead-list --status all',
    'sase-bead-list --status all --format id',
    'sase-bead-ready',
    'sase-bead-show --stdin < .git/ids',
  ]) {
    const r = spawnSync('bash', ['-c', `${cmd} | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`], {
      cwd: repo.dir,
      env,
      encoding: 'utf8',
    });
    assert.is(r.stdout.split('\n').filter(Boolean).length, 1, `${cmd}: one line through head`);
    assert.match(r.stderr, /^exit=(0|141)\n$/, `${cmd}: quiet end, stderr: ${r.stderr.slice(0, 2000)}`);
  }
  await assertFsckOk(repo);
});

t.run();
