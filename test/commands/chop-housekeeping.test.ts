import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { detached, waitForRun } from '../helpers/agents.ts';
import { axeRepo } from '../helpers/axe.ts';
import { ok, saseBin } from '../helpers/run.ts';

const t = suite('chop-housekeeping');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t(
  'cleans finished workspaces past keep_workspaces (never one with unique commits), writes one error digest; the real launcher',
  async () => {
    const repo = await axeRepo('[axe]\nkeep_workspaces = "1s"\n');
    const quiet = await detached(repo, 'say: nothing to commit\n');
    const busy = await detached(repo, 'create x.txt: x\ncommit: work\n');
    const bad = await detached(repo, 'fail: broken\n');
    for (const r of [quiet, busy, bad]) await waitForRun(repo, r.id);
    await sleep(2100);
    const out = saseBin(repo, 'chop-housekeeping');
    assert.is(out.code, 0, out.stderr);
    assert.match(out.stderr, 'kept: 1 commit on no other branch', 'what it keeps, and why, is in its log');
    const r = out.records[0];
    assert.is(r!.status, 'ok', JSON.stringify(r));
    assert.ok(r!.counters.workspaces_cleaned >= 1, JSON.stringify(r));
    const ws = await ok(repo, 'ws-list');
    const busyRun = (await ok(repo, 'agent-show', [busy.id]))[0]!;
    assert.ok(
      ws.some((w) => w.path === busyRun.workspace.path),
      'a workspace with commits on no other branch is kept',
    );
    const quietRun = (await ok(repo, 'agent-show', [quiet.id]))[0]!;
    assert.not.ok(
      ws.some((w) => w.path === quietRun.workspace.path),
      'a finished one with nothing of its own is cleaned',
    );
    const digests = (await ok(repo, 'notify-list')).filter((n) => n.type === 'axe.digest');
    assert.is(digests.length, 1);
    assert.match(digests[0]!.title, '1 run');
    assert.match(digests[0]!.body, bad.id);
    // the next pass reports only what failed since: nothing
    const again = saseBin(repo, 'chop-housekeeping').records[0];
    assert.is(again!.status, 'no_op', JSON.stringify(again));
    assert.is((await ok(repo, 'notify-list')).filter((n) => n.type === 'axe.digest').length, 1);
  },
);

t.run();
