import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  argvFor,
  assignsSession,
  builtinProviders,
  checkProvidersConfig,
  checkRunArgv,
  mergeProviders,
  type ProviderTable,
  programOf,
  providerNamed,
} from '../../src/core/agents/providers.ts';
import { FatalError, UsageError } from '../../src/core/errors.ts';

const t = suite('core/providers');
const table = (section?: unknown): ProviderTable => mergeProviders(builtinProviders(), section, 'cfg.toml');

function throwsWith(fn: () => unknown, type: new (...args: never[]) => Error, message: string): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, type);
    assert.is((err as Error).message, message);
    return;
  }
  assert.unreachable(`expected: ${message}`);
}

t('the built-in table: claude, codex, gemini, qwen, opencode and the example agent', () => {
  const b = builtinProviders();
  assert.equal([...b.keys()], ['claude', 'codex', 'gemini', 'qwen', 'opencode', 'example']);
  for (const p of b.values()) {
    assert.ok(p.builtin);
    assert.is(p.prompt, 'stdin', `${p.name} takes its prompt on stdin`);
    assert.ok(p.resume?.includes('{session}'), `${p.name} can resume`);
  }
  assert.equal(b.get('example')!.command[0], 'sase-example-agent');
  assert.ok(b.get('example')!.example);
  assert.not.ok(b.get('claude')!.example);
  // sase gives claude its session id; codex reports its own
  assert.ok(assignsSession(b.get('claude')!));
  assert.not.ok(assignsSession(b.get('codex')!));
});

t('claude: print mode, stream-json, the session id given; --model only when a model is given', () => {
  const claude = providerNamed('claude', builtinProviders());
  const argv = argvFor(claude, { prompt: 'do it', session: '0b9e6c1e-1d1c-4a8e-9a51-3f2f1c0a0b0c' });
  assert.is(argv[0], 'claude');
  assert.ok(argv.includes('-p'));
  assert.equal(argv.slice(argv.indexOf('--output-format'), argv.indexOf('--output-format') + 2), [
    '--output-format',
    'stream-json',
  ]);
  assert.ok(argv.includes('--verbose'));
  assert.equal(argv.slice(-2), ['--session-id', '0b9e6c1e-1d1c-4a8e-9a51-3f2f1c0a0b0c']);
  assert.not.ok(argv.includes('--model'));
  assert.not.ok(argv.includes('do it'), 'the prompt goes on stdin');
  const withModel = argvFor(claude, { prompt: 'x', model: 'opus', session: 's' });
  assert.equal(withModel.slice(-2), ['--model', 'opus']);
  const resume = argvFor(claude, { session: 's-1' }, { resume: true });
  assert.equal(resume.slice(-2), ['--resume', 's-1']);
});

t(
  'codex: exec with --json, the prompt on stdin; the model before the closing -; resume is exec resume <session>',
  () => {
    const codex = builtinProviders().get('codex')!;
    const argv = argvFor(codex, { prompt: 'p', model: 'gpt-5' });
    assert.equal(argv.slice(0, 2), ['codex', 'exec']);
    assert.ok(argv.includes('--json'));
    assert.equal(argv.slice(-3), ['--model', 'gpt-5', '-']);
    const resume = argvFor(codex, { session: 'thread-9' }, { resume: true });
    assert.equal(resume.slice(0, 3), ['codex', 'exec', 'resume']);
    assert.equal(resume.slice(-2), ['thread-9', '-']);
    throwsWith(
      () => argvFor(codex, {}, { resume: true }),
      UsageError,
      "provider 'codex' needs a session id for '{session}'",
    );
  },
);

t(
  'gemini trusts the workspace (--skip-trust, else --yolo is turned back into asking); opencode approves (--auto)',
  () => {
    const b = builtinProviders();
    const gemini = b.get('gemini')!;
    for (const argv of [argvFor(gemini, { prompt: 'p' }), argvFor(gemini, { session: 's' }, { resume: true })]) {
      assert.ok(argv.includes('--yolo'), argv.join(' '));
      assert.ok(argv.includes('--skip-trust'), argv.join(' '));
    }
    const opencode = b.get('opencode')!;
    assert.equal(argvFor(opencode, { prompt: 'p' }), ['opencode', 'run', '--format', 'json', '--auto']);
    assert.equal(argvFor(opencode, { session: 'ses_1' }, { resume: true }), [
      'opencode',
      'run',
      '--format',
      'json',
      '--auto',
      '--session',
      'ses_1',
    ]);
  },
);

t('a prompt given as an argument stays one argument, whole or inside one, whatever it holds', () => {
  const p = table({
    mine: {
      command: ['my-agent', '--message={prompt}', '--', '{prompt}'],
      prompt: 'arg',
      model_flag: ['-m', '{model}'],
    },
  }).get('mine')!;
  const evil = `it's "quoted"; $(rm -rf /) \`x\` {model} \n next line`;
  const argv = argvFor(p, { prompt: evil, model: 'm1' });
  assert.equal(argv, ['my-agent', '--message=' + evil, '--', '-m', 'm1', evil]);
  // a value holding a placeholder's text is not expanded again
  assert.equal(argvFor(p, { prompt: '{session}' }), ['my-agent', '--message={session}', '--', '{session}']);
});

t('{model} in the command itself: needed, and then model_flag is not added', () => {
  const p = table({ fixed: { command: ['agent', '--model={model}'] } }).get('fixed')!;
  assert.equal(argvFor(p, { model: 'big' }), ['agent', '--model=big']);
  throwsWith(() => argvFor(p, {}), UsageError, "provider 'fixed' needs a model (its command uses '{model}')");
});

t('programOf and checkRunArgv: the program without expanding anything; the arguments as they will be built', () => {
  const p = table({
    fixed: {
      command: ['agent', '--model={model}', '--session={session}'],
      resume: ['agent', '-r', '{session}', '-m', '{model}'],
    },
  }).get('fixed')!;
  assert.is(programOf(p), 'agent');
  assert.is(programOf(p, { resume: true }), 'agent');
  checkRunArgv(p, 'big');
  checkRunArgv(p, 'big', { resume: true });
  throwsWith(() => checkRunArgv(p, null), UsageError, "provider 'fixed' needs a model (its command uses '{model}')");
  throwsWith(
    () => checkRunArgv(p, null, { resume: true }),
    UsageError,
    "provider 'fixed' needs a model (its command uses '{model}')",
  );
  const b = table({});
  throwsWith(() => checkRunArgv(b.get('example')!, 'x'), UsageError, "provider 'example' takes no model (got 'x')");
  checkRunArgv(b.get('claude')!, null);
  checkRunArgv(b.get('claude')!, 'opus', { resume: true });
  const plain = table({ plain: { command: ['plain-agent'] } }).get('plain')!;
  throwsWith(
    () => programOf(plain, { resume: true }),
    UsageError,
    "provider 'plain' cannot resume a session (it has no resume command)",
  );
});

t('a provider with no model_flag refuses a model; one with no resume command cannot resume', () => {
  const b = table({ plain: { command: ['plain-agent'] } });
  throwsWith(
    () => argvFor(b.get('example')!, { model: 'x', session: 's' }),
    UsageError,
    "provider 'example' takes no model (got 'x')",
  );
  throwsWith(() => argvFor(b.get('plain')!, { model: 'x' }), UsageError, "provider 'plain' takes no model (got 'x')");
  throwsWith(
    () => argvFor(b.get('plain')!, { session: 's' }, { resume: true }),
    UsageError,
    "provider 'plain' cannot resume a session (it has no resume command)",
  );
  assert.equal(argvFor(b.get('plain')!, { prompt: 'p' }), ['plain-agent']);
});

t('config over the built-ins: a key given replaces the built-in one, env is merged, a new name needs a command', () => {
  const b = table({
    claude: { command: ['/opt/claude/bin/claude', '-p', '--session-id', '{session}'], env: { A: '1' } },
    example: { command: ['test/fixtures/agent'] },
    mine: {
      command: ['mine'],
      resume: ['mine', '--continue', '{session}'],
      prompt: 'stdin',
      env: { B: 'two' },
      model_flag: ['--llm', '{model}'],
    },
  });
  const claude = b.get('claude')!;
  assert.equal(claude.command, ['/opt/claude/bin/claude', '-p', '--session-id', '{session}']);
  assert.equal(claude.resume, builtinProviders().get('claude')!.resume, 'resume kept');
  assert.equal(claude.env, { A: '1' });
  assert.ok(claude.builtin);
  assert.not.ok(b.get('example')!.example, 'a replaced command is not the example agent any more');
  const mine = b.get('mine')!;
  assert.equal(mine, {
    name: 'mine',
    command: ['mine'],
    prompt: 'stdin',
    resume: ['mine', '--continue', '{session}'],
    env: { B: 'two' },
    model_flag: ['--llm', '{model}'],
    builtin: false,
    example: false,
  });
  assert.equal([...b.keys()], ['claude', 'codex', 'gemini', 'qwen', 'opencode', 'example', 'mine']);
  throwsWith(
    () => table({ nope: { prompt: 'arg' } }),
    FatalError,
    "cfg.toml: 'providers.nope.command' is required for a provider sase does not know",
  );
  // the built-in table itself is never changed by a merge
  assert.equal(builtinProviders().get('claude')!.env, {});
});

t('validation: unknown keys name providers.<name>.<key>; bad values name their key', () => {
  const bad: Array<[unknown, string]> = [
    [{ claude: { bogus: 1 } }, "cfg.toml: unknown key 'providers.claude.bogus'"],
    [{ x: { command: 'claude -p' } }, "cfg.toml: 'providers.x.command' must be a non-empty array of strings"],
    [{ x: { command: [] } }, "cfg.toml: 'providers.x.command' must be a non-empty array of strings"],
    [{ x: { command: ['a', 3] } }, "cfg.toml: 'providers.x.command' must be a non-empty array of strings"],
    [
      { x: { command: ['{prompt}'], prompt: 'arg' } },
      "cfg.toml: 'providers.x.command' must start with a program name (no placeholder)",
    ],
    [
      { x: { command: ['a', '--x={file}'] } },
      "cfg.toml: 'providers.x.command' has unknown placeholder '{file}' (allowed: {prompt}, {model}, {session})",
    ],
    [
      { x: { command: ['a'], resume: ['a', '{id}'] } },
      "cfg.toml: 'providers.x.resume' has unknown placeholder '{id}' (allowed: {prompt}, {model}, {session})",
    ],
    [{ x: { command: ['a'], prompt: 'file' } }, `cfg.toml: 'providers.x.prompt' must be "stdin" or "arg" (got "file")`],
    [
      { x: { command: ['a'], prompt: 'arg' } },
      `cfg.toml: 'providers.x' has prompt = "arg" but its command has no '{prompt}'`,
    ],
    [
      { x: { command: ['a', '{prompt}'] } },
      `cfg.toml: 'providers.x' has '{prompt}' in its command but prompt = "stdin" (set prompt = "arg")`,
    ],
    [{ x: { command: ['a'], model_flag: ['--model'] } }, "cfg.toml: 'providers.x.model_flag' must use '{model}'"],
    [
      { x: { command: ['a'], model_flag: ['--m', '{session}'] } },
      "cfg.toml: 'providers.x.model_flag' may only use '{model}'",
    ],
    [{ x: { command: ['a'], env: { 'A-B': '1' } } }, "cfg.toml: 'providers.x.env' has a bad variable name 'A-B'"],
    [{ x: { command: ['a'], env: { A: 1 } } }, "cfg.toml: 'providers.x.env.A' must be a string"],
    [
      { 'Bad/Name': { command: ['a'] } },
      "cfg.toml: provider name 'Bad/Name' must be lower-case letters, digits, '_' and '-'",
    ],
    [{ x: 'claude' }, "cfg.toml: 'providers.x' must be a table"],
  ];
  for (const [section, message] of bad) throwsWith(() => table(section), FatalError, message);
  // JSON-ish braces are not placeholders
  checkProvidersConfig({ x: { command: ['a', '-c', 'k={"a":1}'] } }, 'cfg.toml');
});

t('providerNamed: an unknown provider is a usage error naming the known ones', () => {
  const b = table({ mine: { command: ['mine'] } });
  assert.is(providerNamed('codex', b).name, 'codex');
  throwsWith(
    () => providerNamed('claud', b),
    UsageError,
    "unknown provider 'claud' (known: claude, codex, gemini, qwen, opencode, example, mine)",
  );
  try {
    providerNamed('x', b);
  } catch (err) {
    assert.is((err as UsageError).exitCode, 129);
  }
});

t.run();
