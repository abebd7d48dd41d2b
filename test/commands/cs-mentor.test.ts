import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, FIXTURE_AGENT, script, waitForRun } from '../helpers/agents.ts';
import { commitOn, storedChange } from '../helpers/changes.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

const COMMENT = '{"path":"a.txt","line":1,"text":"needs a header","severity":"warning"}';
const LINE =
  /^\[\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\] (\S+) - ([A-Z]+)(?: - \((\d+h)?(\d+m)?\d+s\))? - (r-[0-9a-z]{8})$/;

// Mentor profiles over the scripted agent: the profile's text is the start of
// the mentor's prompt, so it holds the agent's instructions (say: prints a line
// of the agent's answer; other lines of the prompt are ignored by the agent).
const MENTORS = `[agents]
provider = "fixture"

[mentors.style]
paths = ["*.txt"]
prompt = '''
Review the style.
say: ${COMMENT}
'''

[mentors.quiet]
paths = ["**/*.txt"]
prompt = "say: looks good to me"

[mentors.strict]
paths = ["src/**"]
prompt = "fail: cannot review this"

[mentors.docs]
paths = ["docs/**", "*.md"]
prompt = "say: nothing"
`;

/** A repository with the mentors above and a change 'feat' with one recorded commit adding a.txt. */
async function changeRepo(config = MENTORS): Promise<{ repo: TestRepo; sha: string }> {
  const repo = await agentRepo(config);
  await ok(repo, 'cs-new', ['feat', '--description', 'Add a greeting']);
  const sha = commitOn(repo, 'sase/cs/feat', { 'a.txt': 'hello\n' }, 'Add a');
  await ok(repo, 'cs-commit', ['feat']);
  return { repo, sha };
}

async function show(repo: TestRepo, name: string): Promise<Record<string, any>> {
  return (await ok(repo, 'cs-show', [name, '--json']))[0]!;
}

test("a mentor's comments land in the change; a follow-up run sees them in its prompt and adds its commit to the change", async () => {
  const { repo, sha } = await changeRepo();
  // through the real executable
  const r = saseBin(repo, 'cs-mentor', ['feat', '--profile', 'style']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records.length, 1, r.stdout);
  const m = r.records[0]!;
  assert.is(m.kind, 'mentor');
  assert.is(m.change, 'feat');
  assert.is(m.profile, 'style');
  assert.is(m.commit, 1);
  assert.is(m.sha, sha);
  assert.is(m.status, 'COMMENTED');
  assert.is(m.run_status, 'done');
  assert.equal(m.comments, [
    { id: 1, author: 'mentor:style', path: 'a.txt', line: 1, text: 'warning: needs a header', resolved: false },
  ]);

  const c = await show(repo, 'feat');
  assert.equal(c.comments, [
    { id: 1, author: 'mentor:style', path: 'a.txt', line: 1, text: 'warning: needs a header', resolved: false },
  ]);
  assert.is(c.unresolved, 1);
  assert.is(c.mentors.length, 1);
  assert.is(c.mentors[0].entry, '(1) style[1/1]');
  assert.is(c.mentors[0].runs.length, 1);
  const line = LINE.exec(c.mentors[0].runs[0]);
  assert.ok(line, c.mentors[0].runs[0]);
  assert.equal([line![1], line![2], line![5]], ['style', 'COMMENTED', m.run]);
  assert.match(
    storedChange(repo, 'feat')!,
    '\nCOMMENTS:\n  [mentor:style] a.txt:1 warning: needs a header - (!: unresolved)\nMENTORS:\n  (1) style[1/1]\n      | [',
  );

  // the mentor's run: named, at the reviewed commit in a workspace of its own, its prompt holding the diff
  const [run] = await ok(repo, 'agent-show', [m.run, '--prompt', '--json']);
  assert.is(run!.name, 'mentor.style.feat');
  assert.equal(run!.mentor, { change: 'feat', profile: 'style', commit: 1, sha });
  assert.is(run!.ws_ref, `#git:${sha}`);
  assert.is(run!.workspace.base, sha);
  assert.ok(run!.workspace.n > 0);
  assert.is(run!.changespec, null);
  assert.is(run!.close_bead, false);
  assert.match(run!.prompt, /^Review the style\.\n/);
  assert.match(run!.prompt, `## The change 'feat' at commit ${sha}`);
  assert.match(run!.prompt, '+hello');
  assert.is((await ok(repo, 'agent-show', ['mentor.style.feat', '--json']))[0]!.id, m.run, 'addressed by its name');

  // the follow-up: on the change's branch, the comment in its prompt, its commit added to the change
  const f = await sase(repo, 'agent-run', ['--cs', 'feat', '-'], {
    input: script('create b.txt: more', 'commit: Add b'),
  });
  assert.is(f.code, 0, f.stderr);
  const ended = f.records[0]!;
  assert.is(ended.status, 'done');
  assert.is(ended.changespec, 'feat');
  assert.is(ended.ws_ref, '#cs:feat');
  assert.is(ended.workspace.branch, 'sase/cs/feat');
  assert.is(ended.commits.length, 1);
  const [follow] = await ok(repo, 'agent-show', [ended.id, '--prompt', '--json']);
  assert.match(follow!.prompt, '## Unresolved comments');
  assert.match(follow!.prompt, '- [1] a.txt:1 (mentor:style): warning: needs a header');
  assert.match(follow!.prompt, 'Add a greeting');
  const after = await show(repo, 'feat');
  assert.equal(
    after.commits.map((k: any) => [k.n, k.subject, k.sha]),
    [
      [1, 'Add a', sha],
      [2, 'Add b', ended.commits[0]],
    ],
  );
  assert.equal(
    after.deltas.map((d: any) => d.path),
    ['a.txt', 'b.txt'],
  );
  assert.is(repo.git('rev-parse', 'sase/cs/feat').trim(), ended.commits[0]);
  const note = JSON.parse(repo.git('notes', '--ref=sase', 'show', ended.commits[0]).trim().split('\n')[0]!);
  assert.is(note.changespec, 'feat');
  await ok(repo, 'fsck');
});

test('a second follow-up after a rebase of the change works on the rebased branch (its workspace catches up, the rebase is not undone)', async () => {
  const repo = await agentRepo('[agents]\nprovider = "fixture"\n');
  await ok(repo, 'cs-new', ['feat', '--description', 'Add things']);
  commitOn(repo, 'sase/cs/feat', { 'a.txt': 'hello\n' }, 'Add a');
  await ok(repo, 'cs-commit', ['feat']);
  const first = await sase(repo, 'agent-run', ['--cs', 'feat', '-'], {
    input: script('create b.txt: more', 'commit: Add b'),
  });
  assert.is(first.code, 0, first.stderr);
  const ws = first.records[0]!.workspace;
  // main moves on and the change is rebased onto it while workspace ws keeps the branch checked out
  commitOn(repo, 'main', { 'up.txt': 'upstream\n' }, 'Upstream');
  await ok(repo, 'cs-rebase', ['feat']);
  const rebased = repo.git('rev-parse', 'sase/cs/feat').trim();
  const second = await sase(repo, 'agent-run', ['--cs', 'feat', '-'], {
    input: script('create c.txt: third', 'commit: Add c'),
  });
  assert.is(second.code, 0, second.stderr);
  const run = second.records[0]!;
  assert.is(run.workspace.n, ws.n, 'the free workspace on the branch is reused');
  assert.is(run.workspace.base, rebased);
  assert.is(repo.git('rev-parse', 'sase/cs/feat~1').trim(), rebased);
  assert.is(
    repo.git('show', '--format=', '--name-status', 'sase/cs/feat').trim(),
    'A\tc.txt',
    'only its own file: nothing of the rebase undone',
  );
  assert.is(repo.git('show', 'sase/cs/feat:up.txt'), 'upstream\n');
  assert.equal(
    (await show(repo, 'feat')).commits.map((k: any) => k.subject),
    ['Add a', 'Add b', 'Add c'],
  );
});

test('profiles chosen by paths: a mentor with nothing to say passes, one that fails makes the command fail', async () => {
  const { repo } = await changeRepo();
  // a.txt is selected by style (*.txt) and quiet (**/*.txt); strict (src/**) and docs do not match
  const r = await sase(repo, 'cs-mentor', ['feat']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.records.map((x) => [x.profile, x.status]),
    [
      ['quiet', 'PASSED'],
      ['style', 'COMMENTED'],
    ],
  );
  assert.equal(r.records.find((x) => x.profile === 'quiet')!.comments, []);
  const c = await show(repo, 'feat');
  assert.equal(
    c.mentors.map((x: any) => x.entry),
    ['(1) quiet[1/1]', '(1) style[1/1]'],
  );
  assert.is(LINE.exec(c.mentors[0].runs[0])![2], 'PASSED');
  assert.is(c.comments.length, 1, 'only the style mentor commented');

  // a change under src/ is the strict mentor's, which fails
  await ok(repo, 'cs-new', ['lib', '--description', 'A library']);
  commitOn(repo, 'sase/cs/lib', { 'src/x.ts': 'export {};\n' }, 'Add x');
  await ok(repo, 'cs-commit', ['lib']);
  const s = await sase(repo, 'cs-mentor', ['lib']);
  assert.is(s.code, 1, s.stderr);
  assert.equal(
    s.records.map((x) => [x.profile, x.status, x.run_status]),
    [['strict', 'FAILED', 'failed']],
  );
  assert.match(s.records[0]!.error, 'exit code 1');
  const lib = await show(repo, 'lib');
  assert.is(lib.mentors[0].entry, '(1) strict[1/1]');
  assert.is(LINE.exec(lib.mentors[0].runs[0])![2], 'FAILED');
  assert.equal(lib.comments, []);

  // a second review of the same commit adds a run to its entry, and no comment twice
  const again = await sase(repo, 'cs-mentor', ['feat', '--profile', 'style']);
  assert.is(again.code, 0, again.stderr);
  const c2 = await show(repo, 'feat');
  assert.is(c2.mentors.find((x: any) => x.entry.includes('style')).entry, '(1) style[2/2]');
  assert.is(c2.comments.length, 1, 'the same open comment is not added again');
});

test('--detach prints the run records; the answer is recorded when the mentor ends', async () => {
  const { repo } = await changeRepo();
  const r = await sase(repo, 'cs-mentor', ['feat', '--profile', 'style', '--detach']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records.length, 1);
  const run = r.records[0]!;
  assert.is(run.kind, 'agent');
  assert.is(run.name, 'mentor.style.feat');
  const started = await show(repo, 'feat');
  assert.is(started.mentors.length, 1);
  assert.match(
    started.mentors[0].runs[0],
    new RegExp(` style - (STARTING|RUNNING|COMMENTED)( - \\(\\d+s\\))? - ${run.id}$`),
  );
  assert.is((await waitForRun(repo, run.id)).status, 'done');
  for (let i = 0; i < 300; i++) {
    const c = await show(repo, 'feat');
    if (c.mentors[0].entry === '(1) style[1/1]') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const c = await show(repo, 'feat');
  assert.is(c.mentors[0].entry, '(1) style[1/1]');
  assert.is(LINE.exec(c.mentors[0].runs[0])![2], 'COMMENTED');
  assert.is(c.comments[0].author, 'mentor:style');
});

test("on a terminal: the mentors' output, how their runs ended, then each result with its comments", async () => {
  const { repo, sha } = await changeRepo();
  const r = await sase(repo, 'cs-mentor', ['feat', '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes(`[mentor.style.feat] ${COMMENT}`), r.stdout);
  assert.ok(
    lines.some((l) => /^run mentor\.quiet\.feat \(r-[0-9a-z]{8}\) in #\d+: done$/.test(l)),
    r.stdout,
  );
  assert.equal(lines.slice(-4), [
    `mentor quiet on feat (1) ${sha.slice(0, 12)}: PASSED`,
    `mentor style on feat (1) ${sha.slice(0, 12)}: COMMENTED (1 open comment)`,
    '  #1 a.txt:1 warning: needs a header',
    '',
  ]);
});

test('no profile selects the change: nothing started, exit 0', async () => {
  const repo = await agentRepo(MENTORS);
  await ok(repo, 'cs-new', ['notes', '--description', 'Notes']);
  commitOn(repo, 'sase/cs/notes', { 'notes.rst': 'x\n' }, 'Add notes');
  await ok(repo, 'cs-commit', ['notes']);
  const before = repo.git('rev-parse', 'refs/sase/state').trim();
  const r = await sase(repo, 'cs-mentor', ['notes']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.is(
    r.stderr,
    "no mentor profile selects change 'notes' (by the paths in its DELTAS); '--profile <name>' runs one anyway\n",
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), before, 'nothing written');
  assert.equal(await ok(repo, 'agent-list', ['--all']), []);
});

test('bad input: unknown profile, no commits, no change, bad config; nothing written', async () => {
  const { repo } = await changeRepo();
  const before = repo.git('rev-parse', 'refs/sase/state').trim();
  fails(
    await sase(repo, 'cs-mentor', ['feat', '--profile', 'nope']),
    129,
    "error: unknown mentor profile 'nope' (known: docs, quiet, strict, style)",
  );
  fails(
    await sase(repo, 'cs-mentor', ['feat', '--profile', 'style', '--provider', 'nope']),
    129,
    "error: unknown provider 'nope' (known: claude, codex, gemini, qwen, opencode, example, fixture)",
  );
  fails(await sase(repo, 'cs-mentor', ['nope']), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-mentor', ['Bad']),
    129,
    "error: change name 'Bad' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  await ok(repo, 'cs-new', ['empty', '--description', 'Nothing yet']);
  const mid = repo.git('rev-parse', 'refs/sase/state').trim();
  fails(
    await sase(repo, 'cs-mentor', ['empty', '--profile', 'style']),
    1,
    "error: change 'empty' has no commits to review",
  );
  assert.is(repo.git('rev-parse', 'refs/sase/state').trim(), mid, 'nothing written');
  assert.not.equal(mid, before);
  assert.equal(await ok(repo, 'agent-list', ['--all']), []);
  assert.equal(
    (await ok(repo, 'ws-list')).filter((w) => w.n !== 0),
    [],
    'no workspace made',
  );

  const bad = async (config: string) => {
    repo.write('.sase/config.toml', config);
    return await sase(repo, 'cs-mentor', ['feat']);
  };
  const file = `${repo.dir}/.sase/config.toml`;
  fails(
    await bad('[mentors.style]\npaths = ["*.txt"]\nprompt = "x"\ncolour = "red"\n'),
    128,
    `fatal: ${file}: unknown key 'mentors.style.colour'`,
  );
  fails(
    await bad('[mentors.style]\npaths = "*.txt"\nprompt = "x"\n'),
    128,
    `fatal: ${file}: 'mentors.style.paths' must be an array of glob strings`,
  );
  fails(
    await bad('[mentors.style]\npaths = ["src/{a,b"]\nprompt = "x"\n'),
    128,
    `fatal: ${file}: 'mentors.style.paths' glob "src/{a,b" has a '{' without its '}'`,
  );
  fails(
    await bad('[mentors.style]\npaths = ["*.txt"]\n'),
    128,
    'fatal: .sase/config.toml: \'mentors.style.prompt\' is required (its text, or an XPrompt such as "#review")',
  );
  fails(
    await bad('[mentors.Style]\npaths = ["*.txt"]\nprompt = "x"\n'),
    128,
    `fatal: ${file}: mentor profile name 'Style' must be lower-case letters, digits, '_' and '-' (at most 40)`,
  );
  fails(
    await bad(
      `[providers.fixture]\ncommand = [${JSON.stringify(FIXTURE_AGENT)}]\n[agents]\nprovider = "fixture"\n[mentors.style]\npaths = ["*.txt"]\nprompt = "#no_such_xprompt"\n`,
    ),
    4,
    "error: mentor profile 'style': no XPrompt 'no_such_xprompt'",
  );
});

test('an XPrompt as the profile prompt; --provider and --model override the profile', async () => {
  const { repo } = await changeRepo(
    `[agents]\nprovider = "fixture"\n[providers.other]\ncommand = [${JSON.stringify(FIXTURE_AGENT)}]\n[mentors.review]\npaths = ["**"]\nprompt = "#review"\n`,
  );
  repo.write(
    '.sase/xprompts/review.md',
    '---\ndescription: a review\n---\nLook closely.\nsay: {"path":"a.txt","text":"whole file remark"}\n',
  );
  const r = await sase(repo, 'cs-mentor', ['feat', '--provider', 'other']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.records.map((x) => [x.profile, x.status]),
    [['review', 'COMMENTED']],
  );
  assert.equal(
    r.records[0]!.comments.map((k: any) => [k.path, k.line, k.text]),
    [['a.txt', null, 'whole file remark']],
  );
  const [run] = await ok(repo, 'agent-show', [r.records[0]!.run, '--prompt', '--json']);
  assert.is(run!.provider, 'other');
  assert.match(run!.prompt, /^Look closely\.\n/);
});

test.run();
