// `sase <noun> <verb> ...` runs `sase-<noun>-<verb> ...`, git-style: the
// longest name that exists wins, our bin/ first and then PATH (so any
// `sase-<anything>` on PATH is a plugin). Our own commands run in this
// process (their bundle required with argv as the launcher would give it,
// saving a second Node start); plugins are spawned, stdio and the exit code
// passed through. A noun alone (`sase bead`) lists its verbs; a mistyped word
// gets a suggestion. Kept small: every `sase <noun> <verb>` loads it.
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { pushTo } from '../core/collections.ts';
import { childProcess } from '../proc/child-process.ts';

// bundled as CommonJS into dist/: __filename is the bundle
const root = join(dirname(realpathSync(__filename)), '..');
const binDir = join(root, 'bin');
const manDir = join(root, 'man');
const distDir = join(root, 'dist');

// short forms, as `git` keeps a few
const ALIASES: Record<string, string> = { run: 'agent-run' };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findCommand(name: string): string | null {
  const ours = join(binDir, `sase-${name}`);
  if (executable(ours)) return ours;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, `sase-${name}`);
    if (executable(p)) return p;
  }
  return null;
}

interface Listed {
  name: string;
  summary: string;
}

function ourCommands(): Listed[] {
  try {
    return JSON.parse(readFileSync(join(distDir, 'commands.json'), 'utf8'));
  } catch {
    return readdirSync(binDir)
      .filter((f) => f.startsWith('sase-'))
      .map((f) => ({ name: f.slice(5), summary: '' }));
  }
}

function pluginCommands(known: Set<string>): string[] {
  const out = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of files)
      if (f.startsWith('sase-') && !known.has(f.slice(5)) && executable(join(dir, f))) out.add(f.slice(5));
  }
  return [...out].sort();
}

function overview(): string {
  const cmds = ourCommands();
  const groups = new Map<string, Listed[]>();
  for (const c of cmds) {
    const noun = c.name.includes('-') ? c.name.split('-')[0]! : '';
    pushTo(groups, noun, c);
  }
  const lines = [
    'usage: sase <noun> <verb> [<options>] [<args>]',
    '       sase <noun> | sase help [<noun> [<verb>]] | sase --list-cmds | sase --version',
    '',
  ];
  for (const [noun, list] of [...groups].sort()) {
    lines.push(noun ? `${noun}:` : 'repository:');
    for (const c of list) lines.push(`  ${c.name.replace(/-/g, ' ').padEnd(22)} ${c.summary}`);
    lines.push('');
  }
  lines.push(
    "'sase <noun> <verb> --help' for a command's options; 'sase help <noun> <verb>' for its manual;",
    "'sase help' for sase(7), the model every command works on.",
    '',
  );
  return lines.join('\n');
}

/** Spawns a plugin (or one of ours whose bundle is missing); its exit code or 128+signal becomes ours. */
function spawnCommand(file: string, args: string[]): void {
  const child = childProcess().spawn(file, args, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    process.stderr.write(`fatal: cannot run '${file}': ${err.message}\n`);
    process.exitCode = 128;
  });
  child.on('exit', (code, signal) => {
    process.exitCode =
      code ??
      128 + (signal ? (({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGKILL: 9 } as Record<string, number>)[signal] ?? 1) : 1);
  });
}

/**
 * Runs bin/sase-<name> here: its launcher's work (dist/launch.cjs with the
 * bundle's code cache) with process.argv as the launcher would see it, so
 * the command cannot tell the difference: same argv, stdio, signals, exit code.
 */
function runHere(name: string, file: string, args: string[]): void {
  process.argv = [process.argv[0]!, file, ...args];
  (require(join(distDir, 'launch.cjs')) as (bundle: string) => void)(`sase-${name}`);
}

function run(name: string, file: string, args: string[]): void {
  if (file === join(binDir, `sase-${name}`) && existsSync(join(distDir, `sase-${name}.cjs`))) runHere(name, file, args);
  else spawnCommand(file, args);
}

/**
 * `sase -C <dir> ...`, as `git -C`: the command runs as if started in <dir>
 * (several compose). Taken here, before anything else, so a plugin sees it too.
 */
function changeDir(argv: string[]): string[] | null {
  while (argv[0] === '-C') {
    const dir = argv[1];
    if (dir === undefined) {
      process.stderr.write("sase: option '-C' needs a value. See 'sase --help'.\n");
      process.exitCode = 129;
      return null;
    }
    try {
      if (dir !== '') process.chdir(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'ENOTDIR' ? 'Not a directory' : code;
      process.stderr.write(`fatal: cannot change to '${dir}': ${why}\n`);
      process.exitCode = 128;
      return null;
    }
    argv = argv.slice(2);
  }
  return argv;
}

/** Every command name, ours and the plugins' ('bead-ready'), with our summaries. */
function allCommands(): Listed[] {
  const ours = ourCommands();
  const known = new Set(ours.map((c) => c.name));
  return [...ours, ...pluginCommands(known).map((name) => ({ name, summary: '' }))];
}

/** The commands under a noun ('bead', 'bead-dep'): their names without it. */
function verbsOf(noun: string, cmds: Listed[]): Listed[] {
  return cmds
    .filter((c) => c.name.startsWith(`${noun}-`))
    .map((c) => ({ name: c.name.slice(noun.length + 1), summary: c.summary }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `sase bead`: the verbs of a noun with their summaries, as git and gh list a command's subcommands. */
function nounUsage(noun: string, cmds: Listed[]): string {
  const words = noun.replace(/-/g, ' ');
  const verbs = verbsOf(noun, cmds);
  const wide = Math.max(...verbs.map((v) => v.name.length)) + 2;
  const lines = [`usage: sase ${words} <verb> [<options>] [<args>]`, '', 'verbs:'];
  for (const v of verbs) lines.push(`  ${v.name.replace(/-/g, ' ').padEnd(wide)}${v.summary}`.trimEnd());
  lines.push('', `'sase ${words} <verb> --help' for a verb's options; 'sase help ${words} <verb>' for its manual.`, '');
  return lines.join('\n');
}

/** The longest run of leading words that is a noun: some command's name starts with it and a '-'. */
function nounIn(words: string[], cmds: Listed[]): string | null {
  for (let n = Math.min(words.length, 3); n >= 1; n--) {
    const noun = words.slice(0, n).join('-');
    if (cmds.some((c) => c.name.startsWith(`${noun}-`))) return noun;
  }
  return null;
}

/** "sase: 'bead redy' is not a sase command", with the nearest verb of the noun (or command) as a hint. */
async function unknownCommand(words: string[], cmds: Listed[]): Promise<void> {
  const noun = nounIn(words, cmds);
  const nounWords = noun ? noun.split('-').length : 0;
  const typed = words[nounWords]!;
  // the next word of every command under the noun (or of every command)
  const next = cmds
    .filter((c) => !noun || c.name.startsWith(`${noun}-`))
    .map((c) => c.name.split('-')[nounWords]!)
    .concat(noun ? [] : Object.keys(ALIASES));
  const { didYouMean } = await import('../core/suggest.ts');
  const hint = didYouMean(typed, next);
  const see = noun ? `sase ${noun.replace(/-/g, ' ')} --help` : 'sase --help';
  process.stderr.write(
    `sase: '${words.slice(0, nounWords + 1).join(' ')}' is not a sase command. See '${see}'.\n` +
      (hint ? `hint: ${hint}\n` : ''),
  );
  process.exitCode = 1;
}

/** Opens a page of man/ with man(1); without man (or the page), `fallback` prints help instead. */
function openPage(page: string, fallback: () => void): void {
  if (!existsSync(page)) {
    fallback();
    return;
  }
  const man = childProcess().spawn('man', [page], { stdio: 'inherit' });
  man.on('error', fallback);
  man.on('exit', (code) => (code === 0 ? (process.exitCode = 0) : fallback()));
}

/**
 * `sase help`: sase(7), the model every command works on (sase(1), the list
 * of commands, is also `sase --help`); `sase help <noun>` lists its verbs;
 * `sase help <noun> <verb>` opens sase-<noun>-<verb>(1).
 */
async function help(words: string[]): Promise<void> {
  if (!words.length) {
    openPage(join(manDir, 'man7', 'sase.7'), () => process.stdout.write(overview()));
    return;
  }
  const name = ALIASES[words.join('-')] ?? words.join('-');
  const file = findCommand(name);
  if (file) {
    openPage(join(manDir, 'man1', `sase-${name}.1`), () => run(name, file, ['--help']));
    return;
  }
  const cmds = allCommands();
  if (nounIn(words, cmds) === name) {
    process.stdout.write(nounUsage(name, cmds));
    return;
  }
  const { didYouMean } = await import('../core/suggest.ts');
  const hint = didYouMean(
    words.join(' '),
    cmds.map((c) => c.name.replace(/-/g, ' ')),
  );
  process.stderr.write(
    `sase: no manual for '${words.join(' ')}'. See 'sase --help'.\n` + (hint ? `hint: ${hint}\n` : ''),
  );
  process.exitCode = 1;
}

const TOP_OPTIONS = ['--help', '--version', '--list-cmds'];

async function main(all: string[]): Promise<void> {
  const argv = changeDir(all);
  if (!argv) return;
  const first = argv[0];
  if (first === undefined) {
    process.stdout.write(overview());
    process.exitCode = 1;
    return;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(overview());
    return;
  }
  if (first === '--version') {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`sase version ${pkg.version}\n`);
    return;
  }
  if (first === '--list-cmds') {
    process.stdout.write(
      allCommands()
        .map((c) => c.name)
        .join('\n') + '\n',
    );
    return;
  }
  if (first === 'help') {
    await help(argv.slice(1).filter((w) => !w.startsWith('-')));
    return;
  }
  if (first.startsWith('-')) {
    const { didYouMean } = await import('../core/suggest.ts');
    const hint = didYouMean(first.split('=')[0]!, TOP_OPTIONS);
    process.stderr.write(`sase: unknown option '${first}'. See 'sase --help'.\n` + (hint ? `hint: ${hint}\n` : ''));
    process.exitCode = 129;
    return;
  }
  let words = 0;
  while (words < argv.length && !argv[words]!.startsWith('-')) words++;
  for (let n = Math.min(words, 4); n >= 1; n--) {
    let name = argv.slice(0, n).join('-');
    name = ALIASES[name] ?? name;
    const file = findCommand(name);
    if (file) {
      run(name, file, argv.slice(n));
      return;
    }
  }
  const cmds = allCommands();
  const typed = argv.slice(0, Math.max(words, 1));
  const noun = nounIn(typed, cmds);
  if (noun && noun.split('-').length === typed.length) {
    // a noun alone: its verbs, on stdout when asked for (--help), else as
    // git answers a missing subcommand (`git worktree`): on stderr, exit 129
    const asked = argv.includes('--help') || argv.includes('-h');
    (asked ? process.stdout : process.stderr).write(nounUsage(noun, cmds));
    process.exitCode = asked ? 0 : 129;
    return;
  }
  await unknownCommand(typed, cmds);
}

void main(process.argv.slice(2));
