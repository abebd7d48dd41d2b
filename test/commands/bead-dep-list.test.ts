import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { beadPathOf, beadRecord, canonical, writeStateCommit } from '../helpers/state.ts';

const t = suite('bead-dep-list');
const T0 = '2026-01-01T00:00:00Z';
const ME = 'author@example.com';

// C waits for B and A; B waits for A; D waits for B
const repo = await initedRepo();
const create = (...args: string[]) => createBead(repo, args, T0);
const A = await create('--title', 'A');
const B = await create('--title', 'B', '--deps', A.id);
const C = await create('--title', 'C', '--deps', `${B.id},${A.id}`);
const D = await create('--title', 'D', '--deps', B.id);
await ok(repo, 'bead-close', [A.id], { env: { SASE_NOW: T0 } });

t("lists a bead's direct blockers as bead records, in dependency order, with blocked", async () => {
  // through the real executable
  const recs = okBin(repo, 'bead-dep-list', [C.short_id]);
  assert.equal(
    recs.map((r) => [r.id, r.status, r.blocked]),
    [
      [B.id, 'open', false],
      [A.id, 'closed', false],
    ],
  );
  const { blocked: _b, ...b } = B;
  assert.equal(recs[0], { ...b, blocked: false });
  assert.equal(await ok(repo, 'bead-dep-list', [A.id]), []);
});

t('--reverse lists the beads that depend on it', async () => {
  assert.equal((await ok(repo, 'bead-dep-list', [B.id, '--reverse'])).map((r) => r.id).sort(), [C.id, D.id].sort());
  assert.equal((await ok(repo, 'bead-dep-list', [A.id, '--reverse'])).map((r) => r.id).sort(), [B.id, C.id].sort());
  assert.equal(await ok(repo, 'bead-dep-list', [D.id, '--reverse']), []);
});

t('--format id and --format text', async () => {
  const r = await sase(repo, 'bead-dep-list', [C.id, '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${B.id}\n${A.id}\n`);
  const text = await sase(repo, 'bead-dep-list', [C.id, '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  const lines = text.stdout.trimEnd().split('\n');
  assert.is(lines.length, 3);
  assert.match(lines[1]!, new RegExp(`^${B.short_id}\\s+P2\\s+open\\s+task\\s+B$`));
  assert.match(lines[2]!, new RegExp(`^${A.short_id}\\s+P2\\s+closed\\s+task\\s+A$`));
});

t('a dependency on a bead that does not exist is a warning on stderr', async () => {
  const r2 = await initedRepo();
  const [x] = await ok(r2, 'bead-create', ['--title', 'x']);
  const rec = beadRecord({
    id: 'ts-mm000000',
    dependencies: [
      { depends_on_id: 'ts-gone0000', created_at: T0, created_by: ME },
      { depends_on_id: x!.id, created_at: T0, created_by: ME },
    ],
  });
  writeStateCommit(r2, { [beadPathOf('ts-mm000000')]: canonical(rec) }, 'sase: hand-written\n');
  const r = await sase(r2, 'bead-dep-list', ['mm00']);
  assert.is(r.code, 0);
  assert.is(r.stderr, "warning: 'ts-mm000000' depends on 'ts-gone0000', which does not exist\n");
  assert.equal(
    r.records.map((b) => b.id),
    [x!.id],
  );
});

t('an external reference and a missing bead: the warning says whether each still blocks', async () => {
  const r2 = await initedRepo();
  const dep = (id: string) => ({ depends_on_id: id, created_at: T0, created_by: ME });
  const rec = beadRecord({
    id: 'ts-ee000000',
    dependencies: [dep('external:gastown:gt-1'), dep('ts-gone0000'), dep('ts-lost0000')],
    missing: ['ts-gone0000', 'ts-lost0000'],
    satisfied: [{ ref: 'ts-lost0000', satisfied_at: T0, satisfied_by: ME }],
  });
  writeStateCommit(r2, { [beadPathOf('ts-ee000000')]: canonical(rec) }, 'sase: hand-written\n');
  const r = await sase(r2, 'bead-dep-list', ['ee00']);
  assert.is(r.code, 0);
  assert.equal(r.records, []);
  assert.is(
    r.stderr,
    [
      "warning: 'ts-ee000000' depends on 'external:gastown:gt-1', an external reference (not satisfied: it blocks until 'sase bead dep satisfy ts-ee000000 external:gastown:gt-1')",
      "warning: 'ts-ee000000' depends on 'ts-gone0000', which does not exist (not satisfied: it blocks until 'sase bead dep satisfy ts-ee000000 ts-gone0000')",
      `warning: 'ts-ee000000' depends on 'ts-lost0000', which does not exist (satisfied at ${T0})`,
      '',
    ].join('\n'),
  );
});

t('exit 4: no bead matches the id', async () => {
  fails(await sase(repo, 'bead-dep-list', ['ts-zzzzzzzz']), 4, "error: no bead 'ts-zzzzzzzz'");
  fails(await sase(repo, 'bead-dep-list', []), 129, 'error: missing <id>');
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-dep-list', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith(
      'usage: sase-bead-dep-list [--reverse] [--limit <n>] [--sort <fields>] [--grep <text>] [--no-pager]',
    ),
    r.stdout,
  );
});

t.run();
