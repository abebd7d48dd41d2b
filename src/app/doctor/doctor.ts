// What `sase doctor` checks: the programs sase needs or can drive (git, node,
// each provider's CLI: its version, the flags sase passes still in its help,
// claude as root), the configuration, the state ref's health, whether
// the configuration's bead id prefix agrees with the state's, and what
// killed commands left behind: temporary worktrees of runs and hooks, change
// branches without their record (`sase cs new`), workspaces whose creation
// was interrupted and the registry's stale lock (`sase ws new`). Read-only
// unless asked to fix: then those are repaired, each repair said, nothing
// lost (see app/changes/orphans and app/workspaces).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { helpProbes, missingFlags, rootRefusal } from '../../core/agents/provider-checks.ts';
import { builtinProviders, mergeProviders, type Provider, type ProviderTable } from '../../core/agents/providers.ts';
import { CONFIG_PATH } from '../../core/config.ts';
import type { Check } from '../../core/doctor.ts';
import { SaseError } from '../../core/errors.ts';
import { SETTINGS_PATH } from '../../core/settings.ts';
import { gitVersion } from '../../git/version.ts';
import { removeTempWorktree, worktreesDir } from '../../git/worktree.ts';
import { processExists } from '../../proc/agent-process.ts';
import { briefRunProblem, programVersion, runBriefly, which } from '../../proc/which.ts';
import { readSettings } from '../../store/settings.ts';
import type { Repo, Store } from '../../store/store.ts';
import { orphanBranches, repairOrphan } from '../changes/orphans.ts';
import { defaultPrefix, loadConfig } from '../config/config.ts';
import { fsck } from '../fsck/fsck.ts';
import {
  brokenEntriesOfInterrupted,
  dropBrokenEntries,
  interruptedWorkspaces,
  registryPath,
  removeStaleRegistryFiles,
  type StaleFile,
  settleInterrupted,
  staleRegistryFiles,
} from '../workspaces/workspaces.ts';

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

/**
 * A provider's program: on PATH or not, its version, and what would make its
 * runs fail at once: a flag sase passes that its help no longer lists (a
 * renamed flag after an update), or claude as root without IS_SANDBOX=1.
 * Each such problem is also a warning line.
 */
async function providerCheck(p: Provider, opts: DoctorOptions): Promise<{ check: Check; warnings: string[] }> {
  const env = opts.env;
  const exe = p.command[0]!;
  const what = p.example ? `provider ${p.name} (the example agent shipped with sase)` : `provider ${p.name}`;
  const base = { id: `provider:${p.name}`, what, needed: false };
  const path = which(exe, env);
  if (!path)
    return { check: { ...base, ok: false, detail: `'${exe}' not on PATH`, version: null, path: null }, warnings: [] };
  const v = await programVersion(path, env);
  const found = v.version ? `${v.version} (${path})` : `found at ${path}; no version: ${v.error}`;
  const problems: string[] = [];
  const notes: string[] = [];
  const refusal = rootRefusal(p, env, opts.uid ?? null);
  if (refusal) problems.push(refusal);
  for (const probe of helpProbes(p)) {
    const program = probe.program === exe ? path : which(probe.program, env);
    if (!program) continue; // a resume program elsewhere: its own run says so
    const shown = [probe.program, ...probe.args].join(' ');
    const help = await runBriefly(program, probe.args, env);
    const unread = briefRunProblem(help, shown);
    if (unread) {
      notes.push(`flags not checked: ${unread}`);
      continue;
    }
    const missing = missingFlags(`${help.stdout}\n${help.stderr}`, probe.flags);
    if (missing.length)
      problems.push(
        `'${shown}' does not list ${missing.map((f) => `'${f}'`).join(', ')}, which sase passes (renamed by an update? set [providers.${p.name}] command/resume to what it takes now)`,
      );
  }
  return {
    check: {
      ...base,
      ok: !problems.length,
      detail: [found, ...problems, ...notes].join('; '),
      version: v.version,
      path,
    },
    warnings: problems.map((problem) => `provider '${p.name}': ${problem}`),
  };
}

export interface DoctorOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  store: () => Promise<Store>;
  /** repair what killed commands left */
  fix?: boolean;
  /** the time an adopted change's record is made at */
  at?: string;
  /** told each repair, one line */
  said?: (line: string) => void;
  progress?: (what: string) => void;
  /** told each warning, one line (a provider that would fail at once) */
  warn?: (line: string) => void;
  /** the user id sase runs as (claude refuses root without IS_SANDBOX=1); null where there is none */
  uid?: number | null;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

/** 'a, b and c' */
function listed(parts: string[]): string {
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Change branches without a record: reported, or deleted and adopted (see app/changes/orphans). */
async function branchesCheck(store: Store, opts: DoctorOptions): Promise<Check> {
  const base = { id: 'branches', what: 'change branches without a record', needed: false, version: null, path: null };
  const orphans = await orphanBranches(store);
  if (!orphans.length) return { ...base, ok: true, detail: 'none' };
  if (!opts.fix)
    return {
      ...base,
      ok: false,
      detail: `${orphans.length} change branch${orphans.length === 1 ? '' : 'es'} without a record (repair with 'sase doctor --fix'): ${orphans.map((o) => o.branch).join(', ')}`,
    };
  const done: Record<'adopted' | 'deleted' | 'failed', string[]> = { adopted: [], deleted: [], failed: [] };
  for (const o of orphans) {
    const r = await repairOrphan(store, o, opts.at ?? new Date(store.clock.wallMs()).toISOString());
    opts.said?.(r.said);
    done[r.action].push(o.branch);
  }
  const detail = [
    done.adopted.length ? `adopted ${done.adopted.join(', ')}` : '',
    done.deleted.length ? `deleted ${done.deleted.join(', ')}` : '',
    done.failed.length ? `could not repair ${done.failed.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { ...base, ok: !done.failed.length, detail };
}

const PREFIX_CHECK = { id: 'prefix', what: 'bead id prefix', needed: false, version: null, path: null };

/**
 * The prefix every clone shares is the state's (settings.json); the
 * configuration may repeat it, and a disagreement is a warning: new ids take
 * the state's. A state made before settings.json takes the configuration's.
 */
async function prefixCheck(store: Store, configured: string | undefined): Promise<Check> {
  const settings = await readSettings(await store.snapshot());
  if (!settings) {
    const from = configured !== undefined ? `[beads] prefix of ${CONFIG_PATH}` : "the folder's name";
    const why = (await store.tip())
      ? `the state has no ${SETTINGS_PATH} yet: 'sase init' records the prefix there`
      : "no state yet: 'sase init' records the prefix in the state";
    return { ...PREFIX_CHECK, ok: true, detail: `'${configured ?? defaultPrefix(store.repo)}' from ${from} (${why})` };
  }
  if (configured !== undefined && configured !== settings.prefix)
    return {
      ...PREFIX_CHECK,
      ok: false,
      detail: `[beads] prefix '${configured}' of the configuration disagrees with the state's '${settings.prefix}' (${SETTINGS_PATH}), which new ids take: set prefix = "${settings.prefix}" in ${CONFIG_PATH}, or remove it`,
    };
  return { ...PREFIX_CHECK, ok: true, detail: `'${settings.prefix}' (${SETTINGS_PATH} in the state ref)` };
}

/** The change-branch check, when it cannot be made: why. */
function notChecked(why: string): Check {
  return {
    id: 'branches',
    what: 'change branches without a record',
    ok: false,
    needed: false,
    detail: `not checked: ${why}`,
    version: null,
    path: null,
  };
}

/**
 * With --fix, first the half-written worktree entries of interrupted
 * creations go (git reads no worktree while one is there), each said; then
 * the checks that list worktrees can run.
 */
async function withWorktreesReadable(store: Store, opts: DoctorOptions): Promise<DoctorOptions> {
  if (opts.fix)
    for (const e of dropBrokenEntries(store))
      opts.said?.(`removed the half-written worktree entry '${e.dir}' (an interrupted 'git worktree add')`);
  return opts;
}

/** Interrupted workspace creations and the registry's stale files: reported, or settled and removed (see app/workspaces). */
async function workspacesCheck(store: Store, opts: DoctorOptions): Promise<Check> {
  const base = {
    id: 'workspaces',
    what: 'interrupted workspace creations',
    needed: false,
    version: null,
    path: registryPath(store.repo),
  };
  await withWorktreesReadable(store, opts);
  const broken = brokenEntriesOfInterrupted(store);
  if (broken.length && !opts.fix)
    return {
      ...base,
      ok: false,
      detail: `${broken.length} half-written worktree ${broken.length === 1 ? 'entry' : 'entries'} of an interrupted creation (repair with 'sase doctor --fix'): ${broken.map((e) => e.dir).join(', ')}`,
    };
  const interrupted = await interruptedWorkspaces(store);
  const files = staleRegistryFiles(store);
  if (!interrupted.length && !files.length) return { ...base, ok: true, detail: 'none' };
  const names = (fs: StaleFile[]) => fs.map((f) => basename(f.path));
  if (!opts.fix) {
    const locks = files.filter((f) => f.what === 'lock').length;
    const temps = files.length - locks;
    const what = listed(
      [
        interrupted.length ? plural(interrupted.length, 'interrupted creation') : '',
        locks ? 'a stale lock' : '',
        temps ? plural(temps, 'stale temporary file') : '',
      ].filter(Boolean),
    );
    return {
      ...base,
      ok: false,
      detail: `${what} (repair with 'sase doctor --fix'): ${[...interrupted.map((i) => `#${i.w.n}`), ...names(files)].join(', ')}`,
    };
  }
  // the files first: settling takes the registry's lock, and would take a stale one over unsaid
  const removedFiles = removeStaleRegistryFiles(store);
  for (const line of removedFiles) opts.said?.(line);
  const settled = await settleInterrupted(store);
  for (const x of settled) opts.said?.(x.said);
  const by = (a: string) => settled.filter((x) => x.action === a).map((x) => `#${x.n}`);
  const detail = [
    removedFiles.length ? `removed ${names(files).join(', ')}` : '',
    by('removed').length ? `removed ${by('removed').join(', ')}` : '',
    by('kept').length
      ? `kept ${by('kept').join(', ')} (${by('kept').length === 1 ? 'it holds' : 'they hold'} work)`
      : '',
    by('failed').length ? `could not remove ${by('failed').join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { ...base, ok: !by('failed').length, detail };
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
  let configured: string | undefined;
  if (store) {
    try {
      const config = await loadConfig(store.repo);
      configured = config.beads.prefix;
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
  // asked all at once, said in the table's order
  for (const { check, warnings } of await Promise.all([...providers.values()].map((p) => providerCheck(p, opts)))) {
    checks.push(check);
    for (const w of warnings) opts.warn?.(w);
  }

  if (store) {
    opts.progress?.('checking the state ref');
    try {
      const report = await fsck(store, { replay: false, local: false });
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

    checks.push(
      checks.find((c) => c.id === 'state')?.ok
        ? await prefixCheck(store, configured)
        : { ...PREFIX_CHECK, ok: false, detail: "not checked: the state ref has problems (run 'sase fsck')" },
    );

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
        else opts.said?.(`removed the stale worktree '${s.path}' (its process ${s.pid} is gone)`);
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
    opts.progress?.('looking for what killed commands left');
    // branches are matched with records, and adopted into the state, only when that is sound
    checks.push(
      !checks.find((c) => c.id === 'state')?.ok
        ? notChecked("the state ref has problems (run 'sase fsck')")
        : !opts.fix && brokenEntriesOfInterrupted(store).length
          ? notChecked("git lists no worktree while a half-written entry is there (repair with 'sase doctor --fix')")
          : await branchesCheck(store, await withWorktreesReadable(store, opts)),
    );
    checks.push(await workspacesCheck(store, opts));
  }
  return checks;
}
