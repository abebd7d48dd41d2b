// What `sase doctor` asks of an installed provider CLI beyond its version:
// that its help still lists every flag sase passes it (an update that renames
// one would otherwise show only as failed runs), and, as root, that claude
// will start at all. Pure: the help text, the environment and the uid are
// given.
import type { Provider } from './providers.ts';

/** One help text to read: `<program> <subcommand...> --help`, and the flags it must list. */
export interface HelpProbe {
  program: string;
  args: string[];
  flags: string[];
}

const hasPlaceholder = (a: string) => /\{[A-Za-z_][A-Za-z0-9_]*\}/.test(a);
// '-' alone is the stdin marker, not a flag
const isFlag = (a: string) => a.startsWith('-') && a !== '-' && a !== '--' && !hasPlaceholder(a);

/**
 * The help texts to read for `p`: one for its command and one for its resume
 * command when that names another subcommand (`codex exec` and `codex exec
 * resume`), each with the flags sase passes there, the model flag included.
 * The subcommand is the words before the first flag.
 */
export function helpProbes(p: Provider): HelpProbe[] {
  const out: HelpProbe[] = [];
  for (const template of [p.command, p.resume]) {
    if (!template?.length) continue;
    const [program, ...rest] = template as [string, ...string[]];
    const firstFlag = rest.findIndex((a) => a.startsWith('-') || hasPlaceholder(a));
    const words = firstFlag < 0 ? rest : rest.slice(0, firstFlag);
    const usesModel = template.some((a) => a.includes('{model}'));
    const flags = [...rest, ...(usesModel ? [] : (p.model_flag ?? []))].filter(isFlag).map((a) => a.split('=')[0]!);
    const args = [...words, '--help'];
    const same = out.find((h) => h.program === program && h.args.join(' ') === args.join(' '));
    if (same) same.flags = [...new Set([...same.flags, ...flags])];
    else out.push({ program, args, flags: [...new Set(flags)] });
  }
  return out;
}

/** The flags of `flags` that `help` does not list (as a whole word: `-p` is not found in `--print`). */
export function missingFlags(help: string, flags: string[]): string[] {
  return flags.filter((f) => {
    const re = new RegExp(`(^|[^A-Za-z0-9_-])${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`, 'm');
    return !re.test(help);
  });
}

/**
 * Why `p` will not start as root, or null: claude refuses
 * --dangerously-skip-permissions to root unless IS_SANDBOX=1 is in its
 * environment (the provider's env, over sase's own), as in a container.
 */
export function rootRefusal(p: Provider, env: Record<string, string | undefined>, uid: number | null): string | null {
  if (uid !== 0) return null;
  const program = p.command[0]!.split('/').pop();
  if (program !== 'claude' || !p.command.includes('--dangerously-skip-permissions')) return null;
  if ((p.env.IS_SANDBOX ?? env.IS_SANDBOX) === '1') return null;
  return `claude refuses to start as root unless IS_SANDBOX=1 is in its environment: in a container, set env = { IS_SANDBOX = "1" } under [providers.${p.name}] in .sase/config.toml`;
}
