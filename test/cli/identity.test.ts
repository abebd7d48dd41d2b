// No git identity, no write: sase refuses as git does ("please tell me who you
// are", exit 128) rather than writing as a made-up 'sase@localhost', so the
// claims of two people without an identity never look like one person's.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { withoutIdentity } from '../helpers/gitdir.ts';
import { ok, sase, saseBin } from '../helpers/run.ts';
import { stateTip } from '../helpers/state.ts';

const t = suite('git identity');

const REFUSAL = [
  'fatal: author identity unknown: please tell me who you are',
  'hint: git config --global user.email "you@example.com"',
  'hint: git config --global user.name "Your Name"',
  '',
].join('\n');

t('without an identity a write is refused (128), the state unchanged; reads still work', async () => {
  const repo = await initedRepo();
  const bead = await createBead(repo, ['--title', 'before']);
  const nobody = withoutIdentity(repo);
  const tip = stateTip(repo);
  for (const [cmd, args] of [
    ['bead-create', ['--title', 'x']],
    ['bead-claim', [bead.id]],
    ['bead-close', [bead.id]],
  ] as const) {
    const r = await sase(nobody, cmd, [...args]);
    assert.is(r.code, 128, `${cmd}: ${r.stderr}`);
    assert.is(r.stdout, '');
    assert.is(r.stderr, REFUSAL, cmd);
  }
  assert.is(stateTip(repo), tip);
  // through the real executable too
  const bin = saseBin(nobody, 'bead-claim', [bead.id]);
  assert.is(bin.code, 128);
  assert.is(bin.stderr, REFUSAL);
  assert.is(stateTip(repo), tip);
  // reading needs no identity
  assert.equal(
    (await ok(nobody, 'bead-ready')).map((b) => b.id),
    [bead.id],
  );
  assert.is((await ok(nobody, 'bead-show', [bead.id]))[0]!.title, 'before');
});

t("an identity from git's configuration (not the environment) is the one that writes", async () => {
  const repo = await initedRepo();
  const me = withoutIdentity(repo);
  me.git('config', 'user.name', 'Con Figured');
  me.git('config', 'user.email', 'configured@example.com');
  const b = (await ok(me, 'bead-create', ['--title', 'mine']))[0]!;
  const claimed = (await ok(me, 'bead-claim', [b.id]))[0]!;
  assert.is(claimed.assignee, 'configured@example.com');
  assert.is(
    repo.git('log', '-1', '--format=%an <%ae>', 'refs/sase/state').trim(),
    'Con Figured <configured@example.com>',
  );
});

t.run();
