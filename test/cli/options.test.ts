// The options a command's run gets are what its type says (CommandOptions in
// src/cli/spec.ts): the compiler reads the type of each spec's run options,
// parseArgv is run on the spec, and the two must agree: the same keys; each
// undefined when not given exactly when the type allows undefined; each given
// value of the type's kind (a boolean, a number, the string as given, one of
// the choices and nothing else, a list). A default of the wrong type, a key
// parseArgv files elsewhere, or a spec not made with defineCommand (whose run
// would get untyped options) fails here.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../../scripts/gen.ts';
import { parseArgv } from '../../src/cli/main.ts';
import { allOptions, type CommandSpec, type OptionValue, optionKey, optionLongFlag } from '../../src/cli/spec.ts';
import { UsageError } from '../../src/core/errors.ts';

const t = suite('typed options');

const files = [
  ...readdirSync(join(ROOT, 'src', 'commands'))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => join(ROOT, 'src', 'commands', f)),
  join(ROOT, 'test', 'cli', 'option-probe.ts'),
].sort();

/** What the type says of one option. */
interface Expected {
  undef: boolean;
  kind: 'boolean' | 'number' | 'string' | 'list' | 'unknown';
  /** the only strings it may be (or hold, for a list); null for any string */
  choices: string[] | null;
}

const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
const { options: compilerOptions } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
const program = ts.createProgram(files, compilerOptions);
const checker = program.getTypeChecker();

function strings(parts: readonly ts.Type[]): string[] | null | undefined {
  if (!parts.every((p) => p.flags & ts.TypeFlags.StringLike)) return undefined;
  if (parts.some((p) => p.flags & ts.TypeFlags.String)) return null;
  return parts.map((p) => (p as ts.StringLiteralType).value).sort();
}

function expected(type: ts.Type): Expected {
  const parts = type.isUnion() ? type.types : [type];
  const undef = parts.some((p) => p.flags & ts.TypeFlags.Undefined);
  const rest = parts.filter((p) => !(p.flags & ts.TypeFlags.Undefined));
  if (rest.length && rest.every((p) => p.flags & ts.TypeFlags.BooleanLike))
    return { undef, kind: 'boolean', choices: null };
  if (rest.length && rest.every((p) => p.flags & ts.TypeFlags.NumberLike))
    return { undef, kind: 'number', choices: null };
  const s = strings(rest);
  if (rest.length && s !== undefined) return { undef, kind: 'string', choices: s };
  if (rest.length === 1 && checker.isArrayType(rest[0]!)) {
    const [item] = checker.getTypeArguments(rest[0] as ts.TypeReference);
    const l = item ? strings(item.isUnion() ? item.types : [item]) : undefined;
    if (l !== undefined) return { undef, kind: 'list', choices: l };
  }
  return { undef, kind: 'unknown', choices: null };
}

/** The type of the options the run of the spec in `file` gets, key by key; a string when it has none to read. */
function typedOptions(file: string): Map<string, Expected> | string {
  const source = program.getSourceFile(file);
  if (!source) return 'not in the program';
  let call: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.name.getText(source) === 'spec' && n.initializer) {
      if (ts.isCallExpression(n.initializer) && n.initializer.expression.getText(source) === 'defineCommand')
        call = n.initializer;
    } else n.forEachChild(visit);
  };
  source.forEachChild(visit);
  if (!call) return "its spec is not made with defineCommand(...): its run's options are untyped";
  const param = checker.getResolvedSignature(call)?.getParameters()[0];
  const run = param && checker.getTypeOfSymbolAtLocation(param, call).getProperty('run');
  const opts = run && checker.getTypeOfSymbolAtLocation(run, call).getCallSignatures()[0]?.getParameters()[2];
  if (!opts) return 'no run(ctx, args, opts) to read';
  const type = checker.getTypeOfSymbolAtLocation(opts, call);
  if (type.getStringIndexType()) return `its run's options are not typed: ${checker.typeToString(type)}`;
  return new Map(
    type.getProperties().map((p) => [p.getName(), expected(checker.getTypeOfSymbolAtLocation(p, call!))] as const),
  );
}

/** Why `value` is not what `want` says, or null. */
function mismatch(value: OptionValue | undefined, want: Expected): string | null {
  if (value === undefined) return want.undef ? null : 'undefined, which its type does not allow';
  const shown = JSON.stringify(value);
  switch (want.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${shown}, not a boolean`;
    case 'number':
      return typeof value === 'number' ? null : `${shown}, not a number`;
    case 'string':
      if (typeof value !== 'string') return `${shown}, not a string`;
      return !want.choices || want.choices.includes(value) ? null : `${shown}, not one of ${want.choices.join(', ')}`;
    case 'list':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return `${shown}, not a list`;
      return !want.choices || value.every((v) => want.choices!.includes(v))
        ? null
        : `${shown}, not all of ${want.choices.join(', ')}`;
    default:
      return 'a type the check does not know';
  }
}

const specs = new Map<string, CommandSpec>();
for (const f of files) {
  const mod = (await import(pathToFileURL(f).href)) as { spec: CommandSpec };
  specs.set(f, mod.spec);
}

function check(file: string): string[] {
  const spec = specs.get(file)!;
  const where = `${spec.name}:`;
  const typed = typedOptions(file);
  if (typeof typed === 'string') return [`${where} ${typed}`];
  const args = spec.args.filter((a) => a.required).map((a) => `${a.name}-1`);
  const parse = (argv: string[]) => parseArgv(spec, [...args, ...argv]).opts;
  const bad: string[] = [];
  const absent = parse([]);
  const runtimeKeys = Object.keys(absent).sort();
  const typeKeys = [...typed.keys()].sort();
  if (runtimeKeys.join() !== typeKeys.join())
    bad.push(`${where} parseArgv gives the keys ${runtimeKeys.join(', ')}; the type has ${typeKeys.join(', ')}`);
  const keys = allOptions(spec).map(optionKey);
  if (new Set(keys).size !== keys.length) bad.push(`${where} two options with one key: ${keys.join(', ')}`);
  for (const o of allOptions(spec)) {
    const key = optionKey(o);
    const want = typed.get(key);
    if (!want) continue;
    const flag = optionLongFlag(o);
    const at = `${where} ${flag} (${key})`;
    const why =
      absent[key] !== undefined && want.undef
        ? `${JSON.stringify(absent[key])}: always set, yet its type allows undefined`
        : mismatch(absent[key], want);
    if (why) bad.push(`${at} not given: ${why}`);
    const given = (argv: string[], value: OptionValue) => {
      try {
        const got = parse(argv)[key];
        if (JSON.stringify(got) !== JSON.stringify(value))
          bad.push(`${at} ${argv.join(' ')}: ${JSON.stringify(got)}, not ${JSON.stringify(value)}`);
      } catch (err) {
        bad.push(`${at} ${argv.join(' ')}: ${(err as Error).message}`);
      }
    };
    const refused = (argv: string[]) => {
      try {
        parse(argv);
        bad.push(`${at} ${argv.join(' ')}: taken, though not one of ${want.choices!.join(', ')}`);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
      }
    };
    if (want.kind === 'boolean') given([flag], !flag.startsWith('--no-'));
    else if (want.kind === 'number') given([flag, '7'], 7);
    else if (want.kind === 'string' && !want.choices) given([flag, '007'], '007');
    else if (want.kind === 'string') for (const c of want.choices!) given([flag, c], c);
    else if (want.kind === 'list') given([flag, (want.choices ?? ['a', 'b']).join(',')], want.choices ?? ['a', 'b']);
    else bad.push(`${at}: its type is not one an option can have`);
    if (want.choices) refused([flag, 'not-a-choice']);
  }
  return bad;
}

t('the options parseArgv gives each command are the ones its type says', () => {
  assert.ok(specs.size > 80, `the commands are found (${specs.size})`);
  assert.equal(files.flatMap(check), []);
});

t('the probe: keys of every shape, and their types', () => {
  const typed = typedOptions(join(ROOT, 'test', 'cli', 'option-probe.ts'));
  assert.type(typed, 'object');
  const shown = Object.fromEntries(
    [...(typed as Map<string, Expected>)].map(([k, e]) => [
      k,
      `${e.kind}${e.choices ? `(${e.choices.join('|')})` : ''}${e.undef ? '?' : ''}`,
    ]),
  );
  assert.equal(shown, {
    status: 'list(in_progress|open)?',
    retryFailed: 'boolean?',
    fastMode: 'boolean',
    xYZ: 'string?',
    a2B: 'string?',
    opt: 'string?',
    count: 'number',
    mode: 'string(fast|slow)',
    tag: 'string',
    level: 'number?',
    intFlag: 'boolean?',
    items: 'list?',
    quiet: 'boolean?',
    stdin: 'boolean?',
    help: 'boolean?',
  });
});

t('a spec with the standard options: format, json and color (--no-color), color always set', () => {
  const typed = typedOptions(join(ROOT, 'src', 'commands', 'bead-show.ts'));
  assert.type(typed, 'object');
  const m = typed as Map<string, Expected>;
  assert.equal(m.get('format'), { undef: true, kind: 'string', choices: ['id', 'json', 'text'] });
  assert.equal(m.get('json'), { undef: true, kind: 'boolean', choices: null });
  assert.equal(m.get('color'), { undef: false, kind: 'boolean', choices: null });
  assert.equal(m.get('stdin'), { undef: true, kind: 'boolean', choices: null });
  assert.is(m.has('noColor'), false);
});

t.run();
