// ACE's screen in a real terminal (tmux): start, filter, move, switch lists,
// mark, act on real records, resize, leave; the terminal given back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo } from '../helpers/agents.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { addNotifications } from '../helpers/notifications.ts';
import { ok, sase } from '../helpers/run.ts';
import { draftEpic } from '../helpers/sdd-plans.ts';
import { withScreen } from '../helpers/tmux.ts';

const t = suite('ace screen');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const status = async (repo: TestRepo, id: string) => (await ok(repo, 'bead-show', [id]))[0]!.status;

t('start, filter, move, mark, claim with a key, switch lists, resize, leave: the terminal is as it was', async () => {
  const repo = await initedRepo();
  const ids: string[] = [];
  for (const title of [
    'Cache keyed by tip',
    'ready reads the cache',
    'Document the queue',
    '缓存 キャッシュ wide title',
  ])
    ids.push((await ok(repo, 'bead-create', ['--title', title]))[0]!.id);
  await withScreen(repo, async (tm) => {
    tm.type('echo before-ace; sase ace --no-axe');
    tm.keys('Enter');
    let s = await tm.waitFor(' beads 4 ');
    assert.match(s, 'Document the queue');
    assert.match(s, '缓存 キャッシュ wide title', 'wide characters drawn');
    assert.match(s, 'alt-c claim', 'the footer names the keys of the list');
    // type to filter: the best match first
    tm.type("'cache");
    s = await tm.waitFor(' beads 2/4 ');
    assert.not.match(s, 'Document the queue');
    // mark both and claim them with one key
    tm.keys('C-Space');
    tm.keys('Down');
    tm.keys('C-Space');
    tm.keys('M-c');
    s = await tm.waitFor(/claim: .*ts-/);
    for (const id of ids.slice(0, 2)) assert.is(await status(repo, id), 'claimed');
    assert.is(await status(repo, ids[2]!), 'open');
    // the list follows the state: both show claimed
    await tm.waitFor(/claimed task P2 Cache keyed by tip/);
    // an action that fails shows its one line and the screen stays usable
    tm.keys('M-o');
    await tm.waitFor(/error|cannot|not/i);
    tm.keys('C-u');
    await tm.waitFor(' beads 4 ');
    // the other lists; an empty one says so
    tm.keys('Tab');
    await tm.waitFor('no plans here yet');
    tm.keys('BTab');
    await tm.waitFor('Document the queue');
    // narrower: the list alone, redrawn
    tm.resize(60, 20);
    await sleep(500);
    assert.not.match(tm.screen(), '│');
    // ? shows every key
    tm.type('?');
    await tm.waitFor('ctrl-y');
    tm.keys('Escape');
    await tm.waitFor('Enter card');
    tm.keys('Escape');
    s = await tm.waitFor('before-ace\n');
    assert.not.match(s, ' beads ');
  });
});

t('actions on every list: approve a plan, kill a run, act on a notification; Enter opens the card', async () => {
  const repo = await agentRepo();
  const plan = await draftEpic(repo, 'Ready cache', [{ id: 'a' }]);
  const run = (await ok(repo, 'agent-run', ['--provider', 'fixture', '--detach', '-'], { input: 'sleep 30\n' }))[0]!;
  const [note] = await addNotifications(repo, [{ type: 'axe.digest', title: 'digest of the night' }]);
  await withScreen(repo, async (tm) => {
    tm.type('sase ace --no-axe --tab plans');
    tm.keys('Enter');
    await tm.waitFor('Ready cache');
    tm.keys('M-a');
    await tm.waitFor(/approve: /);
    assert.is((await ok(repo, 'sdd-show', [plan]))[0]!.status, 'approved');
    tm.keys('Enter');
    await tm.waitFor('Esc, q or Enter: back');
    tm.keys('q');
    tm.keys('Tab', 'Tab');
    await tm.waitFor(run.id);
    tm.keys('M-k');
    await tm.waitFor('? [y/N]');
    tm.type('y');
    await tm.waitFor(/kill: /);
    for (let i = 0; i < 50 && (await ok(repo, 'agent-show', [run.id]))[0]!.status !== 'killed'; i++) await sleep(100);
    assert.is((await ok(repo, 'agent-show', [run.id]))[0]!.status, 'killed');
    tm.keys('Tab', 'Tab');
    await tm.waitFor('digest of the night');
    tm.keys('M-r');
    const after = await tm.waitFor(/mark read: /);
    assert.is((await ok(repo, 'notify-show', [note!.id]))[0]!.state, 'read', after);
    tm.keys('Escape');
    await tm.waitFor('$');
  });
});

t('--pick: the screen on the terminal, the chosen records as NDJSON on stdout', async () => {
  const repo = await initedRepo();
  const a = (await ok(repo, 'bead-create', ['--title', 'pick me']))[0]!;
  await ok(repo, 'bead-create', ['--title', 'not this one']);
  await withScreen(repo, async (tm) => {
    tm.type('sase ace --pick --no-axe > picked.json; echo exit=$?');
    tm.keys('Enter');
    await tm.waitFor(' beads 2 ');
    tm.type("'pick");
    await tm.waitFor(' beads 1/2 ');
    tm.keys('Enter');
    await tm.waitFor('exit=0');
  });
  const picked = readFileSync(join(repo.dir, 'picked.json'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(
    picked.map((r) => [r.kind, r.id]),
    [['bead', a.id]],
  );
  // and it feeds a pipeline: the record is what bead claim reads
  const r = await sase(repo, 'bead-claim', [], { input: readFileSync(join(repo.dir, 'picked.json'), 'utf8') });
  assert.is(r.code, 0, r.stderr);
});

t('SIGTERM while the screen is up gives the terminal back', async () => {
  const repo = await initedRepo();
  await ok(repo, 'bead-create', ['--title', 'something']);
  await withScreen(repo, async (tm) => {
    tm.type('echo before-ace; sase ace --no-axe; echo after=$?');
    tm.keys('Enter');
    await tm.waitFor(' beads 1 ');
    const { execFileSync } = await import('node:child_process');
    // this pane's screen only: other tests' screens run beside it
    execFileSync('pkill', ['-TERM', '-P', String(tm.panePid()), '-f', 'ace --no-axe']);
    const s = await tm.waitFor('after=');
    assert.match(s, 'before-ace');
    assert.not.match(s, ' beads 1 ');
  });
});

t.run();
