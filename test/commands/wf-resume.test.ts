import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, sase, saseBin } from '../helpers/run.ts';
import { PIPELINE, readRepoFile, step, theRun, waitForWf, wfRepo, wfStatus, writeSpec } from '../helpers/workflows.ts';

const t = suite('wf-resume');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The record of each step, without what a later attempt may add. */
function snapshot(run: Record<string, any>, id: string): Record<string, any> {
  const s = step(run, id);
  return {
    state: s.state,
    attempts: s.attempts,
    started_at: s.started_at,
    ended_at: s.ended_at,
    agent_runs: s.agent_runs,
    outputs: s.outputs,
  };
}

t(
  'made to fail at step 3, it resumes at step 3; failed at step 4, at step 4; finished steps never run again',
  async () => {
    const repo = await wfRepo();
    writeSpec(repo, 'pipeline', PIPELINE);
    const first = theRun(await sase(repo, 'wf-run', ['pipeline', '--input', 'topic=dogs']));
    const id = first.id;
    const prep = snapshot(first, 'prep');
    const think = snapshot(first, 'think');
    // step 3, the approval, refused: the run fails there
    const rejected = theRun(await sase(repo, 'wf-approve', [id, 'ship', '--reject', '--note', 'too soon']));
    assert.is(rejected.status, 'failed');
    // resumed, it is at step 3 again; steps 1 and 2 are as they were
    // through the real executable
    const r1 = saseBin(repo, 'wf-resume', [id]);
    assert.is(r1.code, 0, r1.stderr);
    const again = theRun(r1);
    assert.is(again.status, 'waiting_approval');
    assert.is(again.waiting_on, 'ship');
    assert.equal(snapshot(again, 'prep'), prep);
    assert.equal(snapshot(again, 'think'), think);
    // approved, step 4 fails: lint (no lint-ok yet); py is done
    const r2 = await sase(repo, 'wf-approve', [id, 'ship', '--resume']);
    assert.is(r2.code, 1, r2.stderr);
    const failed = theRun(r2);
    assert.is(failed.status, 'failed');
    assert.is(failed.error, "step 'checks' failed: sub-step 'lint' (exit code 3: lint: not yet) failed");
    assert.is(step(failed, 'lint').state, 'failed');
    assert.is(step(failed, 'py').state, 'done');
    const py = snapshot(failed, 'py');
    // fixed, resumed: lint runs again (its second attempt), nothing else does
    repo.write('lint-ok', '');
    const r3 = await sase(repo, 'wf-resume', [id]);
    assert.is(r3.code, 0, r3.stderr);
    const done = theRun(r3);
    assert.is(done.status, 'done');
    assert.is(done.resumes, 3);
    assert.equal(snapshot(done, 'prep'), prep);
    assert.equal(snapshot(done, 'think'), think);
    assert.equal(snapshot(done, 'py'), py);
    assert.equal(
      step(done, 'lint').attempts.map((a: any) => a.state),
      ['failed', 'done'],
    );
    assert.is(prep.attempts.length, 1);
    assert.is(think.agent_runs.length, 1);
    assert.is(readRepoFile(repo, 'side-effect.txt'), 'prep ran\n');
  },
);

t('--reload: a script fixed after it failed is followed; a spec with other steps is refused', async () => {
  const repo = await wfRepo();
  const spec = (check: string, extra = '') =>
    `[[steps]]\nid = "first"\nkind = "bash"\nrun = "echo once >> first.txt"\n[[steps]]\nid = "check"\nkind = "bash"\nneeds = "first"\nrun = "${check}"\n${extra}`;
  writeSpec(repo, 'fixme', spec('exit 1'));
  const failed = theRun(await sase(repo, 'wf-run', ['fixme']));
  assert.is(failed.status, 'failed');
  writeSpec(repo, 'fixme', spec('echo fixed=yes'));
  // without --reload the run follows the spec it started with
  assert.is((await sase(repo, 'wf-resume', [failed.id])).code, 1);
  // a spec whose steps differ cannot be followed
  writeSpec(repo, 'fixme', spec('echo fixed=yes', '[[steps]]\nid = "more"\nkind = "bash"\nrun = "true"\n'));
  fails(
    await sase(repo, 'wf-resume', [failed.id, '--reload']),
    1,
    "error: .sase/workflows/fixme.toml: its steps are not the run's (first:bash check:bash), so the run cannot follow it",
  );
  writeSpec(repo, 'fixme', spec('echo fixed=yes'));
  const r = await sase(repo, 'wf-resume', [failed.id, '--reload']);
  assert.is(r.code, 0, r.stderr);
  const done = theRun(r);
  assert.is(done.status, 'done');
  assert.equal(step(done, 'check').outputs, { fixed: 'yes' });
  assert.equal(
    step(done, 'check').attempts.map((a: any) => a.state),
    ['failed', 'failed', 'done'],
  );
  assert.is(readRepoFile(repo, 'first.txt'), 'once\n');
});

t('refused: a run that is done, one waiting for an approval, one that does not exist', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'one', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "true"\n');
  writeSpec(repo, 'gate', '[[steps]]\nid = "ok"\nkind = "approval"\n');
  const done = theRun(await sase(repo, 'wf-run', ['one']));
  fails(
    await sase(repo, 'wf-resume', [done.id]),
    1,
    `error: workflow run '${done.id}' is done; there is nothing to resume`,
  );
  const gate = theRun(await sase(repo, 'wf-run', ['gate']));
  fails(
    await sase(repo, 'wf-resume', ['gate']),
    1,
    `error: workflow run '${gate.id}' waits for the approval of step 'ok'`,
  );
  fails(await sase(repo, 'wf-resume', ['w-zzzz']), 4, `error: no workflow run 'w-zzzz'`);
});

/** Polls a run until `pred` holds of it. */
async function until(
  repo: TestRepo,
  id: string,
  pred: (r: Record<string, any>) => boolean,
): Promise<Record<string, any>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await wfStatus(repo, id);
    if (pred(r)) return r;
    if (Date.now() > deadline) throw new Error(`run ${id}: condition not met: ${JSON.stringify(r)}`);
    await sleep(100);
  }
}

t('a run whose process died is shown dead and resumed: the step it left running starts again', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'wait',
    '[[steps]]\nid = "first"\nkind = "bash"\nrun = "echo once >> first.txt"\n[[steps]]\nid = "loop"\nkind = "bash"\nneeds = "first"\nrun = "while [ ! -f go ]; do sleep 0.1; done; echo waited=yes"\n',
  );
  const started = theRun(await sase(repo, 'wf-run', ['wait', '--detach']));
  const running = await until(repo, started.id, (r) => step(r, 'loop').state === 'running' && r.pid !== null);
  process.kill(running.pid, 'SIGKILL');
  repo.write('go', '');
  const dead = await until(repo, started.id, (r) => r.dead);
  assert.is(dead.status, 'failed');
  assert.is(dead.recorded_status, 'running');
  assert.is(dead.next, `sase wf resume ${started.id}`);
  const r = await sase(repo, 'wf-resume', [started.id]);
  assert.is(r.code, 0, r.stderr);
  const done = theRun(r);
  assert.is(done.status, 'done');
  assert.equal(
    step(done, 'loop').attempts.map((a: any) => [a.state, a.error]),
    [
      ['failed', 'interrupted'],
      ['done', null],
    ],
  );
  assert.equal(step(done, 'loop').outputs, { waited: 'yes' });
  assert.is(readRepoFile(repo, 'first.txt'), 'once\n');
});

t('an agent step whose run went on while nothing carried the workflow on is taken up, not started again', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'slowagent',
    '[[steps]]\nid = "think"\nkind = "agent"\nprompt = \'\'\'\nsleep 3\nsay: {"ok": true}\n\'\'\'\n',
  );
  const started = theRun(await sase(repo, 'wf-run', ['slowagent', '--detach']));
  const running = await until(repo, started.id, (r) => step(r, 'think').agent_runs.length === 1 && r.pid !== null);
  process.kill(running.pid, 'SIGKILL');
  // the workflow's process is gone mid-step; the agent's supervisor is not
  const dead = await until(repo, started.id, (r) => r.dead);
  assert.is(step(dead, 'think').state, 'running');
  const r = await sase(repo, 'wf-resume', [started.id, '--detach']);
  assert.is(r.code, 0, r.stderr);
  const done = await waitForWf(repo, started.id);
  assert.is(done.status, 'done');
  assert.equal(step(done, 'think').outputs, { ok: true });
  assert.is(step(done, 'think').agent_runs.length, 1);
  assert.is(step(done, 'think').attempts.length, 1);
  assert.is(step(done, 'think').attempts[0].state, 'done');
});

t.run();
