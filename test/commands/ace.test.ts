import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { addNotifications } from '../helpers/notifications.ts';
import { fails, ok, okBin, sase, saseBin } from '../helpers/run.ts';
import { draftEpic } from '../helpers/sdd-plans.ts';

const t = suite('ace');

const create = async (repo: TestRepo, args: string[]) => (await ok(repo, 'bead-create', args))[0]!;
const ids = (recs: Record<string, any>[]) => recs.map((r) => r.id);

async function beadsRepo() {
  const repo = await initedRepo();
  const cache = await create(repo, ['--title', 'Cache keyed by tip', '--priority', '1', '--label', 'perf']);
  const ready = await create(repo, ['--title', 'ready reads the cache', '--parent', cache.id]);
  const docs = await create(repo, ['--title', 'Document the queue', '--priority', '3']);
  const done = await create(repo, ['--title', 'Old cache experiment']);
  await ok(repo, 'bead-close', [done.id]);
  const cjk = await create(repo, ['--title', '缓存 キャッシュ 캐시 wide title']);
  const long = await create(repo, ['--title', `${'very long title '.repeat(30)}needle`]);
  await ok(repo, 'bead-claim', [docs.id]);
  return { repo, cache, ready, docs, done, cjk, long };
}

t(
  '--filter: fzf extended search over beads, best match first; no match is exit 1 with nothing printed; the real launcher',
  async () => {
    const { repo, cache, ready, docs, done, cjk, long } = await beadsRepo();
    // fuzzy: the two beads that say cache come first (a looser match of the letters may follow); closed ones are left out
    const fuzzy = ids(okBin(repo, 'ace', ['--filter', 'cache']));
    assert.equal(fuzzy.slice(0, 2).sort(), [cache.id, ready.id].sort());
    assert.not.ok(fuzzy.includes(done.id));
    assert.ok(
      ids(await ok(repo, 'ace', ['--filter', 'kydtp'])).includes(cache.id),
      'fuzzy: letters in order, gaps allowed',
    );
    assert.equal(ids(await ok(repo, 'ace', ['--filter', "'reads"])), [ready.id], "'exact");
    assert.equal(ids(await ok(repo, 'ace', ['--filter', 'tip$'])), [cache.id], 'suffix$');
    assert.equal(ids(await ok(repo, 'ace', ['--filter', `^${docs.id}`])), [docs.id], '^prefix');
    assert.equal(ids(await ok(repo, 'ace', ['--filter', "'cache !tip"])), [ready.id], '!not');
    assert.equal(ids(await ok(repo, 'ace', ['--filter', "'queue | 'tip"])).sort(), [cache.id, docs.id].sort(), 'a | b');
    assert.equal(ids(await ok(repo, 'ace', ['--filter', '缓存'])), [cjk.id], 'wide characters');
    assert.equal(ids(await ok(repo, 'ace', ['--filter', 'needle'])), [long.id], 'a very long title');
    // closed beads only when asked
    assert.is((await sase(repo, 'ace', ['--filter', "'experiment"])).code, 1, 'nothing open says experiment');
    assert.equal(ids(await ok(repo, 'ace', ['--filter', 'status:closed'])), [done.id]);
    assert.equal(ids(await ok(repo, 'ace', ['--filter', 'status:* experiment'])), [done.id]);
    const none = await sase(repo, 'ace', ['--filter', 'zzzqqq']);
    assert.equal([none.code, none.stdout, none.stderr], [1, '', '']);
    // records as sase bead list prints them
    const listed = (await ok(repo, 'bead-list', ['--json'])).find((b) => b.id === cache.id);
    assert.equal((await ok(repo, 'ace', ['--filter', `^${cache.id} `]))[0], listed);
  },
);

t('the rows of a state seen before come from their own cache file; a stale or broken one is not used', async () => {
  const { repo, cache } = await beadsRepo();
  const rows = join(repo.dir, '.git', 'sase', 'cache', 'ace-beads.json');
  await ok(repo, 'ace', ['--filter', 'cache']);
  const tip = repo.git('rev-parse', 'refs/sase/state').trim();
  assert.equal(JSON.parse(readFileSync(rows, 'utf8').split('\n')[0]!), { format: 1, tip });
  // the file is what a second search reads: a row changed in it shows
  const text = readFileSync(rows, 'utf8').replace('Cache keyed by tip', 'Cache keyed by tap');
  writeFileSync(rows, text);
  assert.equal(ids(await ok(repo, 'ace', ['--filter', "'tap"])), [cache.id]);
  // a new tip: rows made again from the state
  const added = await create(repo, ['--title', 'a fresh bead']);
  assert.equal(ids(await ok(repo, 'ace', ['--filter', "'fresh"])), [added.id]);
  assert.is((await sase(repo, 'ace', ['--filter', "'tap"])).code, 1, 'the edited row is gone with its tip');
  // a broken file is made again
  writeFileSync(rows, 'not json');
  assert.equal(ids(await ok(repo, 'ace', ['--filter', "'fresh"])), [added.id]);
  assert.match(readFileSync(rows, 'utf8'), 'a fresh bead');
});

t(
  '[ace.keys]: a key that is not Alt or Ctrl and a letter, an unknown action, two actions on one key are config errors',
  async () => {
    const repo = await initedRepo();
    await create(repo, ['--title', 'x']);
    for (const [config, says] of [
      ['[ace.keys]\nclaim = "x"', /'ace.keys.claim' must be a key such as "alt-x"/],
      ['[ace.keys]\nclaim = "ctrl-c"', /ctrl-c.* are the screen's own/],
      ['[ace.keys]\nfly = "alt-y"', /unknown action 'ace.keys.fly'/],
      ['[ace.keys.plans]\nclaim = "alt-y"', /unknown action 'ace.keys.plans.claim' \(the actions of plans: approve/],
      ['[ace.keys]\nclaim = "alt-u"', /gives alt-u to both 'claim' and 'release' on beads/],
      ['[ace]\ncolors = 1', /unknown key 'ace.colors'/],
    ] as const) {
      repo.write('.sase/config.toml', `${config}\n`);
      const r = await sase(repo, 'ace', ['--filter', '']);
      assert.is(r.code, 128, `${config}: ${r.stderr}`);
      assert.match(r.stderr, says);
      assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  },
);

t('--filter: field filters beside the fuzzy text, negated and with alternatives', async () => {
  const { repo, cache, ready, docs, done, cjk, long } = await beadsRepo();
  assert.equal(ids(await ok(repo, 'ace', ['--filter', 'status:claimed'])), [docs.id]);
  assert.equal(ids(await ok(repo, 'ace', ['--filter', 'prio:1'])), [cache.id]);
  assert.equal(ids(await ok(repo, 'ace', ['--filter', `parent:${cache.id}`])), [ready.id]);
  assert.equal(ids(await ok(repo, 'ace', ['--filter', 'label:perf'])), [cache.id]);
  assert.equal(
    ids(await ok(repo, 'ace', ['--filter', 'assignee:'])).sort(),
    [cache.id, ready.id, cjk.id, long.id].sort(),
    'unassigned',
  );
  // a status filter replaces the default one: closed beads too
  assert.equal(ids(await ok(repo, 'ace', ['--filter', '!status:open'])).sort(), [docs.id, done.id].sort());
  assert.equal(ids(await ok(repo, 'ace', ['--filter', "status:claimed,closed 'doc"])), [docs.id]);
  // what --filter finds feeds other commands
  const piped = await sase(repo, 'bead-claim', [], { input: (await sase(repo, 'ace', ['--filter', 'prio:1'])).stdout });
  assert.is(piped.code, 0, piped.stderr);
  assert.is((await ok(repo, 'bead-show', [cache.id]))[0]!.status, 'claimed');
});

t('--filter over the other lists: plans, changes, agents, workflows, notifications (unread)', async () => {
  const repo = await initedRepo();
  const path = await draftEpic(repo, 'Ready cache', [{ id: 'a' }]);
  assert.equal(ids(await ok(repo, 'ace', ['--tab', 'plans', '--filter', 'ready cache'])), [path]);
  assert.equal(ids(await ok(repo, 'ace', ['--tab', 'plans', '--filter', 'status:draft tier:epic'])), [path]);
  await ok(repo, 'cs-new', ['cache_store', '--description', 'Store the cache']);
  assert.equal(
    (await ok(repo, 'ace', ['--tab', 'changes', '--filter', 'store'])).map((c) => c.name),
    ['cache_store'],
  );
  const [a, b] = await addNotifications(repo, [
    { type: 'run.failed', title: 'run a failed' },
    { type: 'axe.digest', title: 'digest of the night' },
  ]);
  await ok(repo, 'notify-read', [a!.id]);
  assert.equal(ids(await ok(repo, 'ace', ['--tab', 'notifications', '--filter', 'unread'])), [b!.id]);
  assert.equal(ids(await ok(repo, 'ace', ['--tab', 'notifications', '--filter', 'type:run.failed'])), [a!.id]);
  assert.is((await sase(repo, 'ace', ['--tab', 'agents', '--filter', ''])).code, 1, 'no runs: nothing matches');
  assert.is((await sase(repo, 'ace', ['--tab', 'workflows', '--filter', ''])).code, 1);
});

t('bad input: a tab, a query that is not one line, and no terminal for the screen', async () => {
  const repo = await initedRepo();
  const bad = saseBin(repo, 'ace', ['--tab', 'nope', '--filter', 'x']);
  assert.is(bad.code, 129);
  assert.match(bad.stderr, "'nope'");
  fails(await sase(repo, 'ace', ['--filter', 'a\nb']), 129, 'error: the query must be one line of text');
  fails(
    await sase(repo, 'ace', ['cache', '--tab', 'beads'], { env: { TERM: 'xterm' } }),
    129,
    'error: sase ace needs a terminal for its screen; for scripts: sase ace --filter "cache" --tab beads',
  );
});

t.run();
