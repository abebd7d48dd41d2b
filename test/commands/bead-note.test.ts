import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { commitCount, stateTip } from '../helpers/state.ts';

const t = suite('bead-note');
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-02T00:00:00Z';
const T2 = '2026-01-03T00:00:00Z';
const ME = 'author@example.com';

const repo = await initedRepo();
const [a] = await ok(repo, 'bead-create', ['--title', 'noted'], { env: { SASE_NOW: T0 } });
const A = a!.id as string;

t('appends "[time] author: text" to the notes, one commit each', async () => {
  const before = commitCount(repo);
  // through the real executable
  const [r, ...rest] = okBin(repo, 'bead-note', [a!.short_id, 'cache invalidation done; query side next'], {
    env: { SASE_NOW: T1 },
  });
  assert.is(rest.length, 0);
  assert.equal(r, { ...a, notes: `[${T1}] ${ME}: cache invalidation done; query side next`, updated_at: T1 });
  const [r2] = await ok(repo, 'bead-note', [A, 'second\nline'], { env: { SASE_NOW: T2 } });
  assert.is(r2!.notes, `[${T1}] ${ME}: cache invalidation done; query side next\n[${T2}] ${ME}: second\nline`);
  assert.is(commitCount(repo), before + 2);
  assert.is(repo.git('log', '-1', '--format=%s', 'refs/sase/state').trim(), `sase: note ${A}`);
  assert.is((await ok(repo, 'bead-show', [A]))[0]!.notes, r2!.notes);
  // numbers and empty-looking text stay as typed
  const [r3] = await ok(repo, 'bead-note', [A, '007'], { env: { SASE_NOW: T2 } });
  assert.ok(r3!.notes.endsWith(`[${T2}] ${ME}: 007`));
});

t('--format id and --format text; the card shows the notes', async () => {
  const r = await sase(repo, 'bead-note', [A, 'id please', '--format', 'id']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${A}\n`);
  const text = await sase(repo, 'bead-note', [A, 'text please', '--format', 'text']);
  assert.is(text.code, 0);
  assert.is(text.stderr, '');
  assert.not.match(text.stdout, /\x1b\[/);
  assert.is(text.stdout, `noted ${a!.short_id}: noted\n`);
  const card = await sase(repo, 'bead-show', [A, '--format', 'text']);
  assert.match(card.stdout, /\nNotes\n {2}\[[^\]]+\] author@example\.com: cache invalidation done; query side next\n/);
});

t('exit 4: no bead matches the id', async () => {
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-note', ['ts-zzzzzzzz', 'hello']), 4, "error: no bead 'ts-zzzzzzzz'");
  assert.is(stateTip(repo), tip);
});

t('exit 129: missing or empty text, control characters, extra arguments', async () => {
  const tip = stateTip(repo);
  fails(await sase(repo, 'bead-note', [A]), 129, 'error: missing <text>');
  fails(await sase(repo, 'bead-note', [A, '  ']), 129, 'error: missing <text>');
  fails(await sase(repo, 'bead-note', [A, 'bell\u0007']), 129, 'error: note must not contain control characters');
  fails(await sase(repo, 'bead-note', [A, 'one', 'two']), 129, "error: unexpected argument 'two'");
  assert.is(stateTip(repo), tip);
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-note', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(r.stdout.startsWith('usage: sase-bead-note [--format <format>] [--json] <id> <text>\n'), r.stdout);
});

t.run();
