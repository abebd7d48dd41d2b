import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fails, sase } from '../helpers/run.ts';
import { step, theRun, wfRepo, wfStatus, writeSpec } from '../helpers/workflows.ts';

const t = suite('wf-exec');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t('refused: a run that is not running; not a run id; no such run', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'one', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "true"\n');
  const done = theRun(await sase(repo, 'wf-run', ['one']));
  fails(await sase(repo, 'wf-exec', [done.id]), 1, `error: workflow run '${done.id}' is done, not running`);
  fails(await sase(repo, 'wf-exec', ['one']), 129, "error: 'one' is not a workflow run id");
  fails(await sase(repo, 'wf-exec', ['w-zzzzzzzz']), 4, "error: no workflow run 'w-zzzzzzzz'");
});

t('a detached run is carried on by sase-wf-exec; SIGTERM stops it as interrupted, to be resumed', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'wait',
    '[[steps]]\nid = "loop"\nkind = "bash"\nrun = "while [ ! -f go ]; do sleep 0.1; done; echo ok=1"\n',
  );
  // the run is carried on by the real executable: wf-run --detach starts bin/sase-wf-exec, detached
  const started = theRun(await sase(repo, 'wf-run', ['wait', '--detach']));
  let rec = await wfStatus(repo, started.id);
  const deadline = Date.now() + 30_000;
  while (!(rec.pid !== null && step(rec, 'loop').state === 'running')) {
    if (Date.now() > deadline) throw new Error(JSON.stringify(rec));
    await sleep(100);
    rec = await wfStatus(repo, started.id);
  }
  assert.is(rec.alive, true);
  // another executor is refused while this one lives
  fails(
    await sase(repo, 'wf-exec', [started.id]),
    1,
    `error: workflow run '${started.id}' is carried on by pid ${rec.pid} on ${rec.host}`,
  );
  process.kill(rec.pid, 'SIGTERM');
  while ((await wfStatus(repo, started.id)).recorded_status === 'running') {
    if (Date.now() > deadline) throw new Error('not stopped');
    await sleep(100);
  }
  const stopped = await wfStatus(repo, started.id);
  assert.is(stopped.status, 'failed');
  assert.is(stopped.error, 'interrupted');
  assert.is(step(stopped, 'loop').state, 'failed');
  assert.is(step(stopped, 'loop').attempts[0].error, 'interrupted');
  repo.write('go', '');
  const r = await sase(repo, 'wf-resume', [started.id]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(step(theRun(r), 'loop').outputs, { ok: '1' });
});

t.run();
