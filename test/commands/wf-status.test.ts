import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fails, sase, saseBin, tableRows } from '../helpers/run.ts';
import { step, theRun, wfRepo, writeSpec } from '../helpers/workflows.ts';

const t = suite('wf-status');

const SPEC = `[inputs]
n = { type = "int", default = 1 }
[[steps]]
id = "count"
kind = "bash"
run = 'echo "n=$SASE_IN_N"'
[[steps]]
id = "check"
kind = "approval"
needs = "count"
prompt = "Is {{steps.count.outputs.n}} right?"
`;

t('a run by its id, a prefix of it, or its workflow (the newest run): steps, attempts, outputs, next', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'count', SPEC);
  const first = theRun(await sase(repo, 'wf-run', ['count']));
  const second = theRun(await sase(repo, 'wf-run', ['count', 'n=7']));
  // through the real executable
  const r = saseBin(repo, 'wf-status', [first.id]);
  assert.is(r.code, 0, r.stderr);
  const rec = theRun(r);
  assert.is(rec.v, 1);
  assert.is(rec.kind, 'workflow_run');
  assert.is(rec.id, first.id);
  assert.is(rec.status, 'waiting_approval');
  assert.is(rec.dead, false);
  assert.is(rec.source, '.sase/workflows/count.toml');
  assert.is(rec.next, `sase wf approve ${first.id} check`);
  const count = step(rec, 'count');
  assert.equal(count.outputs, { n: '1' });
  assert.is(count.attempts.length, 1);
  assert.equal(Object.keys(count.attempts[0]).sort(), [
    'agent_run',
    'ended_at',
    'error',
    'exit_code',
    'log',
    'n',
    'seconds',
    'started_at',
    'state',
    'tail',
  ]);
  assert.is(count.attempts[0].exit_code, 0);
  assert.equal(count.attempts[0].tail, []);
  assert.equal(step(rec, 'check').outputs, { question: 'Is 1 right?' });
  assert.is(theRun(await sase(repo, 'wf-status', ['count'])).id, second.id);
  assert.is(theRun(await sase(repo, 'wf-status', [second.id.slice(0, 6)])).id, second.id);
  fails(await sase(repo, 'wf-status', ['w-zzzzzzzz']), 4, `error: no workflow run 'w-zzzzzzzz'`);
  fails(await sase(repo, 'wf-status', []), 129, 'error: missing <run>');
});

t('on a terminal format: a card and a table of the steps', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'count', SPEC);
  const run = theRun(await sase(repo, 'wf-run', ['count']));
  const r = await sase(repo, 'wf-status', [run.id, '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  const [head, ...rest] = r.stdout.split('\n');
  assert.is(head, `count (${run.id})  waiting approval`);
  const table = rest.slice(rest.indexOf('') + 1, rest.lastIndexOf('') - 1).join('\n');
  const rows = tableRows(table);
  assert.equal(
    rows.map((x) => [x.STEP, x.KIND, x.STATE, x.TRIES]),
    [
      ['count', 'bash', 'done', '1'],
      ['check', 'approval', 'waiting approval', ''],
    ],
  );
  assert.is(rows[1]!.NOTE, 'Is 1 right?');
  assert.ok(r.stdout.endsWith(`next: sase wf approve ${run.id} check\n`));
});

t('a failed step shows the last lines of its stderr below the steps, not the boilerplate around them', async () => {
  const repo = await wfRepo();
  const run =
    'echo "Error: the widget test failed" >&2\necho "npm error A complete log of this run can be found in: /tmp/x.log" >&2\nexit 2';
  writeSpec(repo, 'ci', `[[steps]]\nid = "test"\nkind = "bash"\nrun = '''\n${run}\n'''\n`);
  const id = theRun(await sase(repo, 'wf-run', ['ci'])).id;
  const r = await sase(repo, 'wf-status', [id, '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, "error      step 'test' failed: exit code 2: Error: the widget test failed");
  assert.match(r.stdout, '\ntest failed; the last lines it printed:\n  Error: the widget test failed\n');
  assert.not.match(r.stdout, 'A complete log');
});

t.run();
