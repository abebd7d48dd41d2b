// Agent providers: the external agent CLIs sase can run, as argument arrays
// with {prompt}, {model} and {session} placeholders. The built-in table below
// is merged with `[providers.<name>]` from config; no provider is special in
// code. Arguments are built as arrays and never pass through a shell.
import { FatalError, UsageError } from '../errors.ts';

export type PromptMode = 'stdin' | 'arg';

export interface Provider {
  name: string;
  /** the program and its arguments; {session} here means sase assigns the session id */
  command: string[];
  /** how the prompt reaches the agent: on stdin, or as the {prompt} argument */
  prompt: PromptMode;
  /** the command that continues a stored session ({session}), or null when the provider cannot resume */
  resume: string[] | null;
  /** extra environment for the agent */
  env: Record<string, string>;
  /** arguments added when a model is given (must hold {model}); null: the provider takes no model */
  model_flag: string[] | null;
  /** shipped with sase (as opposed to defined in config only) */
  builtin: boolean;
  /** the example agent: no model, scripted instructions; for demos and first steps */
  example: boolean;
}

export type ProviderTable = Map<string, Provider>;

export interface ArgvValues {
  prompt?: string;
  model?: string | null;
  session?: string | null;
}

export const PLACEHOLDERS = ['prompt', 'model', 'session'] as const;
const PLACEHOLDER_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const KEYS = ['command', 'prompt', 'resume', 'env', 'model_flag'];
const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const MODEL_FLAG = ['--model', '{model}'];

// Flags as each CLI documents its print / headless mode. The permission flags
// follow how the original sase ran claude and codex: runs happen in their own
// worktree with nobody there to answer a permission prompt.
const BUILTINS: Array<Omit<Provider, 'builtin' | 'example' | 'env'> & { example?: boolean }> = [
  {
    name: 'claude',
    command: [
      'claude',
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--dangerously-skip-permissions',
      '--session-id',
      '{session}',
    ],
    prompt: 'stdin',
    resume: [
      'claude',
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--dangerously-skip-permissions',
      '--resume',
      '{session}',
    ],
    model_flag: MODEL_FLAG,
  },
  {
    // codex picks its own session (thread) id and reports it in its JSON events
    name: 'codex',
    command: [
      'codex',
      'exec',
      '--json',
      '--color',
      'never',
      '--skip-git-repo-check',
      '--dangerously-bypass-approvals-and-sandbox',
      '-',
    ],
    prompt: 'stdin',
    resume: [
      'codex',
      'exec',
      'resume',
      '--json',
      '--skip-git-repo-check',
      '--dangerously-bypass-approvals-and-sandbox',
      '{session}',
      '-',
    ],
    model_flag: MODEL_FLAG,
  },
  {
    // headless when stdin is not a terminal; the session id comes in the 'init' event.
    // --skip-trust: in a folder it has not been told to trust (every new
    // workspace) gemini quietly turns --yolo back into asking, and nobody answers
    name: 'gemini',
    command: ['gemini', '--output-format', 'stream-json', '--yolo', '--skip-trust'],
    prompt: 'stdin',
    resume: ['gemini', '--output-format', 'stream-json', '--yolo', '--skip-trust', '--resume', '{session}'],
    model_flag: MODEL_FLAG,
  },
  {
    name: 'qwen',
    command: ['qwen', '--output-format', 'stream-json', '--yolo'],
    prompt: 'stdin',
    resume: ['qwen', '--output-format', 'stream-json', '--yolo', '--resume', '{session}'],
    model_flag: MODEL_FLAG,
  },
  {
    // `opencode run` appends piped stdin to its message; models are provider/model.
    // --auto: without it every permission request is rejected, unasked
    name: 'opencode',
    command: ['opencode', 'run', '--format', 'json', '--auto'],
    prompt: 'stdin',
    resume: ['opencode', 'run', '--format', 'json', '--auto', '--session', '{session}'],
    model_flag: MODEL_FLAG,
  },
  {
    name: 'example',
    command: ['sase-example-agent', '--session', '{session}'],
    prompt: 'stdin',
    resume: ['sase-example-agent', '--resume', '{session}'],
    model_flag: null,
    example: true,
  },
];

/** The providers shipped with sase, before config. */
export function builtinProviders(): ProviderTable {
  return new Map(
    BUILTINS.map((b) => [
      b.name,
      {
        ...b,
        command: [...b.command],
        resume: b.resume && [...b.resume],
        model_flag: b.model_flag && [...b.model_flag],
        env: {},
        builtin: true,
        example: b.example ?? false,
      },
    ]),
  );
}

function placeholdersIn(arg: string): string[] {
  return [...arg.matchAll(PLACEHOLDER_RE)].map((m) => m[1]!);
}

function argArray(value: unknown, where: string, source: string, allowed: readonly string[]): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((a) => typeof a === 'string')) {
    throw new FatalError(`${source}: '${where}' must be a non-empty array of strings`);
  }
  if (!value[0] || placeholdersIn(value[0]).length)
    throw new FatalError(`${source}: '${where}' must start with a program name (no placeholder)`);
  for (const arg of value as string[]) {
    for (const p of placeholdersIn(arg)) {
      if (!allowed.includes(p))
        throw new FatalError(
          `${source}: '${where}' has unknown placeholder '{${p}}' (allowed: ${allowed.map((a) => `{${a}}`).join(', ')})`,
        );
    }
  }
  return [...(value as string[])];
}

/**
 * Checks the `[providers]` table of one config file: each entry's keys and
 * their values. Unknown keys are errors naming `providers.<name>.<key>`.
 */
export function checkProvidersConfig(section: unknown, source: string): void {
  if (!section || typeof section !== 'object' || Array.isArray(section))
    throw new FatalError(`${source}: 'providers' must be a table`);
  for (const [name, body] of Object.entries(section as Record<string, unknown>)) {
    if (!NAME_RE.test(name))
      throw new FatalError(`${source}: provider name '${name}' must be lower-case letters, digits, '_' and '-'`);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new FatalError(`${source}: 'providers.${name}' must be a table`);
    const entry = body as Record<string, unknown>;
    for (const key of Object.keys(entry))
      if (!KEYS.includes(key)) throw new FatalError(`${source}: unknown key 'providers.${name}.${key}'`);
    if (entry.prompt !== undefined && entry.prompt !== 'stdin' && entry.prompt !== 'arg') {
      throw new FatalError(
        `${source}: 'providers.${name}.prompt' must be "stdin" or "arg" (got ${JSON.stringify(entry.prompt)})`,
      );
    }
    if (entry.command !== undefined) argArray(entry.command, `providers.${name}.command`, source, PLACEHOLDERS);
    if (entry.resume !== undefined) argArray(entry.resume, `providers.${name}.resume`, source, PLACEHOLDERS);
    if (entry.model_flag !== undefined) {
      if (!Array.isArray(entry.model_flag) || !entry.model_flag.every((a) => typeof a === 'string')) {
        throw new FatalError(`${source}: 'providers.${name}.model_flag' must be an array of strings`);
      }
      const used = (entry.model_flag as string[]).flatMap(placeholdersIn);
      if (used.some((p) => p !== 'model'))
        throw new FatalError(`${source}: 'providers.${name}.model_flag' may only use '{model}'`);
      if (entry.model_flag.length && !used.includes('model'))
        throw new FatalError(`${source}: 'providers.${name}.model_flag' must use '{model}'`);
    }
    if (entry.env !== undefined) {
      if (!entry.env || typeof entry.env !== 'object' || Array.isArray(entry.env))
        throw new FatalError(`${source}: 'providers.${name}.env' must be a table`);
      for (const [k, v] of Object.entries(entry.env as Record<string, unknown>)) {
        if (!ENV_NAME_RE.test(k))
          throw new FatalError(`${source}: 'providers.${name}.env' has a bad variable name '${k}'`);
        if (typeof v !== 'string') throw new FatalError(`${source}: 'providers.${name}.env.${k}' must be a string`);
      }
    }
  }
}

/**
 * The built-in table with config's `[providers.<name>]` over it: a key given
 * replaces the built-in's; a new name needs a command. The merged entries are
 * checked as a whole ({prompt} in the command exactly when prompt = "arg").
 */
export function mergeProviders(base: ProviderTable, section: unknown, source = 'config'): ProviderTable {
  const out: ProviderTable = new Map([...base].map(([k, v]) => [k, { ...v }]));
  if (section === undefined || section === null) return out;
  checkProvidersConfig(section, source);
  for (const [name, body] of Object.entries(section as Record<string, Record<string, unknown>>)) {
    const had = out.get(name);
    if (!had && body.command === undefined)
      throw new FatalError(`${source}: 'providers.${name}.command' is required for a provider sase does not know`);
    const p: Provider = had
      ? { ...had }
      : { name, command: [], prompt: 'stdin', resume: null, env: {}, model_flag: null, builtin: false, example: false };
    if (body.command !== undefined) p.command = [...(body.command as string[])];
    if (body.prompt !== undefined) p.prompt = body.prompt as PromptMode;
    if (body.resume !== undefined) p.resume = [...(body.resume as string[])];
    if (body.model_flag !== undefined)
      p.model_flag = (body.model_flag as string[]).length ? [...(body.model_flag as string[])] : null;
    if (body.env !== undefined) p.env = { ...p.env, ...(body.env as Record<string, string>) };
    if (had && body.command !== undefined) p.example = false; // a replaced command is no longer sase's example agent
    const usesPrompt = p.command.some((a) => placeholdersIn(a).includes('prompt'));
    if (p.prompt === 'arg' && !usesPrompt)
      throw new FatalError(`${source}: 'providers.${name}' has prompt = "arg" but its command has no '{prompt}'`);
    if (p.prompt === 'stdin' && usesPrompt)
      throw new FatalError(
        `${source}: 'providers.${name}' has '{prompt}' in its command but prompt = "stdin" (set prompt = "arg")`,
      );
    out.set(name, p);
  }
  return out;
}

/** The provider called `name`; an unknown name is a usage error naming the known ones. */
export function providerNamed(name: string, table: ProviderTable): Provider {
  const p = table.get(name);
  if (!p) throw new UsageError(`unknown provider '${name}' (known: ${[...table.keys()].join(', ')})`);
  return p;
}

/** Whether sase gives the provider its session id (the command uses {session}); otherwise the provider reports one. */
export function assignsSession(p: Provider): boolean {
  return p.command.some((a) => placeholdersIn(a).includes('session'));
}

/** Whether the provider's command is the program sase ships as its example agent. */
export function isExample(p: Provider): boolean {
  return p.example;
}

function fill(arg: string, values: Record<string, string | null | undefined>, what: (p: string) => string): string {
  return arg.replace(PLACEHOLDER_RE, (_m, p: string) => {
    const v = values[p];
    if (v === undefined || v === null) throw new UsageError(what(p));
    return v;
  });
}

/** The program a provider's command (or its resume command) runs: the first word, which holds no placeholder. */
export function programOf(provider: Provider, opts: { resume?: boolean } = {}): string {
  const template = opts.resume ? provider.resume : provider.command;
  if (!template) throw new UsageError(`provider '${provider.name}' cannot resume a session (it has no resume command)`);
  return template[0]!;
}

/**
 * Checks, before anything is written, that a run of `provider` with `model`
 * can be built as it will be when it starts: a model it cannot take, or none
 * where its command uses {model}, is a usage error now. The prompt and the
 * session are given then (sase assigns a session, or the earlier run had one).
 */
export function checkRunArgv(provider: Provider, model: string | null, opts: { resume?: boolean } = {}): void {
  argvFor(provider, { prompt: '', model, session: 'session' }, opts);
}

/**
 * The argument array for one run of `provider` (its resume command with
 * `resume`): placeholders replaced, whole-argument or inside one, and the
 * model arguments added when a model is given, just before the {prompt}
 * argument or a closing '-' (the stdin marker), else at the end. Values are
 * inserted as they are: one argument stays one argument, whatever it holds.
 */
export function argvFor(provider: Provider, values: ArgvValues, opts: { resume?: boolean } = {}): string[] {
  const template = opts.resume ? provider.resume : provider.command;
  if (!template) throw new UsageError(`provider '${provider.name}' cannot resume a session (it has no resume command)`);
  const model = values.model || null;
  const vals: Record<string, string | null | undefined> = {
    prompt: provider.prompt === 'arg' ? values.prompt : undefined,
    model,
    session: values.session,
  };
  const missing = (p: string) =>
    p === 'prompt'
      ? `provider '${provider.name}' needs the prompt as an argument`
      : p === 'model'
        ? `provider '${provider.name}' needs a model (its command uses '{model}')`
        : `provider '${provider.name}' needs a session id for '{session}'`;
  let args = [...template];
  if (model) {
    const usesModel = args.some((a) => placeholdersIn(a).includes('model'));
    if (!usesModel) {
      if (!provider.model_flag) throw new UsageError(`provider '${provider.name}' takes no model (got '${model}')`);
      let at = args.findIndex((a, i) => i > 0 && a === '{prompt}');
      if (at < 0 && args.length > 1 && args[args.length - 1] === '-') at = args.length - 1;
      if (at < 0) at = args.length;
      args = [...args.slice(0, at), ...provider.model_flag, ...args.slice(at)];
    }
  }
  return args.map((a) => fill(a, vals, missing));
}
