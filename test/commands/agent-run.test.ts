import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, FIXTURE_AGENT, script, transcript, waitForRun } from '../helpers/agents.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

async function stateFiles(repo: TestRepo): Promise<string[]> {
  const r = await sase(repo, 'fsck', ['--json']);
  assert.is(r.code, 0, r.stderr);
  return repo.git('ls-tree', '-r', '--name-only', 'refs/sase/state').split('\n').filter(Boolean);
}

async function numberedWorkspaces(repo: TestRepo): Promise<Record<string, any>[]> {
  return (await ok(repo, 'ws-list')).filter((w) => w.n !== 0);
}

test('a bead worked by a run: workspace #1, a noted commit, the bead closed, the log stored, all in agent-show', async () => {
  const repo = await agentRepo();
  const head = repo.git('rev-parse', 'HEAD').trim();
  const bead = (await ok(repo, 'bead-create', ['--title', 'write the greeting']))[0]!.id;
  // through the real executable
  const r = saseBin(repo, 'agent-run', ['--provider', 'fixture', '--bead', bead, '--name', 'greeter', '-'], {
    input: script('create hello.txt: hi', 'commit: add the greeting', 'say: all done'),
  });
  assert.is(r.code, 0, r.stderr);
  const run = r.records[0]!;
  assert.is(run.kind, 'agent');
  assert.is(run.status, 'done');
  assert.is(run.name, 'greeter');
  assert.is(run.exit_code, 0);
  assert.type(run.seconds, 'number');
  assert.is(run.workspace.n, 1);
  assert.is(run.bead, bead);
  assert.is(run.commits.length, 1);
  const commit = run.commits[0];
  // the commit is in the workspace, on its branch; the user's checkout did not move
  assert.is(repo.git('rev-parse', 'HEAD').trim(), head);
  assert.is(repo.git('status', '--porcelain'), '?? .sase/\n');
  assert.is(repo.git('rev-parse', run.workspace.branch).trim(), commit);
  assert.is(repo.git('log', '-1', '--format=%s', commit).trim(), 'add the greeting');
  // its note names the run and the bead
  const note = JSON.parse(repo.git('notes', '--ref=sase', 'show', commit).trim());
  assert.equal(note, { v: 1, agent: run.id, bead });
  // the bead is closed, by the run
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'closed');
  assert.is(b.assignee, run.id);
  assert.is(b.close_reason, `done by run ${run.id}`);
  // the prompt and the log are in the ref
  const files = await stateFiles(repo);
  const shard = run.id.slice(2, 4);
  for (const f of [
    `agents/${shard}/${run.id}.json`,
    `agents/${shard}/${run.id}.prompt.md`,
    `agents/${shard}/${run.id}.log`,
  ])
    assert.ok(files.includes(f), f);
  const events = await transcript(repo, run.id);
  assert.is(events[0]!.type, 'start');
  assert.equal(events[0]!.env, {
    SASE_RUN: run.id,
    SASE_BEAD_ID: bead,
    SASE_CS: null,
    SASE_WORKSPACE: run.workspace.path,
  });
  assert.ok(events.some((e) => e.type === 'say' && e.text === 'all done'));
  // agent-show tells it all
  const shown = (await ok(repo, 'agent-show', ['greeter']))[0]!;
  assert.is(shown.id, run.id);
  assert.is(shown.status, 'done');
  assert.equal(shown.commits, [commit]);
  assert.is(shown.workspace.n, 1);
  assert.ok(shown.started_at && shown.ended_at && shown.pid && shown.host);
  assert.is(shown.session, events[0]!.session);
  // the workspace is finished and still held by the run's record
  const ws = await numberedWorkspaces(repo);
  assert.is(ws.length, 1);
  assert.is(ws[0]!.run, run.id);
  assert.is(ws[0]!.state, 'finished');
  // the log replays: fsck is clean
  assert.ok((await ok(repo, 'fsck', ['--replay']))[0]!.ok);
});

test('a failed run releases its bead with a note and keeps its work in the workspace', async () => {
  const repo = await agentRepo();
  const bead = (await ok(repo, 'bead-create', ['--title', 'hard one']))[0]!.id;
  const r = await sase(repo, 'agent-run', ['--provider', 'fixture', '--bead', bead, '-'], {
    input: script('create draft.txt: half done', 'fail: cannot finish'),
  });
  assert.is(r.code, 1);
  const run = r.records[0]!;
  assert.is(run.status, 'failed');
  assert.is(run.exit_code, 1);
  // the agent's own reason, not only its exit code (once just 'exit code 1')
  assert.is(run.error, 'agent: cannot finish (exit code 1)');
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'open');
  assert.is(b.assignee, null);
  assert.match(b.notes, `run ${run.id} failed: agent: cannot finish (exit code 1); its work is kept in workspace #1`);
  assert.is(readFileSync(join(run.workspace.path, 'draft.txt'), 'utf8'), 'half done\n');
});

test('a run of a closed bead, or one claimed by someone else, is refused and leaves nothing', async () => {
  const repo = await agentRepo();
  const closed = (await ok(repo, 'bead-create', ['--title', 'old']))[0]!.id;
  await ok(repo, 'bead-close', [closed]);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--bead', closed, 'say: hi']),
    1,
    `error: bead '${closed}' is closed`,
  );
  const taken = (await ok(repo, 'bead-create', ['--title', 'taken']))[0]!.id;
  await ok(repo, 'bead-claim', [taken, '--as', 'someone']);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--bead', taken, 'say: hi']),
    3,
    `error: bead '${taken}' is claimed by 'someone'`,
  );
  assert.ok(!(await stateFiles(repo)).some((f) => f.startsWith('agents/')));
  assert.is((await numberedWorkspaces(repo)).length, 0);
});

test('fan-out: three segments give three runs in three workspaces, named .1 .2 .3', async () => {
  const repo = await agentRepo();
  const prompt = [
    'create one.txt: 1',
    'commit: one',
    '---',
    'create two.txt: 2',
    'commit: two',
    '---',
    'create three.txt: 3',
    'commit: three',
  ].join('\n');
  const r = await sase(repo, 'agent-run', ['--provider', 'fixture', '--name', 'trio', '-'], { input: prompt });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records.length, 3);
  assert.equal(
    r.records.map((x) => x.name),
    ['trio.1', 'trio.2', 'trio.3'],
  );
  assert.ok(r.records.every((x) => x.status === 'done' && x.commits.length === 1));
  const ns = r.records.map((x) => x.workspace.n).sort();
  assert.equal(ns, [1, 2, 3]);
  assert.ok(existsSync(join(r.records[1]!.workspace.path, 'two.txt')));
  assert.ok(!existsSync(join(r.records[1]!.workspace.path, 'one.txt')));
  assert.is((await numberedWorkspaces(repo)).length, 3);
});

test('--fanout N starts N runs of one prompt; segments may set their own directives', async () => {
  const repo = await agentRepo();
  const r = await sase(repo, 'agent-run', ['--provider', 'fixture', '--fanout', '2', '--name', 'try', 'say: attempt']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    r.records.map((x) => x.name),
    ['try.1', 'try.2'],
  );
  const s = await sase(repo, 'agent-run', ['--provider', 'fixture', '-'], {
    input: '%name:left\nsay: l\n---\n%name:right\nsay: r\n',
  });
  assert.is(s.code, 0, s.stderr);
  assert.equal(s.records.map((x) => x.name).sort(), ['left', 'right']);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--fanout', '2', '-'], { input: 'say: a\n---\nsay: b\n' }),
    129,
    'error: a prompt of several segments (--- lines) cannot also take --fanout',
  );
});

test('directives: %provider, %model (through the model flag), %name are applied and stripped from the stored prompt', async () => {
  const repo = await agentRepo(`model_flag = ["--model", "{model}"]\n`);
  const r = await sase(repo, 'agent-run', ['--provider', 'nosuch', '-'], {
    input: '%provider:fixture\n%model:big-1\n%name:styled\nsay: hi\n',
  });
  assert.is(r.code, 0, r.stderr);
  const run = r.records[0]!;
  assert.is(run.provider, 'fixture');
  assert.is(run.model, 'big-1');
  assert.is(run.name, 'styled');
  const start = (await transcript(repo, run.id))[0]!;
  assert.equal(start.argv, ['--model', 'big-1']);
  const shown = (await ok(repo, 'agent-show', [run.id, '--prompt']))[0]!;
  assert.is(shown.prompt, 'say: hi\n');
});

test('workspace references: --ws #git:<ref>, a prompt opening with #cd:<path>, --ws #<n> reusing a free workspace', async () => {
  const repo = await agentRepo();
  repo.write('f.txt', 'one\n');
  repo.git('add', 'f.txt');
  repo.git('commit', '-q', '-m', 'second');
  const first = repo.git('rev-parse', 'HEAD~1').trim();
  const a = (await ok(repo, 'agent-run', ['--provider', 'fixture', '--ws', '#git:HEAD~1', 'run: test ! -e f.txt']))[0]!;
  assert.is(a.status, 'done');
  assert.is(a.workspace.base, first);
  const folder = join(repo.home, 'elsewhere');
  mkdirSync(folder);
  const b = (
    await ok(repo, 'agent-run', ['--provider', 'fixture', '-'], {
      input: `#cd:${folder}\ncreate made-here.txt: x\n`,
    })
  )[0]!;
  assert.is(b.workspace.n, null);
  assert.is(b.workspace.path, folder);
  assert.ok(existsSync(join(folder, 'made-here.txt')));
  const c = (
    await ok(repo, 'agent-run', ['--provider', 'fixture', '--ws', `#${a.workspace.n}`, 'create again.txt: y'])
  )[0]!;
  assert.is(c.workspace.n, a.workspace.n);
  assert.ok(existsSync(join(a.workspace.path, 'again.txt')));
});

test('--timeout stops a hanging agent and its run fails, saying why', async () => {
  const repo = await agentRepo();
  const r = await sase(repo, 'agent-run', ['--provider', 'fixture', '--timeout', '1s', 'hang']);
  assert.is(r.code, 1);
  assert.is(r.records[0]!.status, 'failed');
  assert.is(r.records[0]!.error, 'timed out after 1s');
});

test('--detach returns at once; the run goes on and ends on its own', async () => {
  const repo = await agentRepo();
  const run = await detached(repo, script('sleep 0.3', 'create late.txt: z', 'commit: late'));
  assert.ok(['queued', 'running'].includes(run.status));
  const end = await waitForRun(repo, run.id);
  assert.is(end.status, 'done');
  assert.is(end.commits.length, 1);
});

test('bad input: clear errors, no run record, no workspace left', async () => {
  const repo = await agentRepo(`[providers.ghost]\ncommand = ["sase-no-such-agent-cli", "-p"]\n`);
  repo.write('.sase/xprompts/a.md', 'see #b\n');
  repo.write('.sase/xprompts/b.md', 'see #a\n');
  repo.write(
    '.sase/xprompts/greet.md',
    '---\ninputs:\n  who: {type: word}\n  times: {type: int, default: 1}\n---\nhello {{who}} x{{times}}\n',
  );
  const known = 'claude, codex, gemini, qwen, opencode, example, fixture, ghost';
  fails(
    await sase(repo, 'agent-run', ['--provider', 'nope', 'say: hi']),
    129,
    `error: unknown provider 'nope' (known: ${known})`,
  );
  const missing = await sase(repo, 'agent-run', ['--provider', 'ghost', 'say: hi']);
  fails(missing, 128, "fatal: provider 'ghost': 'sase-no-such-agent-cli' not found on PATH");
  assert.match(missing.stderr, "hint: 'sase doctor' shows which agent CLIs are installed");
  fails(await sase(repo, 'agent-run', ['--provider', 'fixture', 'use #a']), 128, 'fatal: xprompt cycle: a -> b -> a');
  assert.is((await sase(repo, 'agent-run', ['--provider', 'fixture', 'use #greet'])).code, 129);
  assert.is((await sase(repo, 'agent-run', ['--provider', 'fixture', 'use #greet(who=bob, times=many)'])).code, 129);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '#cd:/no/such/folder say: hi']),
    4,
    "error: no folder '/no/such/folder' (in '#cd:/no/such/folder')",
  );
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--ws', '#9', 'say: hi']),
    4,
    "error: no workspace #9 (try 'sase ws list')",
  );
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--name', 'Bad Name;rm', 'say: hi']),
    129,
    "error: run name 'Bad Name;rm' is not lower-case letters, digits, '.', '_' and '-' (at most 100, starting with a letter or digit)",
  );
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--wait', '../x', 'say: hi']),
    129,
    "error: '../x' names no agent (a run id, a run name, or bead:<id>)",
  );
  const big = await sase(repo, 'agent-run', ['--provider', 'fixture', '-'], { input: 'x'.repeat(10 << 20) });
  fails(big, 129, `error: the prompt is ${10 << 20} bytes; at most ${1 << 20} are accepted`);
  fails(await sase(repo, 'agent-run', ['--provider', 'fixture', '   ']), 129, 'error: the prompt is empty');
  assert.ok(!(await stateFiles(repo)).some((f) => f.startsWith('agents/')));
  assert.is((await numberedWorkspaces(repo)).length, 0);
});

test('security: prompt text and arguments reach the agent as they are, never through a shell', async () => {
  const repo = await agentRepo(
    `[providers.argful]\ncommand = [${JSON.stringify(FIXTURE_AGENT)}, "--prompt", "{prompt}"]\nprompt = "arg"\n`,
  );
  const nasty = '$(touch pwned) `touch pwned2`; touch pwned3 | cat && echo "x" > pwned4 \'q\'';
  const r = await sase(repo, 'agent-run', ['--provider', 'argful', nasty]);
  assert.is(r.code, 0, r.stderr);
  const run = r.records[0]!;
  const start = (await transcript(repo, run.id))[0]!;
  assert.equal(start.argv, ['--prompt', nasty + '\n']);
  for (const f of ['pwned', 'pwned2', 'pwned3', 'pwned4']) {
    assert.ok(!existsSync(join(run.workspace.path, f)), f);
    assert.ok(!existsSync(join(repo.dir, f)), f);
  }
});

test('a custom provider whose command uses {model}: runs with a model, and without one is refused before anything is written', async () => {
  const repo = await agentRepo(
    `[providers.modeled]\ncommand = [${JSON.stringify(FIXTURE_AGENT)}, "--model={model}", "--session-id", "{session}"]\n`,
  );
  const r = await sase(repo, 'agent-run', ['--provider', 'modeled', '--model', 'big-1', 'say: hi']);
  assert.is(r.code, 0, r.stderr);
  const run = r.records[0]!;
  assert.is(run.status, 'done');
  assert.is(run.model, 'big-1');
  assert.equal((await transcript(repo, run.id))[0]!.argv, ['--model=big-1', '--session-id', run.session]);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'modeled', 'say: hi']),
    129,
    "error: provider 'modeled' needs a model (its command uses '{model}')",
  );
  assert.is((await ok(repo, 'agent-list', ['--all'])).length, 1, 'no record for the refused run');
});

test('a follow-up takes no other workspace, and needs a change still open', async () => {
  const repo = await agentRepo();
  await ok(repo, 'cs-new', ['feat', '--description', 'A feature']);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--cs', 'feat', '--ws', '#git:HEAD', 'say: hi']),
    129,
    "error: a follow-up on change 'feat' works on its branch; it takes no other workspace (#git:HEAD)",
  );
  await ok(repo, 'cs-archive', ['feat']);
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--cs', 'feat', 'say: hi']),
    1,
    "error: change 'feat' is Archived; a follow-up needs a change still open",
  );
  fails(
    await sase(repo, 'agent-run', ['--provider', 'fixture', '--cs', 'nochange', 'say: hi']),
    4,
    "error: no change 'nochange'",
  );
  assert.is((await numberedWorkspaces(repo)).length, 0);
});

test('sase run is the short form of sase agent run', async () => {
  const repo = await agentRepo();
  const r = await sase(repo, '', ['run', '--provider', 'fixture', 'say: short']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records[0]!.status, 'done');
});

test('a bead record piped in gives the run its bead and its text', async () => {
  const repo = await agentRepo();
  await ok(repo, 'bead-create', ['--title', 'create piped.txt: from the bead']);
  const ready = (await sase(repo, 'bead-ready', ['--limit', '1'])).stdout;
  const r = await sase(repo, 'agent-run', ['--provider', 'fixture', '-'], { input: ready });
  assert.is(r.code, 0, r.stderr);
  const run = r.records[0]!;
  assert.ok(run.bead);
  assert.ok(existsSync(join(run.workspace.path, 'piped.txt')));
  assert.is((await ok(repo, 'bead-show', [run.bead]))[0]!.status, 'closed');
});

// ---- the finalizer: what a run leaves behind decides what its bead becomes

test('a run that did nothing no longer closes its bead: released with a note (sase bead ready | sase run --detach -)', async () => {
  const repo = await agentRepo();
  const bead = (await ok(repo, 'bead-create', ['--title', 'Tidy the docs']))[0]!.id;
  const ready = (await sase(repo, 'bead-ready', ['--limit', '1'])).stdout;
  // the example agent finds no instruction in 'Tidy the docs': 0 steps, 0 commits (once: closed "done by run")
  const started = await ok(repo, 'agent-run', ['--provider', 'example', '--detach', '-'], { input: ready });
  const run = await waitForRun(repo, started[0]!.id);
  assert.is(run.status, 'done');
  assert.equal(run.commits, []);
  assert.is(run.note, `no commit: bead ${bead} released`);
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'open');
  assert.is(b.assignee, null);
  assert.is(b.close_reason, null);
  assert.match(b.notes, `run ${run.id} ended without a commit, so the bead is released`);
  assert.match(b.notes, '{"sase":"noop","reason":"..."}');
  assert.ok(
    (await ok(repo, 'bead-ready')).some((x) => x.id === bead),
    'the bead is ready again',
  );
  // the terminal line says so
  const card = await sase(repo, 'agent-show', [run.id, '--format', 'text']);
  assert.match(card.stdout, `note       no commit: bead ${bead} released`);
});

test('work left uncommitted is committed by sase, in a commit naming the run; the bead is closed', async () => {
  const repo = await agentRepo();
  const bead = (await ok(repo, 'bead-create', ['--title', 'notes']))[0]!.id;
  const r = await sase(repo, 'agent-run', ['--provider', 'example', '--bead', bead, '-'], {
    input: script('create notes.md: # Notes', 'say: forgot to commit'),
  });
  assert.is(r.code, 0, r.stderr);
  const run = r.records[0]!;
  assert.is(run.status, 'done');
  assert.is(run.commits.length, 1, 'once: done with no commits, the work only in the workspace');
  const sha = run.commits[0] as string;
  assert.match(run.note, `sase committed the work the agent left uncommitted (${sha.slice(0, 12)})`);
  const msg = repo.git('log', '-1', '--format=%B', sha);
  assert.match(msg, `sase: work left uncommitted by run ${run.id}`);
  assert.match(msg, `Sase-Bead: ${bead}`);
  assert.is(repo.git('show', `${sha}:notes.md`), '# Notes\n');
  assert.is(repo.git('-C', run.workspace.path, 'status', '--porcelain'), '');
  // noted like any commit of a run, and the bead closed by it
  assert.is(JSON.parse(repo.git('notes', '--ref=sase', 'show', sha).trim()).agent, run.id);
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'closed');
  assert.is(b.close_reason, `done by run ${run.id}`);
});

test('[agents] on_uncommitted = "fail": a run leaving uncommitted work fails and says so; its work is kept', async () => {
  const repo = await agentRepo('[agents]\non_uncommitted = "fail"\n');
  const bead = (await ok(repo, 'bead-create', ['--title', 'draft']))[0]!.id;
  const r = await sase(repo, 'agent-run', ['--provider', 'example', '--bead', bead, '-'], {
    input: script('create draft.md: half'),
  });
  assert.is(r.code, 1);
  const run = r.records[0]!;
  assert.is(run.status, 'failed');
  assert.is(run.exit_code, 0);
  assert.is(run.error, 'the agent left uncommitted work in workspace #1 ([agents] on_uncommitted = "fail")');
  assert.equal(run.commits, []);
  assert.is(readFileSync(join(run.workspace.path, 'draft.md'), 'utf8'), 'half\n');
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'open');
  assert.match(b.notes, `run ${run.id} failed: the agent left uncommitted work`);
  // a bad value is refused as malformed config
  repo.write('.sase/config.toml', '[agents]\non_uncommitted = "stash"\n');
  const bad = await sase(repo, 'agent-run', ['--provider', 'example', 'say: hi']);
  assert.is(bad.code, 128);
  assert.match(bad.stderr, `config.toml: 'agents.on_uncommitted' must be "commit" or "fail" (got "stash")`);
});

test('an agent that says no change is needed ({"sase":"noop"} as its final line) closes its bead with that reason', async () => {
  const repo = await agentRepo();
  const bead = (await ok(repo, 'bead-create', ['--title', 'check the docs']))[0]!.id;
  const r = await sase(repo, 'agent-run', ['--provider', 'example', '--bead', bead, '-'], {
    input: script('run: true', 'noop: the docs are already right'),
  });
  assert.is(r.code, 0, r.stderr);
  const run = r.records[0]!;
  assert.is(run.status, 'done');
  assert.equal(run.commits, []);
  assert.is(run.noop, 'the docs are already right');
  const log = saseBin(repo, 'agent-log', [run.id]).stdout.trimEnd().split('\n');
  assert.equal(JSON.parse(log[log.length - 1]!), { sase: 'noop', reason: 'the docs are already right' });
  const b = (await ok(repo, 'bead-show', [bead]))[0]!;
  assert.is(b.status, 'closed');
  assert.is(b.close_reason, `no change needed (run ${run.id}): the docs are already right`);
  // the marker counts only as the final line: said earlier, then more output, it is not taken
  const bead2 = (await ok(repo, 'bead-create', ['--title', 'again']))[0]!.id;
  const r2 = await sase(repo, 'agent-run', ['--provider', 'fixture', '--bead', bead2, '-'], {
    input: script('say: {"sase":"noop","reason":"early"}', 'say: but then more'),
  });
  assert.is(r2.records[0]!.noop, null);
  assert.is((await ok(repo, 'bead-show', [bead2]))[0]!.status, 'open');
});

test.run();
