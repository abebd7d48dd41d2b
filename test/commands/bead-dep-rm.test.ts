import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { assertFsckOk, commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-dep-rm');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const ME = 'author@example.com';

const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const B = await create('--title', 'B');
const C = await create('--title', 'C');
const A = await create('--title', 'A', '--deps', `${B.id},${C.id}`);

t('removes one dependency in one commit; the bead is ready once none is left', async () => {
  const before = commitCount(repo);
  // through the real executable
  const [r, ...rest] = okBin(repo, 'bead-dep-rm', [A.short_id, B.short_id], { env: { SASE_NOW: T1 } });
  assert.is(rest.length, 0);
  assert.equal(r, {
    ...A,
    dependencies: [{ depends_on_id: C.id, created_at: T0, created_by: ME }],
    updated_at: T1,
    blocked: true,
  });
  assert.is(commitCount(repo), before + 1);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: dep rm ${A.id} -> ${B.id}`);
  const [r2] = await ok(repo, 'bead-dep-rm', [A.id, C.id], { env: { SASE_NOW: T1 } });
  assert.equal(r2!.dependencies, []);
  assert.is(r2!.blocked, false);
  assert.ok((await ok(repo, 'bead-ready')).some((x) => x.id === A.id));
});

t('--format id and --format text', async () => {
  await ok(repo, 'bead-dep-add', [A.id, B.id]);
  await ok(repo, 'bead-dep-add', [A.id, C.id]);
  const r = await sase(repo, 'bead-dep-rm', [A.id, B.id, '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${A.id}\n`);
  const text = await sase(repo, 'bead-dep-rm', [A.id, C.id, '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(text.stdout, `updated ${A.short_id}: A\n`);
});

t('exit 4: either id does not exist, or <id> does not depend on <blocker>', async () => {
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-dep-rm', [A.id, B.id]), 4, `error: '${A.id}' does not depend on '${B.id}'`);
  fails(await sase(repo, 'bead-dep-rm', ['ts-zzzzzzzz', B.id]), 4, "error: no bead 'ts-zzzzzzzz'");
  fails(await sase(repo, 'bead-dep-rm', [A.id, 'ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
});

t('a blocker that is no bead here is named in full; its missing and satisfied marks go with it', async () => {
  const r2 = await initedRepo();
  const blocks = (target: string) => ({ depends_on_id: target, type: 'blocks', created_at: T0 });
  const input = JSON.stringify({
    id: 'bd-r1',
    title: 'r',
    created_at: T0,
    dependencies: [blocks('external:gastown:gt-1'), blocks('bd-wisp-1')],
  });
  assert.is((await sase(r2, 'bead-import', [], { input })).code, 0);
  await ok(r2, 'bead-dep-satisfy', ['bd-r1', 'bd-wisp-1']);
  const [a] = await ok(r2, 'bead-dep-rm', ['bd-r1', 'bd-wisp-1']);
  assert.equal(
    [a!.dependencies.map((d: any) => d.depends_on_id), a!.missing, a!.satisfied],
    [['external:gastown:gt-1'], [], []],
  );
  const [b] = await ok(r2, 'bead-dep-rm', ['bd-r1', 'external:gastown:gt-1']);
  assert.equal([b!.dependencies, b!.blocked], [[], false]);
  await assertFsckOk(r2); // the log replays: its operations name references that are no beads here
  fails(await sase(r2, 'bead-dep-rm', ['bd-r1', 'bd-wisp-1']), 4, "error: no bead 'bd-wisp-1'");
});

t('exit 129: a missing argument', async () => {
  fails(await sase(repo, 'bead-dep-rm', [A.id]), 129, 'error: missing <blocker>');
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-dep-rm', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-bead-dep-rm [--format <format>] [--json] <id> <blocker>\n'), r.stdout);
});

t.run();
