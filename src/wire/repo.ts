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
  /** whether this run created the state ref */
  created: boolean;
  prefix: string;
  /** the config file, or null outside a work tree */
  config: string | null;
  config_created: boolean;
  refspecs_added: string[];
}

export interface InitFacts {
  stateRef: string;
  tip: string | null;
  created: boolean;
  prefix: string;
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
    prefix: f.prefix,
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
