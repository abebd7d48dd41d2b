// Workflow specs and runs, the pure parts: checking a spec (every problem a
// line naming the file and the step), the run order, references and
// conditions, outputs of scripts and agents, `#!name(...)`, and the run
// record's decisions (next step, resume, the environment a script gets).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/core/errors.ts';
import { evalCondition, parseCondition, renderTemplate, templateRefs } from '../../src/core/workflows/expr.ts';
import { parseInvocation } from '../../src/core/workflows/invoke.ts';
import { agentOutput, parseOutputs } from '../../src/core/workflows/outputs.ts';
import {
  forEachItems,
  newWfRun,
  nextStep,
  resetForResume,
  resolver,
  stepEnv,
  stepRecord,
  type WfRun,
  withInstances,
  withStep,
} from '../../src/core/workflows/run.ts';
import { bindInputs, checkWorkflow, runOrder, stepsBefore, type Workflow } from '../../src/core/workflows/spec.ts';
import { workflowContextToWire as contextOf } from '../../src/wire/workflow.ts';

const t = suite('workflows');
const SRC = '.sase/workflows/w.toml';

function problems(raw: Record<string, unknown>): string[] {
  return checkWorkflow(raw, 'w', SRC).problems;
}

function valid(raw: Record<string, unknown>): Workflow {
  const { workflow, problems } = checkWorkflow(raw, 'w', SRC);
  assert.equal(problems, []);
  return workflow!;
}

const bash = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'bash', run: 'true', ...extra });

t('a valid spec: inputs typed with defaults, steps with their keys, parallel sub-steps', () => {
  const wf = valid({
    name: 'w',
    description: 'd',
    inputs: { issue: { type: 'line' }, n: { type: 'int', default: 3 }, flag: 'bool' },
    steps: [
      { id: 'plan', kind: 'agent', prompt: 'Plan {{inputs.issue}}', provider: 'fixture', timeout: '20m', retries: 1 },
      bash('test', { needs: ['plan'], if: 'steps.plan.outputs.ok == "yes"', timeout: 30 }),
      {
        id: 'checks',
        kind: 'parallel',
        needs: 'test',
        fail_fast: true,
        steps: [bash('lint'), { id: 'py', kind: 'python', run: 'print(1)' }],
      },
      { id: 'ship', kind: 'approval', needs: ['checks'], prompt: 'Ship {{steps.lint.outputs.text}}?' },
    ],
  });
  assert.equal(
    wf.inputs.map((i) => [i.name, i.type, i.default, i.required]),
    [
      ['issue', 'line', null, true],
      ['n', 'int', '3', false],
      ['flag', 'bool', null, true],
    ],
  );
  assert.is(wf.steps[0]!.timeout, 1200);
  assert.is(wf.steps[0]!.retries, 1);
  assert.equal(wf.steps[1]!.needs, ['plan']);
  assert.equal(wf.steps[2]!.needs, ['test']);
  assert.is(wf.steps[2]!.fail_fast, true);
  assert.equal(
    wf.steps[2]!.steps.map((s) => s.id),
    ['lint', 'py'],
  );
});

t('each bad spec gives one line naming the file, the step and what was expected', () => {
  assert.equal(problems({ steps: [{ id: 'a', kind: 'shell', run: 'x' }] }), [
    `${SRC}: step 'a': unknown kind 'shell' (expected agent, bash, python, prompt, parallel or approval)`,
  ]);
  assert.equal(problems({ steps: [bash('a', { needs: ['nope'] })] }), [
    `${SRC}: step 'a': needs 'nope', which is not a step of this workflow`,
  ]);
  assert.equal(problems({ steps: [bash('a', { needs: 'c' }), bash('b', { needs: 'a' }), bash('c', { needs: 'b' })] }), [
    `${SRC}: a needs cycle: a -> c -> b -> a`,
  ]);
  assert.equal(problems({ steps: [bash('a', { needs: 'a' })] }), [`${SRC}: a needs cycle: a -> a`]);
  assert.equal(problems({ inputs: { n: { type: 'number' } }, steps: [bash('a')] }), [
    `${SRC}: input 'n': unknown type 'number' (expected word, line, text, path, int, bool or float)`,
  ]);
  assert.equal(problems({ inputs: { n: { type: 'int', default: 'many' } }, steps: [bash('a')] }), [
    `${SRC}: input 'n': its default expects an int, got 'many'`,
  ]);
  assert.equal(problems({ steps: [bash('a'), bash('b', { if: 'steps.a.outputs.ok == "yes"' })] }), [
    `${SRC}: step 'b': 'if' refers to step 'a', which is not among the steps it needs (directly or through them): add it to needs`,
  ]);
  assert.equal(problems({ steps: [bash('a', { if: 'steps.zz.outputs.ok' })] }), [
    `${SRC}: step 'a': 'if' refers to step 'zz', which is not a step of this workflow`,
  ]);
  assert.equal(problems({ steps: [bash('a'), bash('b', { needs: 'a', if: 'steps.a.outputs.ok = yes' })] }), [
    `${SRC}: step 'b': 'if' is not a comparison (an unexpected '='); expected <value> [== != < > <= >= <value>], e.g. steps.test.outputs.status == "ok"`,
  ]);
  assert.equal(problems({ steps: [bash('a'), bash('b', { needs: 'a', if: 'steps.a.outputs.ok == "x" == "y"' })] }), [
    `${SRC}: step 'b': 'if' is not a comparison ('==' after the comparison (one comparison only)); expected <value> [== != < > <= >= <value>], e.g. steps.test.outputs.status == "ok"`,
  ]);
  assert.equal(problems({ steps: [bash('a', { colour: 'red' })] }), [
    `${SRC}: step 'a': unknown key 'colour' (expected id, kind, description, needs, if, run, for_each, timeout or retries)`,
  ]);
  assert.equal(problems({ foo: 1, steps: [bash('a')] }), [
    `${SRC}: unknown key 'foo' (expected name, description, provider, model, inputs or steps)`,
  ]);
  assert.equal(problems({ steps: [{ id: 'a', kind: 'approval', retries: 2 }] }), [
    `${SRC}: step 'a': 'retries' does not apply to an approval step (it takes id, kind, description, needs, if and prompt)`,
  ]);
});

t('more checks: missing texts, ids, parallel contents, inputs and placeholders', () => {
  assert.equal(problems({}), [`${SRC}: no steps (expected [[steps]] tables, each with id and kind)`]);
  assert.equal(problems({ steps: [{ kind: 'bash', run: 'x' }] }), [`${SRC}: step 1: no 'id'`]);
  assert.equal(problems({ steps: [{ id: 'a', kind: 'agent' }] }), [
    `${SRC}: step 'a': an agent step needs 'prompt' (its text)`,
  ]);
  assert.equal(problems({ steps: [{ id: 'a', kind: 'bash' }] }), [
    `${SRC}: step 'a': a bash step needs 'run' (its script)`,
  ]);
  assert.equal(problems({ steps: [bash('a'), bash('a')] }), [`${SRC}: step 'a': the id is used twice`]);
  assert.equal(problems({ steps: [bash('a-b'), bash('a_b')] }), [
    `${SRC}: steps 'a-b' and 'a_b' would both be $SASE_STEP_A_B_*`,
  ]);
  assert.equal(problems({ steps: [{ id: 'p', kind: 'parallel', steps: [{ id: 'ok', kind: 'approval' }] }] }), [
    `${SRC}: step 'ok': an approval step cannot be inside parallel step 'p' (expected agent, bash or python)`,
  ]);
  assert.equal(problems({ steps: [bash('x'), { id: 'p', kind: 'parallel', steps: [bash('s', { needs: 'x' })] }] }), [
    `${SRC}: step 's': a step inside parallel step 'p' takes no 'needs' (put them on 'p')`,
  ]);
  assert.equal(problems({ steps: [{ id: 'p', kind: 'parallel', steps: [bash('s')] }, bash('b', { needs: 's' })] }), [
    `${SRC}: step 'b': needs 's', which is inside parallel step 'p' (need 'p')`,
  ]);
  assert.equal(problems({ steps: [{ id: 'a', kind: 'agent', prompt: 'fix {{inputs.nope}}' }] }), [
    `${SRC}: step 'a': 'prompt' refers to input 'nope', which is not declared (the workflow has no inputs)`,
  ]);
  assert.equal(problems({ steps: [{ id: 'a', kind: 'agent', prompt: 'fix {{steps.a.bogus}}' }] }), [
    `${SRC}: step 'a': 'prompt' holds {{steps.a.bogus}}, which is not a reference (expected {{inputs.<name>}}, {{steps.<id>.outputs.<key>}}, {{item}} or {{index}})`,
  ]);
  assert.equal(problems({ steps: [{ id: 'a', kind: 'agent', prompt: 'do {{item}}' }] }), [
    `${SRC}: step 'a': 'prompt' refers to 'item', which only a for_each step has`,
  ]);
  assert.equal(problems({ inputs: { who: 'word' }, steps: [bash('a', { run: 'echo {{inputs.who}}' })] }), [
    `${SRC}: step 'a': 'run' holds a {{...}} placeholder, which scripts never get (values are not pasted into a script): read $SASE_IN_WHO instead`,
  ]);
  assert.equal(problems({ steps: [bash('a', { for_each: 'everything' })] }), [
    `${SRC}: step 'a': 'for_each' must name a list: steps.<id>.outputs.<key> or inputs.<name> (got 'everything')`,
  ]);
  assert.equal(problems({ steps: [bash('a', { timeout: 'soon', retries: -1 })] }), [
    `${SRC}: step 'a': 'timeout' must be seconds (a number above 0) or an age such as "30s", "20m", "2h"`,
    `${SRC}: step 'a': 'retries' must be a whole number from 0 to 100`,
  ]);
  assert.equal(problems({ name: 'other', steps: [bash('a')] }), [
    `${SRC}: name 'other' differs from the file's name 'w'`,
  ]);
  // several problems are all listed
  assert.is(problems({ foo: 1, steps: [bash('a', { colour: 1 }), { id: 'b', kind: 'nope' }] }).length, 3);
});

t("references see what is finished before: needs, through needs, and a needed parallel step's sub-steps", () => {
  const wf = valid({
    steps: [
      bash('a'),
      { id: 'p', kind: 'parallel', needs: 'a', steps: [bash('s1'), bash('s2')] },
      bash('b', { needs: 'p', if: 'steps.s1.outputs.ok', for_each: 'steps.a.outputs.items' }),
      bash('c'),
    ],
  });
  assert.equal([...stepsBefore(wf, 'b')].sort(), ['a', 'p', 's1', 's2']);
  assert.equal([...stepsBefore(wf, 'c')], []);
  assert.equal(
    runOrder(wf).map((s) => s.id),
    ['a', 'p', 'b', 'c'],
  );
  const later = valid({ steps: [bash('z', { needs: ['y'] }), bash('y'), bash('x')] });
  assert.equal(
    runOrder(later).map((s) => s.id),
    ['y', 'z', 'x'],
  );
});

t('conditions: comparisons on numbers and text, truthiness, negation', () => {
  const vals: Record<string, unknown> = {
    'inputs.n': '10',
    'steps.a.outputs.s': 'ok',
    'steps.a.outputs.list': [],
    'steps.a.outputs.f': 'false',
    'steps.a.outputs.t': true,
  };
  const ev = (text: string) =>
    evalCondition(parseCondition(text), (r) => {
      const key =
        r.kind === 'input' ? `inputs.${r.name}` : r.kind === 'output' ? `steps.${r.step}.outputs.${r.key}` : '';
      return vals[key] ?? null;
    });
  assert.is(ev('inputs.n == 10'), true);
  assert.is(ev('inputs.n > 9'), true);
  assert.is(ev('inputs.n < 9'), false);
  assert.is(ev('inputs.n >= "10"'), true);
  assert.is(ev('inputs.n <= 2'), false);
  assert.is(ev('steps.a.outputs.s == "ok"'), true);
  assert.is(ev("steps.a.outputs.s != 'ok'"), false);
  assert.is(ev('steps.a.outputs.s'), true);
  assert.is(ev('steps.a.outputs.list'), false);
  assert.is(ev('steps.a.outputs.f'), false);
  assert.is(ev('!steps.a.outputs.f'), true);
  assert.is(ev('not steps.a.outputs.s'), false);
  assert.is(ev('steps.a.outputs.t == true'), true);
  assert.is(ev('steps.a.outputs.missing == null'), true);
  assert.is(ev('steps.a.outputs.missing > 1'), false);
  assert.throws(() => parseCondition('steps.a.outputs.s =='), /a value missing/);
  assert.throws(() => parseCondition('"unterminated'), /unterminated/);
});

t('templates: references put in, other braces left alone; bad ones named', () => {
  const text =
    'Fix {{inputs.issue}} using {{ steps.plan.outputs.files }} ({{steps.plan.outputs.meta.depth}}) {{other}}';
  assert.equal(templateRefs(text).refs.length, 3);
  const out = renderTemplate(text, (r) =>
    r.kind === 'input' ? 'the bug' : r.kind === 'output' && r.path.length ? 2 : r.kind === 'output' ? ['a', 'b'] : null,
  );
  assert.is(out, 'Fix the bug using ["a","b"] (2) {{other}}');
  assert.equal(templateRefs('{{steps.x}} {{inputs.}}').bad, ['{{steps.x}}', '{{inputs.}}']);
});

t('script outputs: a JSON object, else key=value lines, else text', () => {
  assert.equal(parseOutputs('{"a": 1, "b": [1, 2]}\n'), { a: 1, b: [1, 2] });
  assert.equal(parseOutputs('status=ok\nfiles=a.txt,b.txt\n\n'), { status: 'ok', files: 'a.txt,b.txt' });
  assert.equal(parseOutputs('hello world\nstatus=ok\n'), { text: 'hello world\nstatus=ok' });
  assert.equal(parseOutputs('[1, 2]\n'), { text: '[1, 2]' });
  assert.equal(parseOutputs(''), {});
});

t(
  "agent outputs: the last JSON object it said, else its final text; tools' output and events' bookkeeping do not count",
  () => {
    const fixture = [
      JSON.stringify({ type: 'start', env: {} }),
      JSON.stringify({ type: 'say', text: '{"plan": "one"}' }),
      JSON.stringify({ type: 'step', action: 'run', output: '{"not": "this"}' }),
      JSON.stringify({ type: 'say', text: '{"plan": "two", "n": 2}' }),
      JSON.stringify({ type: 'say', text: 'all done' }),
      JSON.stringify({ type: 'done', commits: [] }),
    ].join('\n');
    assert.equal(agentOutput(fixture), { plan: 'two', n: 2 });
    const textOnly = [
      JSON.stringify({ type: 'say', text: 'first' }),
      JSON.stringify({ type: 'say', text: 'the answer is 42' }),
      JSON.stringify({ type: 'done' }),
    ].join('\n');
    assert.equal(agentOutput(textOnly), { text: 'the answer is 42' });
    const claude = [
      JSON.stringify({ type: 'system', subtype: 'init' }),
      JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', content: '{"from": "a tool"}' }] } }),
      JSON.stringify({
        type: 'assistant',
        message: { content: [{ type: 'text', text: 'Here:\n```json\n{"ok": true}\n```' }] },
      }),
      JSON.stringify({ type: 'result', result: 'Here:\n```json\n{"ok": true}\n```' }),
    ].join('\n');
    assert.equal(agentOutput(claude), { ok: true });
    const codex = [
      JSON.stringify({ type: 'thread.started' }),
      JSON.stringify({ type: 'item.completed', item: { type: 'agent_message', text: 'plain words' } }),
    ].join('\n');
    assert.equal(agentOutput(codex), { text: 'plain words' });
    assert.equal(agentOutput('Some text\n{"answer": 1}\nmore text\n'), { answer: 1 });
    assert.equal(agentOutput('just\nlines\n'), { text: 'just\nlines' });
    assert.equal(agentOutput(''), {});
  },
);

t('#!name(k=v) in a prompt', () => {
  assert.equal(parseInvocation('#!deploy'), { name: 'deploy', inputs: [] });
  assert.equal(parseInvocation('  #!deploy()\n'), { name: 'deploy', inputs: [] });
  assert.equal(parseInvocation("#!fix(issue=\"a, b\", n=3, who='x\\'y')"), {
    name: 'fix',
    inputs: [
      ['issue', 'a, b'],
      ['n', '3'],
      ['who', "x'y"],
    ],
  });
  assert.is(parseInvocation('#!deploy now please'), null);
  assert.is(parseInvocation('please #!deploy'), null);
  assert.is(parseInvocation('#deploy'), null);
  assert.throws(
    () => parseInvocation('#!fix(3)'),
    (e: unknown) => e instanceof UsageError && /expected <input>=<value>/.test((e as Error).message),
  );
  assert.throws(
    () => parseInvocation('#!fix(a="open)'),
    (e: unknown) => e instanceof UsageError,
  );
});

t('inputs bound: types checked, defaults filled, unknown and missing ones refused', () => {
  const wf = valid({
    inputs: { n: 'int', who: { type: 'word', default: 'me' }, on: { type: 'bool', default: false } },
    steps: [bash('a')],
  });
  assert.equal(bindInputs(wf, [['n', '+7']]), { n: '7', who: 'me', on: 'false' });
  assert.throws(() => bindInputs(wf, [['n', 'x']]), /workflow 'w': input 'n' expects an int, got 'x'/);
  assert.throws(() => bindInputs(wf, []), /missing required input 'n'/);
  assert.throws(
    () =>
      bindInputs(wf, [
        ['n', '1'],
        ['zz', '1'],
      ]),
    /workflow 'w' has no input 'zz'/,
  );
  assert.throws(
    () =>
      bindInputs(wf, [
        ['n', '1'],
        ['n', '2'],
      ]),
    /given twice/,
  );
  assert.throws(
    () =>
      bindInputs(wf, [
        ['n', '1'],
        ['who', 'two words'],
      ]),
    /expects a word/,
  );
});

function sampleRun(): WfRun {
  const wf = valid({
    inputs: { topic: 'line' },
    steps: [
      bash('a'),
      { id: 'p', kind: 'parallel', needs: 'a', steps: [bash('s1'), bash('s2')] },
      bash('each', { needs: 'a', for_each: 'steps.a.outputs.items' }),
      { id: 'ok', kind: 'approval', needs: 'p' },
    ],
  });
  return newWfRun({
    id: 'w-abcdefgh',
    workflow: wf,
    source: SRC,
    inputs: { topic: 'cats' },
    at: '2026-01-01T00:00:00Z',
    provider: null,
    model: null,
  });
}

t('the run record: next step, instances, resume resets only what did not finish', () => {
  let run = sampleRun();
  assert.equal(
    run.steps.map((s) => [s.id, s.parent, s.state]),
    [
      ['a', null, 'pending'],
      ['p', null, 'pending'],
      ['s1', 'p', 'pending'],
      ['s2', 'p', 'pending'],
      ['each', null, 'pending'],
      ['ok', null, 'pending'],
    ],
  );
  assert.is(nextStep(run)!.id, 'a');
  run = withStep(run, 'a', { state: 'done', outputs: { items: ['x', 'y'], status: 'ok', 'odd key!': 1 } });
  assert.is(nextStep(run)!.id, 'p');
  run = withStep(run, 's1', {
    state: 'done',
    attempts: [
      { n: 1, started_at: 't', ended_at: 't', state: 'done', error: null, exit_code: 0, seconds: 1, agent_run: null },
    ],
  });
  run = withStep(run, 's2', {
    state: 'failed',
    error: 'exit code 1',
    attempts: [
      {
        n: 1,
        started_at: 't',
        ended_at: 't',
        state: 'failed',
        error: 'exit code 1',
        exit_code: 1,
        seconds: 1,
        agent_run: null,
      },
    ],
  });
  run = withStep(run, 'p', { state: 'failed' });
  run = { ...run, status: 'failed', error: "step 'p' failed" };
  const items = forEachItems(resolver(run)({ kind: 'output', step: 'a', key: 'items', path: [] }));
  assert.equal(items, ['x', 'y']);
  run = withInstances(run, 'each', items as unknown[]);
  assert.equal(
    run.steps.filter((s) => s.parent === 'each').map((s) => [s.id, s.index, s.item]),
    [
      ['each[0]', 0, 'x'],
      ['each[1]', 1, 'y'],
    ],
  );
  const resumed = resetForResume(run, '2026-01-01T00:01:00Z');
  assert.is(resumed.status, 'running');
  assert.is(resumed.resumes, 1);
  assert.equal(resumed.steps.map((s) => [s.id, s.state]).slice(0, 4), [
    ['a', 'done'],
    ['p', 'pending'],
    ['s1', 'done'],
    ['s2', 'pending'],
  ]);
  assert.is(stepRecord(resumed, 's2')!.attempts.length, 1);
  assert.is(nextStep(resumed)!.id, 'p');
  assert.equal(forEachItems('["j"]'), ['j']);
  assert.is(forEachItems('j, k'), 'a text that is not a JSON list');
});

t("a script's environment and context: inputs and finished steps' outputs, never pasted", () => {
  let run = sampleRun();
  run = withStep(run, 'a', { state: 'done', outputs: { items: ['x'], status: 'ok', 'odd key!': 1 } });
  run = withInstances(run, 'each', ['x']);
  const inst = stepRecord(run, 'each[0]')!;
  const env = stepEnv(run, inst);
  assert.is(env.SASE_IN_TOPIC, 'cats');
  assert.is(env.SASE_STEP_A_STATUS, 'ok');
  assert.is(env.SASE_STEP_A_ITEMS, '["x"]');
  assert.is(env.SASE_ITEM, 'x');
  assert.is(env.SASE_INDEX, '0');
  assert.is(env.SASE_WF_STEP, 'each[0]');
  assert.not.ok(Object.keys(env).some((k) => k.includes('ODD')));
  const ctx = contextOf(run, inst) as Record<string, any>;
  assert.is(ctx.step, 'each[0]');
  assert.is(ctx.item, 'x');
  assert.equal(ctx.steps.a.outputs['odd key!'], 1);
  assert.equal(ctx.inputs, { topic: 'cats' });
});

t.run();
