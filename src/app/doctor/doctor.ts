// What `sase doctor` checks: the programs sase needs or can drive (git, node,
// each provider's CLI), the configuration, the state ref's health and the
// temporary worktrees that killed runs left behind. Read-only unless asked
// to fix: the one repair is removing those stale worktrees.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { builtinProviders, mergeProviders, type Provider, type ProviderTable } from '../../core/agents/providers.ts';
import { CONFIG_PATH } from '../../core/config.ts';
import type { Check } from '../../core/doctor.ts';
import { SaseError } from '../../core/errors.ts';
import { gitVersion } from '../../git/version.ts';
import { removeTempWorktree, worktreesDir } from '../../git/worktree.ts';
import { processExists } from '../../proc/agent-process.ts';
import { programVersion, which } from '../../proc/which.ts';
import type { Repo, Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';
import { fsck } from '../fsck/fsck.ts';

export const MIN_GIT: [number, number, number] = [2, 39, 0];
export const MIN_NODE: [number, number, number] = [20, 0, 0];

export interface StaleWorktree {
  path: string;
  /** the process that made it, gone now */
  pid: number;
}

const atLeast = (v: number[], min: number[]) => {
  for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  return true;
};

/**
 * Temporary worktrees (named `<label>-<pid>-<stamp>` by addTempWorktree)
 * whose process is gone: a run or hook that was killed before it could clean
 * up. A stopped rebase kept on purpose for the user (a `.rebase.json` beside
 * it) is not stale.
 */
export function staleWorktrees(repo: Repo): StaleWorktree[] {
  const root = worktreesDir(repo);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const out: StaleWorktree[] = [];
  for (const name of names.sort()) {
    const m = /-(\d+)-[0-9a-z]+$/.exec(name);
    if (!m) continue;
    const path = join(root, name);
    try {
      if (!statSync(path).isDirectory()) continue;
    } catch {
      continue;
    }
    if (existsSync(`${path}.rebase.json`)) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !processExists(pid)) out.push({ path, pid });
  }
  return out;
}

async function providerCheck(p: Provider, env: Record<string, string | undefined>): Promise<Check> {
  const exe = p.command[0]!;
  const what = p.example ? `provider ${p.name} (the example agent shipped with sase)` : `provider ${p.name}`;
  const base = { id: `provider:${p.name}`, what, needed: false };
  const path = which(exe, env);
  if (!path) return { ...base, ok: false, detail: `'${exe}' not on PATH`, version: null, path: null };
  const v = await programVersion(path, env);
  return {
    ...base,
    ok: true,
    detail: v.version ? `${v.version} (${path})` : `found at ${path}; no version: ${v.error}`,
    version: v.version,
    path,
  };
}

export interface DoctorOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  store: () => Promise<Store>;
  /** remove stale worktrees */
  fix?: boolean;
  progress?: (what: string) => void;
}

export async function doctor(opts: DoctorOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const gv = await gitVersion({ cwd: opts.cwd, env: opts.env });
  const gitPath = which('git', opts.env);
  if (!gv)
    checks.push({
      id: 'git',
      what: 'git',
      ok: false,
      needed: true,
      detail: "'git' not on PATH",
      version: null,
      path: null,
    });
  else {
    const ok = atLeast(gv.parts, MIN_GIT);
    const v = gv.parts.join('.');
    checks.push({
      id: 'git',
      what: 'git',
      ok,
      needed: true,
      detail: ok ? gv.text : `${gv.text}: sase needs git ${MIN_GIT.slice(0, 2).join('.')} or later`,
      version: v,
      path: gitPath,
    });
  }
  const nv = process.versions.node.split('.').map(Number);
  const nodeOk = atLeast(nv, MIN_NODE);
  checks.push({
    id: 'node',
    what: 'node',
    ok: nodeOk,
    needed: true,
    detail: nodeOk
      ? `node ${process.versions.node}`
      : `node ${process.versions.node}: sase needs node ${MIN_NODE[0]} or later`,
    version: process.versions.node,
    path: process.execPath,
  });

  let store: Store | null = null;
  try {
    store = await opts.store();
    checks.push({
      id: 'repository',
      what: 'git repository',
      ok: true,
      needed: true,
      detail: store.repo.topLevel ?? store.repo.commonDir,
      version: null,
      path: store.repo.topLevel ?? store.repo.commonDir,
    });
  } catch (err) {
    checks.push({
      id: 'repository',
      what: 'git repository',
      ok: false,
      needed: true,
      detail: err instanceof Error ? err.message : String(err),
      version: null,
      path: null,
    });
  }

  let providers: ProviderTable = builtinProviders();
  if (store) {
    try {
      const config = await loadConfig(store.repo);
      providers = mergeProviders(builtinProviders(), config.providers, CONFIG_PATH);
      checks.push({
        id: 'config',
        what: 'configuration',
        ok: true,
        needed: true,
        detail: `valid (${providers.size} providers)`,
        version: null,
        path: store.repo.topLevel ? join(store.repo.topLevel, CONFIG_PATH) : null,
      });
    } catch (err) {
      checks.push({
        id: 'config',
        what: 'configuration',
        ok: false,
        needed: true,
        detail: err instanceof Error ? err.message : String(err),
        version: null,
        path: null,
      });
    }
  }

  opts.progress?.('looking for agent CLIs');
  checks.push(...(await Promise.all([...providers.values()].map((p) => providerCheck(p, opts.env)))));

  if (store) {
    opts.progress?.('checking the state ref');
    try {
      const report = await fsck(store, { replay: false });
      const n = report.problems.length;
      const detail = !report.tip
        ? "no state yet (run 'sase init')"
        : n
          ? `${n} problem${n === 1 ? '' : 's'} (run 'sase fsck'): ${report.problems[0]!.message}`
          : `ok: ${report.beads} beads`;
      checks.push({
        id: 'state',
        what: 'state ref refs/sase/state',
        ok: n === 0,
        needed: true,
        detail,
        version: null,
        path: null,
      });
    } catch (err) {
      checks.push({
        id: 'state',
        what: 'state ref refs/sase/state',
        ok: false,
        needed: true,
        detail: err instanceof SaseError || err instanceof Error ? err.message : String(err),
        version: null,
        path: null,
      });
    }

    const stale = staleWorktrees(store.repo);
    const root = worktreesDir(store.repo);
    if (!stale.length)
      checks.push({
        id: 'worktrees',
        what: 'stale workspaces',
        ok: true,
        needed: false,
        detail: 'none',
        version: null,
        path: root,
      });
    else if (opts.fix) {
      const failed: string[] = [];
      for (const s of stale) {
        const problem = await removeTempWorktree(store.repo, s.path);
        if (problem) failed.push(problem);
      }
      checks.push({
        id: 'worktrees',
        what: 'stale workspaces',
        ok: failed.length === 0,
        needed: false,
        detail: failed.length
          ? `removed ${stale.length - failed.length} of ${stale.length}; ${failed[0]}`
          : `removed ${stale.length}: ${stale.map((s) => s.path.slice(root.length + 1)).join(', ')}`,
        version: null,
        path: root,
      });
    } else {
      checks.push({
        id: 'worktrees',
        what: 'stale workspaces',
        ok: false,
        needed: false,
        detail: `${stale.length} left by killed runs (remove with 'sase doctor --fix'): ${stale.map((s) => s.path.slice(root.length + 1)).join(', ')}`,
        version: null,
        path: root,
      });
    }
  }
  return checks;
}
