import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-update');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const update = (args: string[], input?: string) => ok(repo, 'bead-update', args, { env: { SASE_NOW: T1 }, input });

t('sets fields, labels and updated_at, in one commit, and prints the bead', async () => {
  const a = await create('--title', 'Old', '--label', 'keep,drop');
  const before = commitCount(repo);
  // through the real executable
  const [r, ...rest] = okBin(
    repo,
    'bead-update',
    [
      a.short_id,
      '--title',
      'New title',
      '--priority',
      '0',
      '--size',
      'large',
      '--description',
      'two\nlines',
      '--design',
      'sdd/epics/x.md',
      '--model',
      'opus',
      '--assignee',
      'w1',
      '--owner',
      'bob@example.com',
      '--add-label',
      'new,keep',
      '--remove-label',
      'drop',
    ],
    { env: { SASE_NOW: T1 } },
  );
  assert.is(rest.length, 0);
  assert.is(commitCount(repo), before + 1);
  assert.equal(r, {
    ...a,
    title: 'New title',
    priority: 0,
    size: 'large',
    description: 'two\nlines',
    design: 'sdd/epics/x.md',
    model: 'opus',
    assignee: 'w1',
    owner: 'bob@example.com',
    labels: ['keep', 'new'],
    updated_at: T1,
  });
  assert.is(r!.created_at, T0);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: update ${a.id}`);
  // '' clears the nullable fields
  const [c] = await update([a.id, '--assignee', '', '--owner', '', '--design', '', '--model', '']);
  assert.equal([c!.assignee, c!.owner, c!.design, c!.model], [null, null, null, null]);
});

t('status moves: claimed -> in_progress -> open (clearing the assignee)', async () => {
  const a = await create('--title', 'work');
  await ok(repo, 'bead-claim', [a.id, '--as', 'w1']);
  const [p] = await update([a.id, '--status', 'in_progress']);
  assert.equal([p!.status, p!.assignee], ['in_progress', 'w1']);
  const [o] = await update([a.id, '--status', 'open']);
  assert.equal([o!.status, o!.assignee], ['open', null]);
  const [k] = await update([a.id, '--status', 'claimed', '--assignee', 'w2']);
  assert.equal([k!.status, k!.assignee], ['claimed', 'w2']);
});

t('type and tier: a task becomes an epic, and back (the tier is dropped)', async () => {
  const a = await create('--title', 'grows');
  const [e] = await update([a.id, '--type', 'plan', '--tier', 'epic']);
  assert.equal([e!.issue_type, e!.tier], ['plan', 'epic']);
  const [back] = await update([a.id, '--type', 'task']);
  assert.equal([back!.issue_type, back!.tier], ['task', null]);
});

t('several beads at once, from arguments, --stdin or a pipe of records', async () => {
  const a = await create('--title', 'a');
  const b = await create('--title', 'b');
  const before = commitCount(repo);
  assert.equal(
    (await update([a.id, b.short_id, '--priority', '4'])).map((r) => [r.id, r.priority]),
    [
      [a.id, 4],
      [b.id, 4],
    ],
  );
  assert.equal(
    (await update(['--stdin', '--priority', '3'], `${a.id}\n${b.id}\n`)).map((r) => r.priority),
    [3, 3],
  );
  const piped = await update(
    ['--add-label', 'piped'],
    (await ok(repo, 'bead-show', [a.id, b.id])).map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
  assert.equal(
    piped.map((r) => [r.id, r.labels]),
    [
      [a.id, ['piped']],
      [b.id, ['piped']],
    ],
  );
  assert.is(commitCount(repo), before + 3);
});

t('--format id and --format text', async () => {
  const a = await create('--title', 'fmt');
  const r = await sase(repo, 'bead-update', [a.id, '--priority', '1', '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${a.id}\n`);
  const text = await sase(repo, 'bead-update', [a.id, '--title', 'fmt two', '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(text.stdout, `updated ${a.short_id}: fmt two\n`);
});

t('exit 1: changing the status of a closed bead is refused; nothing changes', async () => {
  const a = await create('--title', 'closed one');
  await ok(repo, 'bead-close', [a.id]);
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-update', [a.id, '--status', 'open']);
  fails(r, 1, `error: bead '${a.id}' is closed`);
  assert.is(r.stderr.split('\n')[1], `hint: reopen it first with 'sase bead reopen ${a.id}'`);
  assert.is(stateTip(repo), tip);
});

t('exit 4: no bead matches an id; all or nothing', async () => {
  const a = await create('--title', 'survivor');
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-update', [a.id, 'ts-zzzzzzzz', '--priority', '0']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
  assert.is((await ok(repo, 'bead-show', [a.id]))[0]!.priority, 2);
});

t('exit 129: nothing to change, or a bad value', async () => {
  const a = await create('--title', 'x');
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-update', [a.id]), 129, 'error: nothing to change (see --help for the fields)');
  fails(
    await sase(repo, 'bead-update', [a.id, '--priority', '9']),
    129,
    "error: priority '9' is not a whole number from 0 to 4",
  );
  fails(
    await sase(repo, 'bead-update', [a.id, '--priority', '']),
    129,
    "error: priority '' is not a whole number from 0 to 4",
  );
  fails(
    await sase(repo, 'bead-update', [a.id, '--status', 'closed']),
    129,
    "error: option '--status': 'closed' is not one of open, claimed, in_progress",
  );
  fails(
    await sase(repo, 'bead-update', [a.id, '--title', 'a\u001bb']),
    129,
    'error: title must be one line without control characters',
  );
  fails(await sase(repo, 'bead-update', [a.id, '--title', ' ']), 129, 'error: title must not be empty');
  fails(await sase(repo, 'bead-update', [a.id, '--tier', 'epic']), 129, 'error: only a plan has a tier');
  fails(await sase(repo, 'bead-update', [a.id, '--type', 'plan']), 129, 'error: a plan needs a tier');
  fails(await sase(repo, 'bead-update', ['--title', 'y']), 129, 'error: no bead ids given (as arguments or on stdin)');
  assert.is(stateTip(repo), tip);
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-update', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^usage: sase-bead-update \[--status <status>\] \[--title <title>\]/);
});

t.run();
