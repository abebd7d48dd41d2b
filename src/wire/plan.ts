// The JSON forms of plans, prompts and validation diagnostics on pipes
// (version 1), built field by field from the parsed records; a plan with its
// links (show), a stored version of one (history), a commit linked to one,
// and a file an export wrote.
import type { Size } from '../core/beads/model.ts';
import type { Diagnostic, Severity } from '../core/sdd/diagnostics.ts';
import type { PlanStatus, PlanTier } from '../core/sdd/paths.ts';
import type { Plan, PromptArtifact } from '../core/sdd/plan.ts';
import type { BeadRef } from './bead.ts';
import type { LoggedOp } from './log.ts';

export interface PlanWireExtra {
  /** when the plan was last stored (the operation's time) */
  updated_at?: string | null;
}

export interface PhaseWire {
  id: string;
  title: string;
  size: Size;
  depends_on: string[];
  description: string | null;
  model: string | null;
  scope: string[];
}

export interface PlanRecord {
  v: 1;
  kind: 'plan';
  /** its path in the store */
  id: string;
  path: string;
  slug: string;
  tier: PlanTier;
  title: string;
  goal: string;
  status: PlanStatus;
  bead: string | null;
  prompt: string | null;
  model: string | null;
  size: Size | null;
  /** an epic's phases; null for other tiers */
  phases: PhaseWire[] | null;
  /** a legend's epics; null for other tiers */
  epics: string[] | null;
  created_at: string | null;
  updated_at: string | null;
  body: string;
}

export function planToWire(path: string, p: Plan, extra: PlanWireExtra = {}): PlanRecord {
  return {
    v: 1,
    kind: 'plan',
    id: path,
    path,
    slug: p.slug,
    tier: p.tier,
    title: p.title,
    goal: p.goal,
    status: p.status,
    bead: p.bead,
    prompt: p.prompt,
    model: p.model,
    size: p.size,
    phases:
      p.tier === 'epic'
        ? p.phases.map((ph) => ({
            id: ph.id,
            title: ph.title,
            size: ph.size,
            depends_on: ph.depends_on,
            description: ph.description,
            model: ph.model,
            scope: ph.scope,
          }))
        : null,
    epics: p.tier === 'legend' ? p.epics : null,
    created_at: p.created_at,
    updated_at: extra.updated_at ?? null,
    body: p.body,
  };
}

export interface PromptRecord {
  v: 1;
  kind: 'prompt';
  id: string;
  path: string;
  slug: string;
  /** the plan it names */
  plan: string | null;
  created_at: string | null;
  updated_at: string | null;
  body: string;
}

export function promptToWire(path: string, slug: string, p: PromptArtifact, extra: PlanWireExtra = {}): PromptRecord {
  return {
    v: 1,
    kind: 'prompt',
    id: path,
    path,
    slug,
    plan: p.plan,
    created_at: p.created_at,
    updated_at: extra.updated_at ?? null,
    body: p.body,
  };
}

/** A stored plan that no longer parses: what its path says, null fields, and why. */
export interface InvalidPlanRecord {
  v: 1;
  kind: 'plan';
  id: string;
  path: string;
  slug: string;
  tier: string | null;
  title: null;
  goal: null;
  status: 'invalid';
  bead: null;
  prompt: null;
  model: null;
  size: null;
  phases: null;
  epics: null;
  created_at: null;
  updated_at: string | null;
  body: null;
  diagnostics: DiagnosticRecord[];
}

/** A stored prompt that no longer parses. */
export interface InvalidPromptRecord {
  v: 1;
  kind: 'prompt';
  id: string;
  path: string;
  slug: string;
  plan: null;
  created_at: null;
  status: 'invalid';
  updated_at: string | null;
  body: null;
  diagnostics: DiagnosticRecord[];
}

/**
 * A stored plan or prompt that no longer parses: listed rather than hidden,
 * with status "invalid", what its path says, and why.
 */
export function invalidPlanToWire(
  path: string,
  tier: string | null,
  slug: string,
  diagnostics: Diagnostic[],
  extra: PlanWireExtra = {},
): InvalidPlanRecord {
  return {
    v: 1,
    kind: 'plan',
    id: path,
    path,
    slug,
    tier,
    title: null,
    goal: null,
    status: 'invalid',
    bead: null,
    prompt: null,
    model: null,
    size: null,
    phases: null,
    epics: null,
    created_at: null,
    updated_at: extra.updated_at ?? null,
    body: null,
    diagnostics: diagnostics.map(diagnosticToWire),
  };
}

export function invalidPromptToWire(
  path: string,
  slug: string,
  diagnostics: Diagnostic[],
  extra: PlanWireExtra = {},
): InvalidPromptRecord {
  return {
    v: 1,
    kind: 'prompt',
    id: path,
    path,
    slug,
    plan: null,
    created_at: null,
    status: 'invalid',
    updated_at: extra.updated_at ?? null,
    body: null,
    diagnostics: diagnostics.map(diagnosticToWire),
  };
}

/** What `sase sdd list` prints: a plan or a prompt, each maybe invalid. */
export type SddFileRecord = PlanRecord | PromptRecord | InvalidPlanRecord | InvalidPromptRecord;

/** A validation finding (version 1). */
export interface DiagnosticRecord {
  v: 1;
  kind: 'diagnostic';
  code: string;
  severity: Severity;
  path: string;
  line: number | null;
  message: string;
}

export function diagnosticToWire(d: Diagnostic): DiagnosticRecord {
  return {
    v: 1,
    kind: 'diagnostic',
    code: d.code,
    severity: d.severity,
    path: d.path,
    line: d.line,
    message: d.message,
  };
}

/** The plan's prompt, as `sdd show` finds it: whether it is stored, and the plan it names back. */
export interface PromptLink {
  path: string;
  exists: boolean;
  plan: string | null;
}

/** An epic a legend coordinates: its plan's status ("missing" when there is no such plan) and bead. */
export interface EpicPlanLink {
  slug: string;
  path: string;
  status: PlanStatus | 'missing' | 'invalid';
  bead: string | null;
}

/** A code commit whose note names the plan or one of its beads; subject and date null when this clone lacks it. */
export interface PlanCommit {
  commit: string;
  subject: string | null;
  date: string | null;
  plan: string | null;
  bead: string | null;
}

/** What the store finds around a plan: its prompt, its beads (an epic's phases in order), its epics, its commits. */
export interface PlanLinks {
  prompt: PromptLink | null;
  bead: BeadRef | null;
  /** for an epic, each phase's bead in phase order (null before approval); null for other tiers */
  phase_beads: Array<BeadRef | null> | null;
  epic_plans: EpicPlanLink[] | null;
  commits: PlanCommit[];
}

/** `sase sdd show`'s record: the plan with its links resolved. */
export interface PlanShowRecord extends PlanRecord {
  prompt_record: PromptLink | null;
  bead_record: BeadRef | null;
  phase_beads: Array<{ phase: string; bead: BeadRef | null }> | null;
  epic_plans: EpicPlanLink[] | null;
  commits: PlanCommit[];
}

export function planShowToWire(path: string, plan: Plan, updatedAt: string | null, links: PlanLinks): PlanShowRecord {
  const phaseBeads = links.phase_beads;
  return {
    ...planToWire(path, plan, { updated_at: updatedAt }),
    prompt_record: links.prompt && { path: links.prompt.path, exists: links.prompt.exists, plan: links.prompt.plan },
    bead_record: links.bead,
    phase_beads: phaseBeads && plan.phases.map((ph, i) => ({ phase: ph.id, bead: phaseBeads[i] ?? null })),
    epic_plans:
      links.epic_plans === null
        ? null
        : links.epic_plans.map((e) => ({ slug: e.slug, path: e.path, status: e.status, bead: e.bead })),
    commits: links.commits.map((k) => ({
      commit: k.commit,
      subject: k.subject,
      date: k.date,
      plan: k.plan,
      bead: k.bead,
    })),
  };
}

/** A stored version of a plan or prompt, as `sase sdd history` lists it (version 1). */
export interface PlanVersionRecord {
  v: 1;
  kind: 'plan-version';
  /** the commit that stored it */
  id: string;
  commit: string;
  path: string;
  op: string | null;
  actor: string;
  at: string;
  summary: string;
  /** the plan's status in that version ("invalid" when it does not parse); null for a prompt */
  status: PlanStatus | 'invalid' | null;
  /** the file's blob id */
  blob: string;
  /** with --patch: the diff from the version before */
  patch?: string;
}

/** A version as the store finds it: the operation that wrote it, the file, its blob. */
export interface StoredVersion {
  entry: LoggedOp;
  path: string;
  blob: string;
}

export function planVersionToWire(
  v: StoredVersion,
  status: PlanStatus | 'invalid' | null,
  patch?: string,
): PlanVersionRecord {
  const e = v.entry;
  const rec: PlanVersionRecord = {
    v: 1,
    kind: 'plan-version',
    id: e.commit,
    commit: e.commit,
    path: v.path,
    op: e.op?.op ?? null,
    actor: e.actor,
    at: e.at,
    summary: e.summary,
    status,
    blob: v.blob,
  };
  if (patch !== undefined) rec.patch = patch;
  return rec;
}

/** A code commit `sase sdd link` noted as carrying out a plan (version 1). */
export interface LinkRecord {
  v: 1;
  kind: 'link';
  /** the commit */
  id: string;
  commit: string;
  subject: string;
  plan: string;
  bead: string | null;
  /** the epic's phase, with --phase */
  phase: string | null;
  /** false when the note was there already */
  added: boolean;
}

export function linkToWire(
  commit: { oid: string; subject: string },
  plan: string,
  bead: string | null,
  phase: string | null,
  added: boolean,
): LinkRecord {
  return { v: 1, kind: 'link', id: commit.oid, commit: commit.oid, subject: commit.subject, plan, bead, phase, added };
}

/** A file `sase sdd export` wrote (version 1). */
export interface ExportedFileRecord {
  v: 1;
  kind: 'file';
  /** the path written */
  id: string;
  path: string;
  /** its path in the state ref */
  source: string;
}

export function exportedFileToWire(path: string, source: string): ExportedFileRecord {
  return { v: 1, kind: 'file', id: path, path, source };
}
