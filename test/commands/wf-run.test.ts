import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, FIXTURE_AGENT, transcript } from '../helpers/agents.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';
import {
  PIPELINE,
  readRepoFile,
  step,
  theRun,
  waitForWf,
  wfRepo,
  wfRunFiles,
  wfStatus,
  writeSpec,
} from '../helpers/workflows.ts';

const t = suite('wf-run');

t('bash -> agent -> approval -> parallel: stops at the approval, goes on once approved, finishes', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'pipeline', PIPELINE);
  repo.write('lint-ok', '');
  // through the real executable
  const r = saseBin(repo, 'wf-run', ['pipeline', '--input', 'topic=cats']);
  assert.is(r.code, 0, r.stderr);
  const run = theRun(r);
  assert.is(run.kind, 'workflow_run');
  assert.match(run.id, /^w-[0-9a-z]{8}$/);
  assert.is(run.workflow, 'pipeline');
  assert.is(run.status, 'waiting_approval');
  assert.is(run.waiting_on, 'ship');
  assert.is(run.next, `sase wf approve ${run.id} ship`);
  assert.equal(run.inputs, { topic: 'cats', count: '2' });
  assert.equal(r.stderr.split('\n').slice(0, 2), [
    `step 'ship' waits for approval: Ship plan for cats (ok)?`,
    `hint: approve it with 'sase wf approve ${run.id} ship --resume' (or refuse it: --reject --note <why>)`,
  ]);
  // the steps so far, with their outputs: JSON from the script, the agent's last JSON object
  assert.equal(
    run.steps.map((s: any) => [s.id, s.state]),
    [
      ['prep', 'done'],
      ['think', 'done'],
      ['ship', 'waiting_approval'],
      ['checks', 'pending'],
      ['lint', 'pending'],
      ['py', 'pending'],
    ],
  );
  assert.equal(step(run, 'prep').outputs, { status: 'ok', files: ['a.txt', 'b.txt'] });
  assert.equal(step(run, 'think').outputs, { plan: 'plan for cats (ok)', n: 3 });
  assert.equal(step(run, 'ship').outputs, { question: 'Ship plan for cats (ok)?' });
  const agent = step(run, 'think').agent_runs[0];
  assert.is(step(run, 'think').attempts[0].agent_run, agent);
  const shown = (await ok(repo, 'agent-show', [agent, '--prompt']))[0]!;
  assert.is(shown.status, 'done');
  assert.is(shown.name, 'pipeline.think');
  assert.is(shown.prompt, 'say: thinking about cats\nsay: {"plan": "plan for cats (ok)", "n": 3}\n');
  // approved, it goes on at once with --resume
  const a = await sase(repo, 'wf-approve', [run.id, 'ship', '--note', 'looks good', '--resume']);
  assert.is(a.code, 0, a.stderr);
  const done = theRun(a);
  assert.is(done.status, 'done');
  assert.is(done.next, null);
  assert.equal(step(done, 'ship').approval.decision, 'approved');
  assert.equal(step(done, 'ship').approval.note, 'looks good');
  assert.equal(step(done, 'lint').outputs, { lint: 'clean', topic: 'cats' });
  assert.equal(step(done, 'py').outputs, { plan: 'plan for cats (ok)', count: '2', approved: 'true' });
  assert.equal(step(done, 'checks').outputs, { lint: step(done, 'lint').outputs, py: step(done, 'py').outputs });
  assert.ok(done.steps.every((s: any) => s.state === 'done'));
  // nothing ran twice
  assert.is(readRepoFile(repo, 'side-effect.txt'), 'prep ran\n');
  assert.is(step(done, 'prep').attempts.length, 1);
  assert.is(step(done, 'think').agent_runs.length, 1);
  // the record and the step logs are in the ref, and the log replays to the tip
  assert.equal(wfRunFiles(repo), [`workflows/${run.id}.json`]);
  assert.is(repo.git('show', `refs/sase/state:${step(done, 'lint').attempts[0].log}`), 'lint=clean\ntopic=cats\n');
  const fsck = await sase(repo, 'fsck', ['--json']);
  assert.is(fsck.code, 0, fsck.stdout + fsck.stderr);
  assert.match(repo.git('log', '-1', '--format=%B', 'refs/sase/state'), /"op":"wf.end"/);
  // sase log names the run in each of its operations
  const ops = await ok(repo, 'log', ['--id', run.id]);
  assert.ok(ops.length > 5);
  assert.ok(ops.every((o) => o.op.startsWith('wf.') && o.subjects[0] === run.id));
  assert.equal(ops.map((o) => o.op).slice(-1), ['wf.new']);
});

t('bad input: each refused before any step runs, nothing recorded', async () => {
  const repo = await wfRepo();
  const spec = (extra: string, step2 = '') =>
    `[inputs]\nn = { type = "int" }\n${extra}\n[[steps]]\nid = "touch"\nkind = "bash"\nrun = "touch ran.txt"\n${step2}`;
  writeSpec(repo, 'kind', spec('', '[[steps]]\nid = "b"\nkind = "shell"\nrun = "x"\n'));
  writeSpec(repo, 'needs', spec('', '[[steps]]\nid = "b"\nkind = "bash"\nrun = "x"\nneeds = ["nope"]\n'));
  writeSpec(
    repo,
    'cycle',
    spec(
      '',
      '[[steps]]\nid = "b"\nkind = "bash"\nrun = "x"\nneeds = ["c"]\n[[steps]]\nid = "c"\nkind = "bash"\nrun = "x"\nneeds = ["b"]\n',
    ),
  );
  writeSpec(
    repo,
    'intype',
    '[inputs]\nn = { type = "number" }\n[[steps]]\nid = "a"\nkind = "bash"\nrun = "touch ran.txt"\n',
  );
  writeSpec(
    repo,
    'ifmissing',
    spec('', '[[steps]]\nid = "b"\nkind = "bash"\nrun = "x"\nif = "steps.touch.outputs.ok == \\"yes\\""\n'),
  );
  writeSpec(
    repo,
    'ifbad',
    spec('', '[[steps]]\nid = "b"\nkind = "bash"\nrun = "x"\nneeds = "touch"\nif = "steps.touch.outputs.ok = yes"\n'),
  );
  writeSpec(repo, 'unknown', spec('', '[[steps]]\nid = "b"\nkind = "bash"\nrun = "x"\ncolour = "red"\n'));
  writeSpec(repo, 'good', spec(''));
  const f = '.sase/workflows';
  fails(
    await sase(repo, 'wf-run', ['kind', '--input', 'n=1']),
    128,
    `fatal: ${f}/kind.toml: step 'b': unknown kind 'shell' (expected agent, bash, python, prompt, parallel or approval)`,
  );
  fails(
    await sase(repo, 'wf-run', ['needs', '--input', 'n=1']),
    128,
    `fatal: ${f}/needs.toml: step 'b': needs 'nope', which is not a step of this workflow`,
  );
  fails(
    await sase(repo, 'wf-run', ['cycle', '--input', 'n=1']),
    128,
    `fatal: ${f}/cycle.toml: a needs cycle: b -> c -> b`,
  );
  fails(
    await sase(repo, 'wf-run', ['intype']),
    128,
    `fatal: ${f}/intype.toml: input 'n': unknown type 'number' (expected word, line, text, path, int, bool or float)`,
  );
  fails(
    await sase(repo, 'wf-run', ['ifmissing', '--input', 'n=1']),
    128,
    `fatal: ${f}/ifmissing.toml: step 'b': 'if' refers to step 'touch', which is not among the steps it needs (directly or through them): add it to needs`,
  );
  fails(
    await sase(repo, 'wf-run', ['ifbad', '--input', 'n=1']),
    128,
    `fatal: ${f}/ifbad.toml: step 'b': 'if' is not a comparison (an unexpected '='); expected <value> [== != < > <= >= <value>], e.g. steps.test.outputs.status == "ok"`,
  );
  fails(
    await sase(repo, 'wf-run', ['unknown', '--input', 'n=1']),
    128,
    `fatal: ${f}/unknown.toml: step 'b': unknown key 'colour' (expected id, kind, description, needs, if, run, for_each, timeout or retries)`,
  );
  // values given to a run: typed, known, all there
  fails(
    await sase(repo, 'wf-run', ['good', '--input', 'n=many']),
    129,
    `error: workflow 'good': input 'n' expects an int, got 'many'`,
  );
  fails(
    await sase(repo, 'wf-run', ['good']),
    129,
    `error: workflow 'good': missing required input 'n' (int; give it with --input n=<value>)`,
  );
  fails(await sase(repo, 'wf-run', ['good', 'n=1', 'm=2']), 129, `error: workflow 'good' has no input 'm' (inputs: n)`);
  fails(await sase(repo, 'wf-run', ['good', 'n']), 129, `error: 'n' is not an input: expected <name>=<value>`);
  fails(await sase(repo, 'wf-run', ['nope']), 4, `error: no workflow 'nope'`);
  fails(
    await sase(repo, 'wf-run', ['../etc']),
    129,
    `error: '../etc' is not a workflow name (letters, digits, '_' and '-')`,
  );
  // an agent step whose provider is unknown or missing stops the run before it starts
  writeSpec(
    repo,
    'agent',
    '[[steps]]\nid = "touch"\nkind = "bash"\nrun = "touch ran.txt"\n[[steps]]\nid = "a"\nkind = "agent"\nprovider = "nobody"\nprompt = "hi"\n',
  );
  assert.is((await sase(repo, 'wf-run', ['agent'])).code, 129);
  assert.not.ok(existsSync(join(repo.dir, 'ran.txt')));
  assert.equal(wfRunFiles(repo), []);
});

const FEATURES = `[inputs]
who = { type = "line", default = "ann" }

[[steps]]
id = "json"
kind = "bash"
run = 'echo "{\\"items\\": [\\"x\\", \\"y\\"], \\"go\\": \\"yes\\", \\"n\\": 5}"'

[[steps]]
id = "kv"
kind = "bash"
run = 'printf "a=1\\nb=two words\\n"'

[[steps]]
id = "text"
kind = "bash"
run = 'echo hello; echo "  world"'

[[steps]]
id = "env"
kind = "bash"
needs = ["json", "kv"]
run = '''
echo "in=$SASE_IN_WHO"
echo "b=$SASE_STEP_KV_B"
echo "items=$SASE_STEP_JSON_ITEMS"
echo "run=$SASE_WF_RUN"
echo "ctx=$(python3 -c 'import json, os; c = json.load(open(os.environ["SASE_CONTEXT"])); print(c["step"], c["inputs"]["who"], c["steps"]["kv"]["outputs"]["a"])')"
'''

[[steps]]
id = "each"
kind = "bash"
needs = "json"
for_each = "steps.json.outputs.items"
run = 'echo "{\\"got\\": \\"$SASE_ITEM\\", \\"i\\": $SASE_INDEX}"'

[[steps]]
id = "big"
kind = "bash"
needs = "json"
if = "steps.json.outputs.n > 3"
run = "echo ran=yes"

[[steps]]
id = "never"
kind = "bash"
needs = "json"
if = 'steps.json.outputs.go != "yes"'
run = "touch never.txt"

[[steps]]
id = "flaky"
kind = "bash"
retries = 2
run = '''
n=$(cat .tries 2>/dev/null || echo 0); n=$((n+1)); echo $n > .tries
[ $n -ge 3 ] && echo "tries=$n"
'''

[[steps]]
id = "py"
kind = "python"
needs = "kv"
run = '''
import os
print("a=" + str(int(os.environ["SASE_STEP_KV_A"]) + 1))
'''

[[steps]]
id = "brief"
kind = "prompt"
needs = "kv"
prompt = "Context: b is {{steps.kv.outputs.b}}."

[[steps]]
id = "agents"
kind = "agent"
needs = ["json", "brief"]
for_each = "steps.json.outputs.items"
prompt = '''
say: {"item": "{{item}}", "index": {{index}}}
'''
`;

t(
  'for_each, if, retries, a python step, outputs (JSON, key=value, text), values reaching scripts only through env and SASE_CONTEXT, prompt steps',
  async () => {
    const repo = await wfRepo();
    writeSpec(repo, 'features', FEATURES);
    // a value that would do harm if it were pasted into a script
    const who = 'x"; touch pwned.txt; echo "';
    const r = await sase(repo, 'wf-run', ['features', '--input', `who=${who}`]);
    assert.is(r.code, 0, r.stderr);
    const run = theRun(r);
    assert.is(run.status, 'done');
    assert.equal(step(run, 'json').outputs, { items: ['x', 'y'], go: 'yes', n: 5 });
    assert.equal(step(run, 'kv').outputs, { a: '1', b: 'two words' });
    assert.equal(step(run, 'text').outputs, { text: 'hello\n  world' });
    assert.equal(step(run, 'env').outputs, {
      in: who,
      b: 'two words',
      items: '["x","y"]',
      run: run.id,
      ctx: `env ${who} 1`,
    });
    assert.not.ok(existsSync(join(repo.dir, 'pwned.txt')));
    // one instance an item, each its own record; the step's outputs are theirs in order
    assert.equal(
      run.steps.filter((s: any) => s.parent === 'each').map((s: any) => [s.id, s.index, s.item, s.state]),
      [
        ['each[0]', 0, 'x', 'done'],
        ['each[1]', 1, 'y', 'done'],
      ],
    );
    assert.equal(step(run, 'each').outputs, {
      results: [
        { got: 'x', i: 0 },
        { got: 'y', i: 1 },
      ],
    });
    assert.is(step(run, 'big').state, 'done');
    assert.is(step(run, 'never').state, 'skipped');
    assert.is(step(run, 'never').error, `'if' is false: steps.json.outputs.go != "yes"`);
    assert.not.ok(existsSync(join(repo.dir, 'never.txt')));
    // retried until it passed: three attempts, the first two failed
    const flaky = step(run, 'flaky');
    assert.equal(
      flaky.attempts.map((a: any) => [a.n, a.state, a.exit_code]),
      [
        [1, 'failed', 1],
        [2, 'failed', 1],
        [3, 'done', 0],
      ],
    );
    assert.is(flaky.attempts[0].error, 'exit code 1');
    assert.equal(flaky.outputs, { tries: '3' });
    assert.equal(step(run, 'py').outputs, { a: '2' });
    // agent steps for each item; the prompt step's text went before the first one's prompt
    assert.equal(step(run, 'brief').outputs, { text: 'Context: b is two words.' });
    assert.equal(step(run, 'agents[0]').outputs, { item: 'x', index: 0 });
    assert.equal(step(run, 'agents[1]').outputs, { item: 'y', index: 1 });
    assert.equal(step(run, 'agents[0]').prompt_parts, ['brief']);
    const prompt = (await ok(repo, 'agent-show', [step(run, 'agents[0]').agent_runs[0], '--prompt']))[0]!.prompt;
    assert.is(prompt, 'Context: b is two words.\n\nsay: {"item": "x", "index": 0}\n');
    assert.is((await ok(repo, 'agent-show', [step(run, 'agents[1]').agent_runs[0]]))[0]!.name, 'features.agents.1');
  },
);

t('a step past its timeout is stopped and fails the run; later steps stay pending', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'slow',
    '[[steps]]\nid = "nap"\nkind = "python"\ntimeout = "1s"\nrun = "import time\\ntime.sleep(30)"\n[[steps]]\nid = "after"\nkind = "bash"\nneeds = "nap"\nrun = "true"\n',
  );
  const r = await sase(repo, 'wf-run', ['slow']);
  assert.is(r.code, 1, r.stderr);
  const run = theRun(r);
  assert.is(run.status, 'failed');
  assert.is(run.error, "step 'nap' failed: timed out after 1s");
  assert.is(step(run, 'nap').state, 'failed');
  assert.equal(
    step(run, 'nap').attempts.map((a: any) => [a.state, a.error]),
    [['failed', 'timed out after 1s']],
  );
  assert.is(step(run, 'after').state, 'pending');
  assert.is(r.stderr, `hint: 'sase wf resume ${run.id}' carries it on from where it stopped\n`);
});

t('an agent step that fails is retried; its error names the agent run', async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'grumpy', `[[steps]]\nid = "try"\nkind = "agent"\nretries = 1\nprompt = "fail: not today"\n`);
  const r = await sase(repo, 'wf-run', ['grumpy']);
  assert.is(r.code, 1);
  const s = step(theRun(r), 'try');
  assert.is(s.attempts.length, 2);
  assert.is(s.agent_runs.length, 2);
  assert.match(s.error, new RegExp(`^agent run ${s.agent_runs[1]} failed`));
});

t(
  "an agent step on a provider whose command uses {model}: runs with the step's model; without one, refused before any step",
  async () => {
    const repo = await agentRepo(
      `[agents]\nprovider = "modeled"\n[providers.modeled]\ncommand = [${JSON.stringify(FIXTURE_AGENT)}, "--model={model}"]\n`,
    );
    writeSpec(repo, 'modeled', `[[steps]]\nid = "a"\nkind = "agent"\nmodel = "m3"\nprompt = "say: hi"\n`);
    const r = await sase(repo, 'wf-run', ['modeled']);
    assert.is(r.code, 0, r.stderr);
    const agent = step(theRun(r), 'a').agent_runs[0];
    assert.equal((await transcript(repo, agent))[0]!.argv, ['--model=m3']);
    writeSpec(
      repo,
      'unmodeled',
      `[[steps]]\nid = "t"\nkind = "bash"\nrun = "touch ran.txt"\n[[steps]]\nid = "a"\nkind = "agent"\nprompt = "say: hi"\n`,
    );
    fails(
      await sase(repo, 'wf-run', ['unmodeled']),
      129,
      "error: provider 'modeled' needs a model (its command uses '{model}')",
    );
    assert.not.ok(existsSync(join(repo.dir, 'ran.txt')));
    // the run's --model reaches the step
    assert.is((await sase(repo, 'wf-run', ['unmodeled', '--model', 'm4'])).code, 0);
  },
);

t('#!name(k=v) as the prompt of sase-agent-run starts the workflow', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'hello',
    '[inputs]\nwho = "line"\n[[steps]]\nid = "greet"\nkind = "bash"\nrun = \'echo "greeting=hello $SASE_IN_WHO"\'\n',
  );
  const r = await sase(repo, 'agent-run', ['#!hello(who="bob, jr")']);
  assert.is(r.code, 0, r.stderr);
  const run = theRun(r);
  assert.is(run.kind, 'workflow_run');
  assert.is(run.workflow, 'hello');
  assert.is(run.status, 'done');
  assert.equal(step(run, 'greet').outputs, { greeting: 'hello bob, jr' });
  // from stdin too; an unknown workflow is not found
  const s = await sase(repo, 'agent-run', ['-'], { input: '#!hello(who=ann)\n' });
  assert.equal(step(theRun(s), 'greet').outputs, { greeting: 'hello ann' });
  fails(await sase(repo, 'agent-run', ['#!nope']), 4, `error: no workflow 'nope'`);
  fails(
    await sase(repo, 'agent-run', ['#!hello']),
    129,
    `error: workflow 'hello': missing required input 'who' (line; give it with --input who=<value>)`,
  );
});

t('--detach: the run is recorded and carried on in the background', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'bg',
    '[[steps]]\nid = "a"\nkind = "bash"\nrun = "echo x=1"\n[[steps]]\nid = "b"\nkind = "agent"\nneeds = "a"\nprompt = "say: {{steps.a.outputs.x}}"\n',
  );
  const r = await sase(repo, 'wf-run', ['bg', '--detach']);
  assert.is(r.code, 0, r.stderr);
  const started = theRun(r);
  assert.is(started.status, 'running');
  const ended = await waitForWf(repo, started.id);
  assert.is(ended.status, 'done');
  assert.equal(step(ended, 'b').outputs, { text: '1' });
  assert.is((await wfStatus(repo, 'bg')).id, started.id);
  // --format id prints the id alone
  const id = await sase(repo, 'wf-run', ['bg', '--format', 'id']);
  assert.match(id.stdout, /^w-[0-9a-z]{8}\n$/);
});

t('on a terminal format: a line a step, then the run', async () => {
  const repo = await wfRepo();
  writeSpec(
    repo,
    'two',
    '[[steps]]\nid = "a"\nkind = "bash"\nrun = "true"\n[[steps]]\nid = "b"\nkind = "bash"\nneeds = "a"\nif = "steps.a.outputs.x"\nrun = "true"\n',
  );
  const r = await sase(repo, 'wf-run', ['two', '--format', 'text']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^workflow run two \(w-[0-9a-z]{8}\)$/);
  assert.match(lines[1]!, /^a +running$/);
  assert.match(lines[2]!, /^a +done /);
  assert.match(lines[3]!, /^b +skipped 'if' is false: steps\.a\.outputs\.x$/);
  assert.match(lines[4]!, /^workflow run two \(w-[0-9a-z]{8}\): done$/);
});

/** A step failing as `npm test` did under npm 10: the test's own error, then npm's boilerplate, its log line last. */
const NPM_FAILURE = [
  'echo "> app@1.0.0 test"',
  'echo "> node test.js"',
  'echo "ran 3 tests"',
  'echo "Error: the widget test failed" >&2',
  'echo "    at widget.test.js:3:7" >&2',
  "echo 'npm error Lifecycle script `test` failed with error:' >&2",
  'echo "npm error code 2" >&2',
  'echo "npm error path /work/app" >&2',
  'echo "npm error command failed" >&2',
  'echo "npm error command sh -c node test.js" >&2',
  'echo "npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log" >&2',
  'echo "npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log" >&2',
  'exit 2',
].join('\n');

t("a failed step says why from its command's stderr, not npm's 'A complete log' line", async () => {
  const repo = await wfRepo();
  writeSpec(repo, 'ci', `[[steps]]\nid = "test"\nkind = "bash"\nrun = '''\n${NPM_FAILURE}\n'''\n`);
  const r = await sase(repo, 'wf-run', ['ci']);
  assert.is(r.code, 1);
  const run = theRun(r);
  // once: 'exit code 2: npm error A complete log of this run can be found in: ...' for the run, the step and the attempt
  assert.is(run.error, "step 'test' failed: exit code 2: Error: the widget test failed");
  const s = step(run, 'test');
  assert.is(s.error, 'exit code 2: Error: the widget test failed');
  assert.equal(s.attempts[0].tail, ['Error: the widget test failed', '    at widget.test.js:3:7']);
  assert.not.match(JSON.stringify(run), 'A complete log');
  // on a terminal, the failed step's line is followed by those lines
  const text = await sase(repo, 'wf-run', ['ci', '--format', 'text']);
  assert.match(
    text.stdout,
    /^test +failed exit code 2: Error: the widget test failed\n +Error: the widget test failed\n +at widget\.test\.js:3:7$/m,
  );
  // a command whose stderr is only boilerplate: the meaningful lines of its output, each once
  writeSpec(
    repo,
    'only',
    `[[steps]]\nid = "x"\nkind = "bash"\nrun = '''\necho "fatal: no such widget"\necho "npm error A complete log of this run can be found in: /tmp/x.log" >&2\necho "npm error A complete log of this run can be found in: /tmp/x.log" >&2\nexit 1\n'''\n`,
  );
  const only = step(theRun(await sase(repo, 'wf-run', ['only'])), 'x');
  assert.is(only.error, 'exit code 1: fatal: no such widget');
  assert.equal(only.attempts[0].tail, ['fatal: no such widget']);
});

t.run();
