import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo } from '../helpers/axe.ts';
import { ok, okBin, sase, saseBin } from '../helpers/run.ts';
import { stateTip } from '../helpers/state.ts';
import { GATE, step, theRun, waitForWf, wfRepo, writeSpec } from '../helpers/workflows.ts';

const t = suite('chop-waits');

t(
  'by hand: starts a run whose bead wait is met, writes its result; --dry-run changes nothing; the real launcher',
  async () => {
    const repo = await axeRepo();
    const bead = (await ok(repo, 'bead-create', ['--title', 'gate']))[0]!.id;
    const run = (
      await ok(repo, 'agent-run', ['--provider', 'fixture', '--detach', '--wait', `bead:${bead}`, '-'], {
        input: 'say: hi\n',
      })
    )[0]!;
    const idle = okBin(repo, 'chop-waits');
    assert.equal([idle[0]!.kind, idle[0]!.chop, idle[0]!.status], ['chop_result', 'waits', 'no_op']);
    await ok(repo, 'bead-close', [bead]);
    const tip = stateTip(repo);
    const dry = okBin(repo, 'chop-waits', ['--dry-run']);
    assert.equal([dry[0]!.status, dry[0]!.counters.started], ['ok', 1]);
    assert.match(dry[0]!.summary, 'would start');
    assert.is(stateTip(repo), tip, 'a dry run writes nothing');
    const r = saseBin(repo, 'chop-waits', ['--format', 'text']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^waits: ok: started /);
    assert.not.equal((await ok(repo, 'agent-show', [run.id]))[0]!.status, 'waiting');
  },
);

t(
  'a workflow waiting at an approval is notified once; once approved (no --resume), the chop carries it on to its end',
  async () => {
    const repo = await wfRepo();
    writeSpec(repo, 'gate', GATE);
    const started = await sase(repo, 'wf-run', ['gate']);
    const id = theRun(started).id as string;
    await sase(repo, 'chop-waits');
    await sase(repo, 'chop-waits');
    const told = (await ok(repo, 'notify-list')).filter((n) => n.type === 'workflow.waiting');
    assert.is(told.length, 1, 'told once');
    assert.equal(told[0]!.action, { verb: 'approve', target: `${id}/ok` });
    assert.is((await sase(repo, 'wf-approve', [id, 'ok'])).code, 0);
    const r = await sase(repo, 'chop-waits');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.records[0]!.summary, 'carried on 1 approved workflow run');
    const done = await waitForWf(repo, id, ['done', 'failed']);
    assert.is(done.recorded_status, 'done');
    assert.is(step(done, 'release').state, 'done');
  },
);

t.run();
