import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, sase, saseBin } from '../helpers/run.ts';
import { GATE, readRepoFile, step, theRun, waitForWf, wfRepo, wfStatus, writeSpec } from '../helpers/workflows.ts';

const t = suite('wf-approve');

async function waiting(): Promise<{ repo: TestRepo; id: string }> {
  const repo = await wfRepo();
  writeSpec(repo, 'gate', GATE);
  const r = await sase(repo, 'wf-run', ['gate']);
  assert.is(r.code, 0, r.stderr);
  const run = theRun(r);
  assert.is(run.status, 'waiting_approval');
  return { repo, id: run.id };
}

t('approved without --resume: the decision is recorded, the run goes on with sase-wf-resume', async () => {
  const { repo, id } = await waiting();
  // through the real executable
  const a = saseBin(repo, 'wf-approve', [id, 'ok', '--note', 'ship it']);
  assert.is(a.code, 0, a.stderr);
  assert.is(a.stderr, `hint: 'sase wf resume ${id}' carries it on\n`);
  const rec = theRun(a);
  const ok = step(rec, 'ok');
  assert.is(ok.state, 'done');
  assert.is(ok.approval.decision, 'approved');
  assert.is(ok.approval.note, 'ship it');
  assert.is(ok.approval.by, 'author@example.com');
  assert.equal(ok.outputs, { question: 'Release 1.2?', approved: true, note: 'ship it' });
  assert.is(rec.status, 'waiting_approval');
  assert.is(rec.waiting_on, null);
  assert.is(rec.next, `sase wf resume ${id}`);
  const r = await sase(repo, 'wf-resume', [id]);
  assert.is(r.code, 0, r.stderr);
  const done = theRun(r);
  assert.is(done.status, 'done');
  assert.equal(step(done, 'release').outputs, { note: 'ship it' });
  assert.is(readRepoFile(repo, 'built.txt'), 'built\n');
});

t('rejected: the step and the run fail with the note; a resume asks again; nothing before it runs again', async () => {
  const { repo, id } = await waiting();
  const before = step(await wfStatus(repo, id), 'build');
  const a = await sase(repo, 'wf-approve', [id, 'ok', '--reject', '--note', 'not on a friday']);
  assert.is(a.code, 0, a.stderr);
  const rec = theRun(a);
  assert.is(rec.status, 'failed');
  assert.is(rec.error, "step 'ok' was rejected: not on a friday");
  assert.is(step(rec, 'ok').state, 'failed');
  assert.is(step(rec, 'ok').error, 'rejected: not on a friday');
  assert.is(step(rec, 'ok').approval.decision, 'rejected');
  const again = theRun(await sase(repo, 'wf-resume', [id]));
  assert.is(again.status, 'waiting_approval');
  assert.is(step(again, 'ok').approval, null);
  assert.is(again.resumes, 1);
  assert.equal(step(again, 'build'), before);
  const done = theRun(await sase(repo, 'wf-approve', [id, 'ok', '--resume']));
  assert.is(done.status, 'done');
  assert.is(readRepoFile(repo, 'built.txt'), 'built\n');
});

t('--resume --detach: approved and carried on in the background', async () => {
  const { repo, id } = await waiting();
  const a = await sase(repo, 'wf-approve', [id, 'ok', '--resume', '--detach']);
  assert.is(a.code, 0, a.stderr);
  assert.is(theRun(a).status, 'running');
  assert.is((await waitForWf(repo, id)).status, 'done');
});

t('refused: a step that is not an approval, or not waiting; unknown runs and steps; bad options', async () => {
  const { repo, id } = await waiting();
  fails(
    await sase(repo, 'wf-approve', [id, 'build']),
    1,
    `error: step 'build' of workflow run '${id}' is a bash step, not an approval`,
  );
  fails(await sase(repo, 'wf-approve', [id, 'nope']), 4, `error: workflow run '${id}' has no step 'nope'`);
  fails(await sase(repo, 'wf-approve', ['w-zzzzzzzz', 'ok']), 4, `error: no workflow run 'w-zzzzzzzz'`);
  fails(
    await sase(repo, 'wf-approve', [id, 'ok', '--reject', '--resume']),
    129,
    'error: --reject and --resume go not together: a rejected run fails',
  );
  fails(await sase(repo, 'wf-approve', [id, 'ok', '--detach']), 129, 'error: --detach goes with --resume');
  fails(await sase(repo, 'wf-approve', [id]), 129, 'error: missing <step>');
  assert.is((await sase(repo, 'wf-approve', ['gate', 'ok'])).code, 0);
  fails(
    await sase(repo, 'wf-approve', [id, 'ok']),
    1,
    `error: step 'ok' of workflow run '${id}' is not waiting for an approval (it is done)`,
  );
});

t.run();
