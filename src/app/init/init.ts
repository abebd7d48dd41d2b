// sase init: sets sase up in a repository without forking a state that
// exists elsewhere. Before anything is made, the default remote's state is
// fetched: a clone with no state of its own adopts it (the same root, the
// same settings, the same prefix); one whose state shares no history with it
// is left alone and warned of; an unreachable remote is no failure, but said.
// Then the state gets its settings.json (with the root, when there is none),
// the work tree its .sase/config.toml, and every remote its fetch refspecs.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PATH, syncConfig } from '../../core/config.ts';
import { FatalError, SaseError, withHint } from '../../core/errors.ts';
import { newSettings, SETTINGS_PATH, serializeSettings } from '../../core/settings.ts';
import { mergeBase } from '../../git/branches.ts';
import { failureLine, GitError } from '../../git/exec.ts';
import { countCommits } from '../../git/history.ts';
import { fetchSaseRefs, type RemoteSaseRefs, remoteTracking } from '../../git/remote.ts';
import { RefConflictError } from '../../git/repo.ts';
import { adoptState } from '../../store/adopt.ts';
import { readSettings } from '../../store/settings.ts';
import { FORMAT_VERSION, STATE_REF, type Store } from '../../store/store.ts';
import { defaultPrefix, loadConfig } from '../config/config.ts';
import { defaultRemote } from '../sync/default-remote.ts';
import { addRemoteRefspecs } from '../sync/refspecs.ts';

/**
 * What the default remote holds, as init found it: no state (absent), a state
 * adopted now, the same tip, a state sharing history with this one (related:
 * sase sync brings them together), one sharing none (unrelated), or nothing
 * known (unreachable).
 */
export type RemoteState = 'absent' | 'adopted' | 'same' | 'related' | 'unrelated' | 'unreachable';

export interface InitOptions {
  /** the prefix a new state records (--prefix) */
  prefix?: string;
  /** look for the default remote's state first (--no-fetch: false) */
  fetch: boolean;
  /** add the fetch refspecs to every remote (--no-refspecs: false) */
  refspecs: boolean;
  /** the time and actor of the init operation */
  at: string;
  actor: string;
}

/** A warning for stderr, with an optional hint line. */
export interface InitWarning {
  text: string;
  hint?: string;
}

export interface InitResult {
  tip: string | null;
  /** whether this run made a new state (a root) */
  created: boolean;
  /** whether this run wrote settings.json (with a new root, or on a state made before it) */
  settingsCreated: boolean;
  /** the prefix new ids take: the state's */
  prefix: string;
  config: string | null;
  configCreated: boolean;
  refspecsAdded: string[];
  /** the remote looked at, or null (--no-fetch, no remote, or several and none the default) */
  remote: string | null;
  remoteState: RemoteState | null;
  /** the remote whose state was adopted, or null */
  adoptedFrom: string | null;
  /** the tip adopted (null when nothing was) */
  adoptedTip: string | null;
  /** how many operations the adopted state holds (null when nothing was adopted) */
  adoptedOperations: number | null;
  warnings: InitWarning[];
}

/** The default remote's sase refs, fetched; the warning when nothing picks a remote or it cannot be reached. */
async function lookAtRemote(
  store: Store,
  configured: string | null,
): Promise<{ remote: string | null; fetched: RemoteSaseRefs | null; unreachable: string | null; several: string[] }> {
  const pick = await defaultRemote(store.repo, configured);
  if (!pick.remote) return { remote: null, fetched: null, unreachable: null, several: pick.remotes };
  try {
    return {
      remote: pick.remote,
      fetched: await fetchSaseRefs(store.repo, pick.remote),
      unreachable: null,
      several: [],
    };
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    // git's first fatal line says why ('... does not appear to be a git repository'); its last is advice
    const why = err.stderr.split('\n').find((l) => l.startsWith('fatal: '));
    return { remote: pick.remote, fetched: null, unreachable: why?.slice(7) ?? failureLine(err), several: [] };
  }
}

export async function initSase(store: Store, opts: InitOptions): Promise<InitResult> {
  const repo = store.repo;
  const config = await loadConfig(repo);
  const warnings: InitWarning[] = [];

  // 1. the remote's state, before anything is made here
  const look = opts.fetch
    ? await lookAtRemote(store, syncConfig(config).remote)
    : { remote: null, fetched: null, unreachable: null, several: [] };
  const { remote, fetched } = look;
  let remoteState: RemoteState | null = look.unreachable ? 'unreachable' : fetched ? 'absent' : null;

  // 2. no state here and one there: adopt it
  let local = await store.tip();
  for (let tries = 0; !local && fetched?.state && tries < 3; tries++) {
    try {
      await adoptState(store, { state: fetched.state, notes: fetched.notes }, `sase: adopt the state of '${remote}'`);
      local = fetched.state;
      remoteState = 'adopted';
    } catch (err) {
      // another process made a state meanwhile: judged below as any state found here
      if (err instanceof RefConflictError) local = await store.tip();
      else if (err instanceof SaseError)
        throw withHint(
          new FatalError(`the state of '${remote}' cannot be adopted: ${err.message}`),
          `nothing was changed; 'git log ${remoteTracking(remote!).state}' shows what '${remote}' holds`,
        );
      else throw err;
    }
  }
  if (remoteState !== 'adopted' && local && fetched?.state) {
    if (local === fetched.state) remoteState = 'same';
    else if (await mergeBase(repo, local, fetched.state)) remoteState = 'related';
    else {
      remoteState = 'unrelated';
      warnings.push({
        text: `the state of '${remote}' (${fetched.state.slice(0, 10)}) shares no history with this one (${local.slice(0, 10)}); nothing was changed`,
        hint: `'sase sync' refuses unrelated states, so keep one; to use the state of '${remote}' in place of this one (the reflog keeps this one): git update-ref ${STATE_REF} ${remoteTracking(remote!).state}`,
      });
    }
  }
  // 3. the settings, and the root when there is none
  const wanted = opts.prefix ?? config.beads.prefix ?? defaultPrefix(repo);
  const { result, commit } = await store.transact(async (snap) => {
    const existing = await readSettings(snap);
    if (existing)
      return { op: { op: 'init' }, summary: 'init', changes: new Map(), result: { settings: existing, root: false } };
    const settings = newSettings(wanted, opts.at);
    return {
      // the operation carries the settings, so a replay of the log rebuilds settings.json
      op: { op: 'init', version: FORMAT_VERSION, at: opts.at, actor: opts.actor, settings },
      summary: snap.tip ? `init: record ${SETTINGS_PATH}` : 'init',
      // the store adds VERSION to the first commit
      changes: new Map([[SETTINGS_PATH, Buffer.from(serializeSettings(settings))]]),
      result: { settings, root: !snap.tip },
    };
  });
  const prefix = result.settings.prefix;
  const settingsCreated = commit !== null;
  const madeRoot = settingsCreated && result.root;
  if (opts.prefix !== undefined && !settingsCreated && opts.prefix !== prefix)
    warnings.push({
      text: `--prefix '${opts.prefix}' changes nothing: the state's prefix is '${prefix}' (${SETTINGS_PATH}), shared by every clone`,
    });

  // 4. the configuration file, which may repeat the prefix
  let configPath: string | null = null;
  let configCreated = false;
  if (repo.topLevel) {
    configPath = join(repo.topLevel, CONFIG_PATH);
    if (!existsSync(configPath)) {
      mkdirSync(join(repo.topLevel, '.sase'), { recursive: true });
      writeFileSync(
        configPath,
        `# sase configuration (see man sase(7)); versioned with the project.\n\n[beads]\n# bead ids look like ${prefix}-k3f9abcd (the state's own prefix, ${SETTINGS_PATH} in ${STATE_REF}, wins)\nprefix = "${prefix}"\n`,
      );
      configCreated = true;
    }
  }
  const configured = config.beads.prefix;
  if (!configCreated && configured !== undefined && configured !== prefix)
    warnings.push({
      text: `the configuration's [beads] prefix is '${configured}', but the state's ${SETTINGS_PATH} says '${prefix}': new ids take '${prefix}'`,
      hint: `set prefix = "${prefix}" in ${CONFIG_PATH}, or remove it`,
    });

  // 5. fetch refspecs
  const refspecsAdded = opts.refspecs ? await addRemoteRefspecs(repo) : [];

  // 6. what could not be known
  if (look.unreachable)
    warnings.push({
      text: `could not reach '${remote}' to look for its sase state: ${look.unreachable}`,
      ...(madeRoot
        ? {
            hint: `a new state was made without knowing whether '${remote}' has one; if it has, the two share no history and 'sase sync' refuses them: run 'sase init' again once '${remote}' is reachable to know`,
          }
        : {}),
    });
  else if (opts.fetch && !remote && look.several.length > 1 && madeRoot)
    warnings.push({
      text: `made a new state without looking for one on a remote: none of ${look.several.map((r) => `'${r}'`).join(', ')} is the default`,
      hint: `name the remote that holds the state with [sync] remote in ${CONFIG_PATH} (or give the branch an upstream), and run 'sase init' again to compare`,
    });

  const tip = await store.tip();
  return {
    tip,
    created: madeRoot,
    settingsCreated,
    prefix,
    config: configPath,
    configCreated,
    refspecsAdded,
    remote,
    remoteState,
    adoptedFrom: remoteState === 'adopted' ? remote : null,
    adoptedTip: remoteState === 'adopted' ? fetched!.state : null,
    adoptedOperations: remoteState === 'adopted' && fetched?.state ? await countCommits(repo, fetched.state) : null,
    warnings,
  };
}
