// Finding XPrompts on disk: `<work tree>/.sase/xprompts/**.md`, then the
// user's `$XDG_CONFIG_HOME/sase/xprompts/` (default ~/.config); the first
// file of a name wins. A subfolder is a namespace: `review/deep.md` is
// `#review/deep`. Files are parsed when first asked for, so one broken
// XPrompt does not stop prompts that never use it.
import { readdirSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError } from '../../core/errors.ts';
import { type Expansion, expandPrompt } from '../../core/xprompts/expand.ts';
import type { XPromptEntry, XPromptSource } from '../../core/xprompts/xprompt.ts';
import { MAX_XPROMPT_BYTES, NAME_PATTERN, parseXPrompt, type XPrompt } from '../../core/xprompts/xprompt.ts';
import { GitMissingError } from '../../git/exec.ts';
import { NotARepoError, openRepo, type Repo } from '../../git/repo.ts';
import { userConfigDir } from '../config/config.ts';

export const REPO_XPROMPTS = '.sase/xprompts';

export interface XPromptLibrary {
  /** the winning file of each name, sorted by name */
  entries: XPromptEntry[];
  /** files of a name already taken (shadowed), and files whose name is not a valid XPrompt name */
  shadowed: XPromptEntry[];
  ignored: string[];
  find(name: string): XPromptEntry | null;
  /** the parsed XPrompt, or null when there is none of that name; a malformed file is fatal */
  get(name: string): XPrompt | null;
}

export interface XPromptEnv {
  cwd: string;
  env: Record<string, string | undefined>;
  /** the repository, when the caller has it open already */
  repo?: Repo;
}

/** The folders searched, in order. */
export async function xpromptDirs(ctx: XPromptEnv): Promise<Array<{ dir: string; source: XPromptSource }>> {
  const dirs: Array<{ dir: string; source: XPromptSource }> = [];
  let top: string | null = ctx.repo?.topLevel ?? null;
  if (!ctx.repo) {
    try {
      top = (await openRepo({ cwd: ctx.cwd, env: ctx.env })).topLevel;
    } catch (err) {
      // outside a repository only the user's XPrompts exist
      if (!(err instanceof NotARepoError) && !(err instanceof GitMissingError)) throw err;
    }
  }
  if (top) dirs.push({ dir: join(top, REPO_XPROMPTS), source: 'repo' });
  const user = userConfigDir(ctx.env);
  if (user) dirs.push({ dir: join(user, 'xprompts'), source: 'user' });
  return dirs;
}

const MAX_DEPTH = 16;

function walk(
  dir: string,
  ns: string,
  source: XPromptSource,
  depth: number,
  seen: Set<string>,
  out: XPromptEntry[],
  ignored: string[],
): void {
  let real: string;
  let names: string[];
  try {
    real = realpathSync(dir);
    if (seen.has(real) || depth > MAX_DEPTH) return; // a symlink loop
    names = readdirSync(dir).sort();
  } catch {
    return; // no such folder
  }
  seen.add(real);
  for (const entry of names) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    let st: Stats;
    try {
      st = statSync(path);
    } catch {
      continue; // a dangling link
    }
    if (st.isDirectory()) {
      walk(path, `${ns}${entry}/`, source, depth + 1, seen, out, ignored);
      continue;
    }
    if (!st.isFile() || !entry.endsWith('.md')) continue;
    const name = ns + entry.slice(0, -3);
    if (!NAME_PATTERN.test(name)) ignored.push(path);
    else out.push({ name, path, source });
  }
}

/** Lists the XPrompts (first wins) and returns a lookup that parses them on demand. */
export async function openXPrompts(ctx: XPromptEnv): Promise<XPromptLibrary> {
  const all: XPromptEntry[] = [];
  const ignored: string[] = [];
  for (const { dir, source } of await xpromptDirs(ctx)) walk(dir, '', source, 0, new Set(), all, ignored);
  const byName = new Map<string, XPromptEntry>();
  const shadowed: XPromptEntry[] = [];
  for (const e of all) {
    if (byName.has(e.name)) shadowed.push(e);
    else byName.set(e.name, e);
  }
  const parsed = new Map<string, XPrompt>();
  const entries = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    entries,
    shadowed,
    ignored,
    find: (name) => byName.get(name) ?? null,
    get(name) {
      const hit = parsed.get(name);
      if (hit) return hit;
      const e = byName.get(name);
      if (!e) return null;
      const x = parseXPrompt(readXPromptFile(e.path), name, e.path);
      parsed.set(name, x);
      return x;
    },
  };
}

function readXPromptFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new FatalError(`cannot read xprompt '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (size > MAX_XPROMPT_BYTES)
    throw new FatalError(`xprompt '${path}' is ${size} bytes; at most ${MAX_XPROMPT_BYTES} are accepted`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new FatalError(`cannot read xprompt '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Expands a prompt with the XPrompts found from `ctx` (see expandPrompt). */
export async function expandWithXPrompts(ctx: XPromptEnv, text: string): Promise<Expansion> {
  const lib = await openXPrompts(ctx);
  return expandPrompt(text, (name) => lib.get(name));
}
