// The JSON forms of beads on pipes (version 1): the bead record, built field
// by field from the stored record so the stored shape can change without
// breaking scripts; a bead as another record refers to it; the bead with its
// relations (show); a node of a dependency tree; a removal; an import.
import type { ImportOutcome, ImportWarning } from '../core/beads/import.ts';
import type { Skip } from '../core/beads/incoming.ts';
import {
  type Bead,
  type CloseRecord,
  type Dependency,
  type IssueType,
  isExternalRef,
  type Link,
  type Resolution,
  type Satisfied,
  type Size,
  type Status,
  type Tier,
} from '../core/beads/model.ts';
import type { RunBrief } from './agent.ts';

export interface BeadRecord {
  v: 1;
  kind: 'bead';
  id: string;
  /** the shortest unique form of the id */
  short_id: string;
  title: string;
  issue_type: IssueType;
  tier: Tier | null;
  parent_id: string | null;
  status: Status;
  priority: number;
  assignee: string | null;
  owner: string | null;
  size: Size | null;
  model: string | null;
  labels: string[];
  links: Link[];
  dependencies: Dependency[];
  description: string;
  notes: string;
  design: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  closed_at: string | null;
  close_reason: string | null;
  resolution: Resolution | null;
  close_history: CloseRecord[];
  /** parent or dependency ids that named no stored bead when written (an import's omitted beads) */
  missing: string[];
  /** blockers sase cannot see (external references, beads not stored) marked satisfied */
  satisfied: Satisfied[];
  /** an unclosed blocker holds it (its own or an ancestor's) */
  blocked: boolean;
}

/** What the store knows of a bead beyond its record: whether an unclosed blocker holds it. */
export interface BeadFacts {
  blocked: boolean;
}

export function beadToWire(b: Bead, shortId: string, facts: BeadFacts): BeadRecord {
  return {
    v: 1,
    kind: 'bead',
    id: b.id,
    short_id: shortId,
    title: b.title,
    issue_type: b.issue_type,
    tier: b.tier,
    parent_id: b.parent_id,
    status: b.status,
    priority: b.priority,
    assignee: b.assignee,
    owner: b.owner,
    size: b.size,
    model: b.model,
    labels: b.labels,
    links: b.links,
    dependencies: b.dependencies,
    description: b.description,
    notes: b.notes,
    design: b.design,
    created_at: b.created_at,
    created_by: b.created_by,
    updated_at: b.updated_at,
    closed_at: b.closed_at,
    close_reason: b.close_reason,
    resolution: b.resolution,
    close_history: b.close_history,
    missing: b.missing ?? [],
    satisfied: b.satisfied ?? [],
    blocked: facts.blocked,
  };
}

/** A bead as `sase bead blocked` lists it: with the unclosed beads that block it. */
export interface BlockedBeadRecord extends BeadRecord {
  blocked_by: string[];
}

export function blockedBeadToWire(b: Bead, shortId: string, blockedBy: string[]): BlockedBeadRecord {
  return { ...beadToWire(b, shortId, { blocked: true }), blocked_by: blockedBy };
}

/**
 * A bead as another record refers to it (show's parent, children, blockers);
 * status "missing" when it is gone, "external" for an external reference.
 */
export interface BeadRef {
  id: string;
  short_id: string;
  title: string | null;
  status: Status | 'missing' | 'external';
  issue_type: IssueType | null;
  priority: number | null;
}

export function beadRef(b: Bead, shortId: string): BeadRef {
  return {
    id: b.id,
    short_id: shortId,
    title: b.title,
    status: b.status,
    issue_type: b.issue_type,
    priority: b.priority,
  };
}

/** A reference to a bead that does not exist, or to an external reference. */
export function missingBeadRef(id: string): BeadRef {
  const status = isExternalRef(id) ? 'external' : 'missing';
  return { id, short_id: id, title: null, status, issue_type: null, priority: null };
}

/** What the store finds around a bead: its short id, its unclosed blockers, its relations resolved. */
export interface BeadRelations {
  short_id: string;
  open_blockers: string[];
  parent: BeadRef | null;
  children: BeadRef[];
  blockers: BeadRef[];
  dependants: BeadRef[];
}

/** `sase bead show`'s record: the bead with its relations and the runs that work it or its children. */
export interface BeadShowRecord extends BeadRecord {
  open_blockers: string[];
  parent: BeadRef | null;
  children: BeadRef[];
  blockers: BeadRef[];
  dependants: BeadRef[];
  runs: RunBrief[];
}

export function beadShowToWire(b: Bead, rel: BeadRelations, runs: RunBrief[]): BeadShowRecord {
  return {
    ...beadToWire(b, rel.short_id, { blocked: rel.open_blockers.length > 0 }),
    open_blockers: rel.open_blockers,
    parent: rel.parent,
    children: rel.children,
    blockers: rel.blockers,
    dependants: rel.dependants,
    runs,
  };
}

/** A node of `sase bead dep tree`, depth first. */
export interface DepNodeRecord {
  v: 1;
  kind: 'dep-node';
  id: string;
  depth: number;
  /** the node above, null for the root */
  via: string | null;
  /** null when the bead is missing */
  status: Status | null;
  title: string | null;
  /** no stored bead has this id */
  missing: boolean;
  /** an external reference (external:<project>:<capability>), never a bead here */
  external: boolean;
  /** missing or external, and marked satisfied by the node above: it does not block */
  satisfied: boolean;
  /** on the path already: the graph loops here */
  cycle: boolean;
  /** drawn earlier in the tree: not expanded again */
  repeat: boolean;
}

/** A node as the walk finds it. */
export interface DepNode {
  id: string;
  depth: number;
  via: string | null;
  bead: Bead | null;
  /** the node above marked this one (missing or external) satisfied */
  satisfied: boolean;
  cycle: boolean;
  repeat: boolean;
}

export function depNodeToWire(n: DepNode): DepNodeRecord {
  return {
    v: 1,
    kind: 'dep-node',
    id: n.id,
    depth: n.depth,
    via: n.via,
    status: n.bead?.status ?? null,
    title: n.bead?.title ?? null,
    missing: !n.bead && !isExternalRef(n.id),
    external: isExternalRef(n.id),
    satisfied: n.satisfied,
    cycle: n.cycle,
    repeat: n.repeat,
  };
}

/** A bead `sase bead rm` removed. */
export interface RemovedRecord {
  v: 1;
  kind: 'removed';
  id: string;
}

export function removedToWire(id: string): RemovedRecord {
  return { v: 1, kind: 'removed', id };
}

/** What `sase bead import` did: counts, the records skipped and why, the commit. */
export interface ImportRecord {
  v: 1;
  kind: 'import';
  created: number;
  updated: number;
  unchanged: number;
  skipped: Array<{ id: string | null; line: number; reason: string }>;
  warnings: number;
  /** every warning, in line order (the summary on stderr lists the first ones) */
  warned: Array<{ id: string; line: number; message: string }>;
  /** null when nothing changed, or in a dry run */
  commit: string | null;
}

export function importToWire(o: ImportOutcome, skipped: Skip[], warnings: ImportWarning[]): ImportRecord {
  return {
    v: 1,
    kind: 'import',
    created: o.created.length,
    updated: o.updated.length,
    unchanged: o.unchanged.length,
    skipped: skipped.map((s) => ({ id: s.id, line: s.line, reason: s.reason })),
    warnings: warnings.length,
    warned: warnings.map((w) => ({ id: w.id, line: w.line, message: w.message })),
    commit: o.commit,
  };
}
