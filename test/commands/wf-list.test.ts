import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fails, ok, sase, saseBin, tableRows } from '../helpers/run.ts';
import { theRun, wfRepo, writeSpec } from '../helpers/workflows.ts';

const t = suite('wf-list');

t(
  "the project's specs, then the user's (first wins); invalid ones listed as such; bad file names skipped",
  async () => {
    const repo = await wfRepo();
    writeSpec(
      repo,
      'build',
      'description = "Build it"\n[inputs]\ntarget = { type = "word", default = "all" }\n[[steps]]\nid = "make"\nkind = "bash"\nrun = "make"\n',
    );
    writeSpec(repo, 'broken', '[[steps]]\nid = "a"\nkind = "shell"\n');
    writeSpec(repo, 'bad name', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "x"\n');
    const user = join(repo.env.XDG_CONFIG_HOME!, 'sase', 'workflows');
    mkdirSync(user, { recursive: true });
    writeFileSync(join(user, 'build.toml'), 'description = "mine"\n[[steps]]\nid = "a"\nkind = "bash"\nrun = "x"\n');
    writeFileSync(join(user, 'mine.toml'), '[[steps]]\nid = "a"\nkind = "bash"\nrun = "x"\n');
    // through the real executable
    const r = saseBin(repo, 'wf-list');
    assert.is(r.code, 0, r.stderr);
    assert.is(
      r.stderr,
      `warning: ignoring '${join(repo.dir, '.sase/workflows/bad name.toml')}': not a valid workflow name\n`,
    );
    assert.equal(
      r.records.map((x) => [x.name, x.source, x.valid]),
      [
        ['broken', 'repo', false],
        ['build', 'repo', true],
        ['mine', 'user', true],
      ],
    );
    const build = r.records[1]!;
    assert.is(build.kind, 'workflow');
    assert.is(build.id, 'build');
    assert.is(build.path, '.sase/workflows/build.toml');
    assert.is(build.description, 'Build it');
    assert.equal(build.inputs, [{ name: 'target', type: 'word', default: 'all', required: false, description: null }]);
    assert.equal(build.order, ['make']);
    assert.equal(r.records[0]!.problems, [
      `.sase/workflows/broken.toml: step 'a': unknown kind 'shell' (expected agent, bash, python, prompt, parallel or approval)`,
    ]);
    assert.is(r.records[2]!.path, join(user, 'mine.toml'));
    const text = (await sase(repo, 'wf-list', ['--format', 'text'])).stdout;
    const rows = tableRows(text);
    assert.equal(
      rows.map((x) => [x.NAME, x.STEPS, x.INPUTS]),
      [
        ['broken', '-', ''],
        ['build', '1', 'target?:word'],
        ['mine', '1', ''],
      ],
    );
    assert.match(rows[0]!.DESCRIPTION!, /^invalid: /);
  },
);

t('--runs: workflow runs, newest first, filtered by status and workflow', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'ok', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "true"\n');
  writeSpec(repo, 'no', '[[steps]]\nid = "a"\nkind = "bash"\nrun = "false"\n');
  assert.equal(await ok(repo, 'wf-list', ['--runs']), []);
  const a = theRun(await sase(repo, 'wf-run', ['ok']));
  const b = theRun(await sase(repo, 'wf-run', ['no']));
  assert.equal(
    (await ok(repo, 'wf-list', ['--runs'])).map((x) => [x.id, x.status]),
    [
      [b.id, 'failed'],
      [a.id, 'done'],
    ],
  );
  assert.equal(
    (await ok(repo, 'wf-list', ['--runs', '--status', 'failed'])).map((x) => x.id),
    [b.id],
  );
  assert.equal(
    (await ok(repo, 'wf-list', ['--runs', '--workflow', 'ok'])).map((x) => x.id),
    [a.id],
  );
  assert.is((await sase(repo, 'wf-list', ['--runs', '--format', 'id'])).stdout, `${b.id}\n${a.id}\n`);
  // --sort created_at is the old order, oldest first; --limit keeps the newest
  assert.equal((await ok(repo, 'wf-list', ['--runs', '--sort', 'created_at,id'])).length, 2);
  assert.equal(
    (await ok(repo, 'wf-list', ['--runs', '--limit', '1'])).map((x) => x.id),
    [b.id],
  );
  assert.equal(
    (await ok(repo, 'wf-list', ['--runs', '--grep', 'NO'])).map((x) => x.id),
    [b.id],
  );
  // the table shows each id's short form (as a bead's: w- and the shortest unique prefix, at least 4), which names the run back
  const rows = tableRows((await sase(repo, 'wf-list', ['--runs', '--format', 'text'])).stdout);
  assert.equal(
    rows.map((x) => [x.ID, x.WORKFLOW, x.STATUS, x.STEP]),
    [
      [b.id.slice(0, 6), 'no', 'failed', 'a'],
      [a.id.slice(0, 6), 'ok', 'done', ''],
    ],
  );
  assert.equal((await ok(repo, 'wf-status', [rows[0]!.ID!]))[0]!.id, b.id);
  fails(await sase(repo, 'wf-list', ['--status', 'done']), 129, 'error: --status and --workflow go with --runs');
  fails(
    await sase(repo, 'wf-list', ['--runs', '--status', 'odd']),
    129,
    "error: option '--status': 'odd' is not one of running, waiting_approval, done, failed",
  );
});

t.run();
