import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { PIPELINE, wfRepo, writeSpec } from '../helpers/workflows.ts';

const t = suite('wf-show');

t('a spec, checked, with its step graph in run order', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'pipeline', PIPELINE);
  // through the real executable
  const rec = okBin(repo, 'wf-show', ['pipeline'])[0]!;
  assert.is(rec.kind, 'workflow');
  assert.is(rec.valid, true);
  assert.equal(rec.order, ['prep', 'think', 'ship', 'checks']);
  assert.equal(
    rec.steps.map((s: any) => [s.id, s.kind, s.needs]),
    [
      ['prep', 'bash', []],
      ['think', 'agent', ['prep']],
      ['ship', 'approval', ['think']],
      ['checks', 'parallel', ['ship']],
    ],
  );
  assert.equal(
    rec.steps[3].steps.map((s: any) => [s.id, s.kind]),
    [
      ['lint', 'bash'],
      ['py', 'python'],
    ],
  );
  assert.equal(
    rec.inputs.map((i: any) => [i.name, i.type, i.default, i.required]),
    [
      ['topic', 'line', null, true],
      ['count', 'int', '2', false],
    ],
  );
  const text = (await sase(repo, 'wf-show', ['pipeline', '--format', 'text'])).stdout.split('\n');
  assert.is(text[0], 'pipeline  repo: .sase/workflows/pipeline.toml');
  const steps = text.slice(text.indexOf('steps:') + 1).filter(Boolean);
  assert.equal(steps, [
    '   1. prep           bash',
    '   2. think          agent     needs prep',
    '   3. ship           approval  needs think',
    '   4. checks         parallel  needs ship',
    '      ├ lint         bash',
    '      └ py           python',
  ]);
});

t('a step written before what it needs is shown after it', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'order',
    '[[steps]]\nid = "late"\nkind = "bash"\nrun = "x"\nneeds = "early"\n[[steps]]\nid = "early"\nkind = "bash"\nrun = "x"\n',
  );
  assert.equal((await ok(repo, 'wf-show', ['order']))[0]!.order, ['early', 'late']);
});

t('malformed, missing, badly named', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'bad', 'colour = 1\n[[steps]]\nid = "a"\nkind = "bash"\nrun = "x"\nneeds = "zz"\n');
  writeSpec(repo, 'toml', '[[steps]\n');
  const r = await sase(repo, 'wf-show', ['bad']);
  fails(
    r,
    128,
    "fatal: .sase/workflows/bad.toml: unknown key 'colour' (expected name, description, provider, model, inputs or steps)",
  );
  assert.is(r.stderr.split('\n')[1], "hint: 1 more problem: 'sase wf validate bad' lists them");
  assert.match(
    (await sase(repo, 'wf-show', ['toml'])).stderr,
    /^fatal: \.sase\/workflows\/toml\.toml:1: not valid TOML: /,
  );
  fails(await sase(repo, 'wf-show', ['nope']), 4, "error: no workflow 'nope'");
  fails(
    await sase(repo, 'wf-show', ['a/b']),
    129,
    "error: 'a/b' is not a workflow name (letters, digits, '_' and '-')",
  );
});

t.run();
