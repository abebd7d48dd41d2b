// `sase <noun> <verb> ...` runs `sase-<noun>-<verb> ...`, git-style: the
// longest name that exists wins, our bin/ first and then PATH (so any
// `sase-<anything>` on PATH is a plugin); stdio and the exit code pass through.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { pushTo } from '../core/collections.ts';

// bundled as CommonJS into dist/: __filename is the bundle
const root = join(dirname(realpathSync(__filename)), '..');
const binDir = join(root, 'bin');
const manDir = join(root, 'man');

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
    return JSON.parse(readFileSync(join(root, 'dist', 'commands.json'), 'utf8'));
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
    '       sase help <noun> <verb> | sase --list-cmds | sase --version',
    '',
  ];
  for (const [noun, list] of [...groups].sort()) {
    lines.push(noun ? `${noun}:` : 'repository:');
    for (const c of list) lines.push(`  ${c.name.replace(/-/g, ' ').padEnd(22)} ${c.summary}`);
    lines.push('');
  }
  lines.push("'sase <noun> <verb> --help' for a command's options; 'sase help <noun> <verb>' for its manual.", '');
  return lines.join('\n');
}

function run(file: string, args: string[]): void {
  const child = spawn(file, args, { stdio: 'inherit' });
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

function help(words: string[]): void {
  const name = words.join('-');
  const page = join(manDir, name ? `sase-${name}.1` : 'sase.1');
  if (name && !findCommand(name)) {
    process.stderr.write(`sase: no manual for '${words.join(' ')}'. See 'sase --help'.\n`);
    process.exitCode = 1;
    return;
  }
  if (existsSync(page)) {
    const man = spawn('man', [page], { stdio: 'inherit' });
    man.on('error', () => fallbackHelp(name));
    man.on('exit', (code) => (code === 0 ? (process.exitCode = 0) : fallbackHelp(name)));
  } else fallbackHelp(name);
}

function fallbackHelp(name: string): void {
  if (!name) {
    process.stdout.write(overview());
    return;
  }
  run(findCommand(name)!, ['--help']);
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

function main(all: string[]): void {
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
    const ours = ourCommands().map((c) => c.name);
    process.stdout.write([...ours, ...pluginCommands(new Set(ours))].join('\n') + '\n');
    return;
  }
  if (first === 'help') {
    help(argv.slice(1).filter((w) => !w.startsWith('-')));
    return;
  }
  if (first.startsWith('-')) {
    process.stderr.write(`sase: unknown option '${first}'. See 'sase --help'.\n`);
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
      run(file, argv.slice(n));
      return;
    }
  }
  process.stderr.write(
    `sase: '${argv.slice(0, Math.max(words, 1)).join(' ')}' is not a sase command. See 'sase --help'.\n`,
  );
  process.exitCode = 1;
}

main(process.argv.slice(2));
