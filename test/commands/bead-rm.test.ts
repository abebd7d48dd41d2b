import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { commitCount, statePaths, stateTip } from '../helpers/state.ts';

const t = suite('bead-rm');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const rm = (args: string[], input?: string) => ok(repo, 'bead-rm', args, { env: { SASE_NOW: T1 }, input });
const exists = async (id: string) => (await sase(repo, 'bead-show', [id])).code === 0;

t('removes a bead in one commit and prints a removed record', async () => {
  const a = await create('--title', 'mistake');
  const before = commitCount(repo);
  // through the real executable
  assert.equal(okBin(repo, 'bead-rm', [a.short_id], { env: { SASE_NOW: T1 } }), [{ v: 1, kind: 'removed', id: a.id }]);
  assert.is(commitCount(repo), before + 1);
  assert.not.ok(await exists(a.id));
  assert.not.ok(statePaths(repo).some((p) => p.includes(a.id)));
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: rm ${a.id}`);
  // it stays in the log
  assert.equal(
    (await ok(repo, 'log', ['--id', a.id])).map((x) => x.op),
    ['bead.rm', 'bead.create'],
  );
});

t('exit 1: a bead with children is refused naming them; --force removes the descendants', async () => {
  const epic = await create('--title', 'Epic', '--tier', 'epic');
  const p1 = await create('--title', 'One', '--type', 'phase', '--parent', epic.id);
  const p2 = await create('--title', 'Two', '--type', 'phase', '--parent', epic.id);
  const sub = await create('--title', 'Sub', '--parent', p1.id);
  const tip = stateTip(repo);
  const r = await sase(repo, 'bead-rm', [epic.id]);
  fails(r, 1, `error: bead '${epic.id}' has children: ${p1.id}, ${p2.id}`);
  assert.is(r.stderr.split('\n')[1], 'hint: remove them too, or use --force');
  assert.is(stateTip(repo), tip);
  assert.ok(await exists(epic.id));
  const out = await rm([epic.id, '--force']);
  assert.equal(
    out.map((x) => x.kind),
    ['removed', 'removed', 'removed', 'removed'],
  );
  assert.equal(out.map((x) => x.id).sort(), [epic.id, p1.id, p2.id, sub.id].sort());
  for (const id of [epic.id, p1.id, p2.id, sub.id]) assert.not.ok(await exists(id), id);
  assert.is(commitCount(repo), Number(repo.git('rev-list', '--count', tip!).trim()) + 1);
});

t(
  'exit 1: a bead others depend on is refused; --force drops the edges and prints the changed beads first',
  async () => {
    const blocker = await create('--title', 'blocker');
    const w1 = await create('--title', 'w1', '--deps', blocker.id);
    const tip = stateTip(repo);
    const r = await sase(repo, 'bead-rm', [blocker.id]);
    fails(r, 1, `error: bead '${blocker.id}' blocks '${w1.id}'`);
    assert.is(r.stderr.split('\n')[1], 'hint: remove the dependency first, or use --force to drop it');
    assert.is(stateTip(repo), tip);
    const out = await rm([blocker.id, '--force']);
    const { blocked: _b1, ...changed } = out[0]!;
    const { blocked: _b2, ...before } = w1;
    assert.equal(changed, { ...before, dependencies: [], updated_at: T1 });
    assert.equal(out.slice(1), [{ v: 1, kind: 'removed', id: blocker.id }]);
    assert.equal((await ok(repo, 'bead-show', [w1.id]))[0]!.dependencies, []);
    // both named: no force needed
    const b2 = await create('--title', 'b2');
    const w2 = await create('--title', 'w2', '--deps', b2.id);
    assert.equal(
      (await rm([b2.id, w2.id])).map((x) => x.id),
      [b2.id, w2.id],
    );
  },
);

t('ids from --stdin and piped records', async () => {
  const a = await create('--title', 'a');
  const b = await create('--title', 'b');
  assert.equal(
    (await rm(['--stdin'], `${a.id}\n`)).map((x) => x.id),
    [a.id],
  );
  assert.equal(
    (await rm([], JSON.stringify(b) + '\n')).map((x) => x.id),
    [b.id],
  );
});

t('--format id and --format text', async () => {
  const a = await create('--title', 'a');
  const r = await sase(repo, 'bead-rm', [a.id, '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${a.id}\n`);
  const b = await create('--title', 'b');
  const text = await sase(repo, 'bead-rm', [b.id, '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.is(text.stdout, `removed ${b.id}\n`);
});

t('exit 4: no bead matches an id; nothing is removed', async () => {
  const a = await create('--title', 'kept');
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-rm', [a.id, 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
  assert.ok(await exists(a.id));
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-rm', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-bead-rm [--force] [--yes]'), r.stdout);
});

t('on a terminal it asks first: y removes, anything else removes nothing (exit 1); --yes does not ask', async () => {
  const tty = { stdin: true, stderr: true };
  const a = await create('--title', 'asked about');
  // before: a typo'd id on a terminal removed the bead at once
  const no = await sase(repo, 'bead-rm', [a.short_id], { tty, input: 'n\n' });
  assert.is(no.code, 1);
  assert.is(no.stderr, `remove ${a.id} (asked about)? [y/N] nothing removed\n`);
  assert.is((await ok(repo, 'bead-show', [a.id]))[0]!.id, a.id);
  const eof = await sase(repo, 'bead-rm', [a.id], { tty });
  assert.is(eof.code, 1);
  const yes = await sase(repo, 'bead-rm', [a.id], { tty, input: 'yes\n' });
  assert.is(yes.code, 0, yes.stderr);
  assert.equal(yes.records, [{ v: 1, kind: 'removed', id: a.id }]);
  const b = await create('--title', 'not asked');
  const quiet = await sase(repo, 'bead-rm', [b.id, '--yes'], { tty });
  assert.is(quiet.code, 0);
  assert.is(quiet.stderr, '');
});

t('ids on a pipe while a person is at the terminal: refused without --yes (129); scripts are not asked', async () => {
  const a = await create('--title', 'piped');
  const r = await sase(repo, 'bead-rm', [], { tty: { stderr: true }, input: `${a.id}\n` });
  fails(r, 129, `error: not removing '${a.id}' without asking, and stdin is not a terminal to ask on (give --yes)`);
  assert.is((await ok(repo, 'bead-show', [a.id]))[0]!.id, a.id);
  assert.equal(await ok(repo, 'bead-rm', ['--yes'], { input: `${a.id}\n` }), [{ v: 1, kind: 'removed', id: a.id }]);
});

t.run();
