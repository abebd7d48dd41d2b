import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { storedChange } from '../helpers/changes.ts';
import { lastOp, makeStack, stateTip } from '../helpers/cs-records.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('cs-set');
const at = { SASE_NOW: '2026-11-26T09:00:00Z' };
const events = (c: Record<string, any>) =>
  c.timestamps.filter((x: any) => x.at === at.SASE_NOW).map((x: any) => x.event);

t('each field, alone or together, stamped in TIMESTAMPS; op cs.set; the record printed', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  // through the real executable
  const [a] = okBin(repo, 'cs-set', ['base', '--status', 'Ready'], { env: at });
  assert.is(a!.status, 'Ready');
  assert.equal(events(a!), ['STATUS WIP -> Ready']);
  assert.equal(lastOp(repo), {
    ...lastOp(repo),
    op: 'cs.set',
    name: 'base',
    status: 'Ready',
    paths: ['changes/base.cs'],
  });
  const [b] = await ok(
    repo,
    'cs-set',
    [
      'base',
      '--description',
      'New first line  \n\nNew body\n',
      '--cl',
      'local:refs/sase/review/base',
      '--status',
      'Mailed',
    ],
    { env: at },
  );
  assert.is(b!.description, 'New first line\n\nNew body');
  assert.is(b!.cl, 'local:refs/sase/review/base');
  assert.equal(events(b!), [
    'STATUS WIP -> Ready',
    'STATUS Ready -> Mailed',
    'DESCRIPTION',
    'CL local:refs/sase/review/base',
  ]);
  assert.is(
    storedChange(repo, 'base'),
    `NAME: base
DESCRIPTION:
  New first line

  New body
CL: local:refs/sase/review/base
STATUS: Mailed
TIMESTAMPS:
  [2026-11-25T10:00:00Z] CREATE WIP from main at ${repo.git('rev-parse', 'main').trim().slice(0, 12)}
  [2026-11-26T09:00:00Z] STATUS WIP -> Ready
  [2026-11-26T09:00:00Z] STATUS Ready -> Mailed
  [2026-11-26T09:00:00Z] DESCRIPTION
  [2026-11-26T09:00:00Z] CL local:refs/sase/review/base
`,
  );
  const [c] = await ok(repo, 'cs-set', ['base', '--cl', 'none'], { env: at });
  assert.is(c!.cl, null);
  assert.is(events(c!).pop(), 'CL none');
  const [d] = await ok(repo, 'cs-set', ['top', '--parent', 'base'], { env: at });
  assert.is(d!.parent, 'base');
  assert.equal(events(d!), ['PARENT mid -> base']);
  const [e] = await ok(repo, 'cs-set', ['top', '--parent', 'none'], { env: at });
  assert.is(e!.parent, null);
  assert.is(events(e!).pop(), 'PARENT base -> none');
  assert.not.match(storedChange(repo, 'top')!, /PARENT:/);
  const [f] = await ok(repo, 'cs-set', ['top', '--parent', 'other'], { env: at });
  assert.is(events(f!).pop(), 'PARENT none -> other');
  await ok(repo, 'fsck');
});

t('values already stored change nothing and commit nothing', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const tip = stateTip(repo);
  const [r] = await ok(repo, 'cs-set', [
    'mid',
    '--status',
    'Draft',
    '--parent',
    'base',
    '--description',
    'Middle of the stack\n\nwith a body',
  ]);
  assert.is(r!.status, 'Draft');
  assert.is(stateTip(repo), tip);
});

t('transitions: a refused move exits 1 naming the allowed ones; nothing stored', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'cs-set', ['base', '--status', 'Submitted']),
    1,
    "error: change 'base' is WIP; it can move to Draft, Ready, Archived, not Submitted",
  );
  fails(
    await sase(repo, 'cs-set', ['mid', '--status', 'Mailed', '--cl', 'x:y']),
    1,
    "error: change 'mid' is Draft; it can move to Ready, Archived, not Mailed",
  );
  await ok(repo, 'cs-set', ['other', '--status', 'Archived']);
  const after = stateTip(repo);
  fails(
    await sase(repo, 'cs-set', ['other', '--status', 'WIP']),
    1,
    "error: change 'other' is Archived; it can move to nothing (it is final), not WIP",
  );
  assert.is(stateTip(repo), after);
  assert.is.not(after, tip);
});

t('parents: must exist, must not be itself or make a cycle (named)', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const tip = stateTip(repo);
  fails(await sase(repo, 'cs-set', ['base', '--parent', 'nope']), 4, "error: no change 'nope' (the parent)");
  fails(await sase(repo, 'cs-set', ['base', '--parent', 'base']), 1, "error: change 'base' cannot stack on itself");
  fails(
    await sase(repo, 'cs-set', ['base', '--parent', 'top']),
    1,
    "error: parent 'top' would make a cycle: base -> top -> mid -> base",
  );
  fails(
    await sase(repo, 'cs-set', ['mid', '--parent', 'top']),
    1,
    "error: parent 'top' would make a cycle: mid -> top -> mid",
  );
  fails(
    await sase(repo, 'cs-set', ['mid', '--parent', 'Bad/Name']),
    129,
    "error: change name 'Bad/Name' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  assert.is(stateTip(repo), tip);
});

t('usage: nothing to set, bad values, missing change', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  fails(
    await sase(repo, 'cs-set', ['base']),
    129,
    'error: nothing to set: give --status, --description, --parent or --cl',
  );
  fails(
    await sase(repo, 'cs-set', ['base', '--status', 'Done']),
    129,
    "error: option '--status': 'Done' is not one of WIP, Draft, Ready, Mailed, Submitted, Reverted, Archived",
  );
  fails(await sase(repo, 'cs-set', ['base', '--description', '  \n ']), 129, 'error: --description must not be empty');
  fails(
    await sase(repo, 'cs-set', ['base', '--description', 'a\u0007b']),
    129,
    'error: --description must not contain control characters',
  );
  fails(await sase(repo, 'cs-set', ['base', '--cl', 'a b']), 129, "error: --cl 'a b' must not contain spaces");
  fails(await sase(repo, 'cs-set', ['nope', '--status', 'Ready']), 4, "error: no change 'nope'");
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-set', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--parent <name>/);
});

t.run();
