import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';
import { PIPELINE, wfRepo, writeSpec } from '../helpers/workflows.ts';

const t = suite('wf-validate');

t('every spec valid: exit 0, one ok line each on a terminal, records on a pipe', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'pipeline', PIPELINE);
  writeSpec(repo, 'tiny', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "x"\n');
  // through the real executable
  const text = saseBin(repo, 'wf-validate', ['--format', 'text']);
  assert.is(text.code, 0, text.stderr);
  assert.is(text.stdout, 'ok pipeline\nok tiny\n');
  assert.equal(
    (await ok(repo, 'wf-validate')).map((r) => [r.name, r.valid, r.problems]),
    [
      ['pipeline', true, []],
      ['tiny', true, []],
    ],
  );
  // none at all is fine too
  assert.equal(await ok(await wfRepo(), 'wf-validate'), []);
});

t('problems: exit 1, every one listed on stderr, naming the file and the step', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'good', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "x"\n');
  writeSpec(
    repo,
    'bad',
    '[inputs]\nn = { type = "number" }\n[[steps]]\nid = "a"\nkind = "shell"\n[[steps]]\nid = "b"\nkind = "bash"\nrun = "x"\nneeds = ["c"]\n[[steps]]\nid = "c"\nkind = "bash"\nrun = "x"\nneeds = ["b"]\n[[steps]]\nid = "d"\nkind = "bash"\nrun = "x"\nneeds = "nope"\n',
  );
  const r = await sase(repo, 'wf-validate', ['--format', 'text']);
  assert.is(r.code, 1);
  assert.is(r.stdout, 'ok good\n');
  const f = '.sase/workflows/bad.toml';
  assert.equal(r.stderr.trimEnd().split('\n'), [
    `error: ${f}: input 'n': unknown type 'number' (expected word, line, text, path, int, bool or float)`,
    `error: ${f}: step 'a': unknown kind 'shell' (expected agent, bash, python, prompt, parallel or approval)`,
    `error: ${f}: step 'd': needs 'nope', which is not a step of this workflow`,
    `error: ${f}: a needs cycle: b -> c -> b`,
  ]);
  const json = await sase(repo, 'wf-validate', ['bad']);
  assert.is(json.code, 1);
  assert.is(json.records.length, 1);
  assert.is(json.records[0]!.valid, false);
  assert.is(json.records[0]!.problems.length, 4);
});

t('one spec by name; an unknown one is not found', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'good', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "x"\n');
  writeSpec(repo, 'bad', '[[steps]]\nid = "a"\nkind = "bash"\n');
  assert.equal(
    (await ok(repo, 'wf-validate', ['good'])).map((r) => r.name),
    ['good'],
  );
  fails(await sase(repo, 'wf-validate', ['nope']), 4, "error: no workflow 'nope'");
  fails(await sase(repo, 'wf-validate', ['good', 'bad']), 129, "error: unexpected argument 'bad'");
});

t.run();
