// Records about sase's setup in a repository and its health (version 1): what
// sase init did, the problems sase fsck found and its summary, and the checks
// of sase doctor.
import type { Check } from '../core/doctor.ts';
import type { FsckReport, Problem } from '../core/fsck.ts';

/** What `sase init` did, or found done. */
export interface InitRecord {
  v: 1;
  kind: 'init';
  /** the state ref */
  id: string;
  state_ref: string;
  tip: string | null;
  /** whether this run made a new state (a root); false when it adopted one or found one */
  created: boolean;
  /** the remote whose state this run adopted, or null */
  adopted_from: string | null;
  /** the remote looked at for a state, or null (--no-fetch, no remote) */
  remote: string | null;
  /** what that remote holds: absent, adopted, same, related, unrelated or unreachable; null when none was looked at */
  remote_state: string | null;
  /** the bead id prefix: the state's (settings.json) */
  prefix: string;
  /** whether this run wrote settings.json */
  settings_created: boolean;
  /** the config file, or null outside a work tree */
  config: string | null;
  config_created: boolean;
  refspecs_added: string[];
}

export interface InitFacts {
  stateRef: string;
  tip: string | null;
  created: boolean;
  adoptedFrom: string | null;
  remote: string | null;
  remoteState: string | null;
  prefix: string;
  settingsCreated: boolean;
  config: string | null;
  configCreated: boolean;
  refspecsAdded: string[];
}

export function initToWire(f: InitFacts): InitRecord {
  return {
    v: 1,
    kind: 'init',
    id: f.stateRef,
    state_ref: f.stateRef,
    tip: f.tip,
    created: f.created,
    adopted_from: f.adoptedFrom,
    remote: f.remote,
    remote_state: f.remoteState,
    prefix: f.prefix,
    settings_created: f.settingsCreated,
    config: f.config,
    config_created: f.configCreated,
    refspecs_added: f.refspecsAdded,
  };
}

/** A problem `sase fsck` found; path, id and commit only when known. */
export interface ProblemRecord {
  v: 1;
  kind: 'problem';
  check: Problem['check'];
  path?: string;
  id?: string;
  commit?: string;
  message: string;
}

export function problemToWire(p: Problem): ProblemRecord {
  return {
    v: 1,
    kind: 'problem',
    check: p.check,
    ...(p.path === undefined ? {} : { path: p.path }),
    ...(p.id === undefined ? {} : { id: p.id }),
    ...(p.commit === undefined ? {} : { commit: p.commit }),
    message: p.message,
  };
}

/** A warning `sase fsck` found (not a problem): a problem record of kind "warning". */
export function warningToWire(p: Problem): Omit<ProblemRecord, 'kind'> & { kind: 'warning' } {
  return { ...problemToWire(p), kind: 'warning' };
}

/** `sase fsck`'s summary, after its problems. */
export interface FsckRecord {
  v: 1;
  kind: 'fsck';
  /** the tip checked */
  id: string | null;
  ok: boolean;
  tip: string | null;
  beads: number;
  /** operations replayed */
  operations: number;
  /** how many problems */
  problems: number;
  /** how many warnings */
  warnings: number;
}

export function fsckToWire(r: FsckReport): FsckRecord {
  return {
    v: 1,
    kind: 'fsck',
    id: r.tip,
    ok: r.problems.length === 0,
    tip: r.tip,
    beads: r.beads,
    operations: r.operations,
    problems: r.problems.length,
    warnings: r.warnings.length,
  };
}

/** One check of `sase doctor`. */
export interface CheckRecord {
  v: 1;
  kind: 'check';
  id: string;
  what: string;
  ok: boolean;
  needed: boolean;
  detail: string;
  version: string | null;
  path: string | null;
}

export function checkToWire(c: Check): CheckRecord {
  return {
    v: 1,
    kind: 'check',
    id: c.id,
    what: c.what,
    ok: c.ok,
    needed: c.needed,
    detail: c.detail,
    version: c.version,
    path: c.path,
  };
}
