// Changes on the wire: the changespec record (FORMATS.md), with what a
// command adds to it, and the records of a change's parts: a comment, a
// delta, a hook run, a mentor's review.
import type { RunStatus, RunWorkspace } from '../core/agents/run.ts';
import { type HookRunResult, isBlocking } from '../core/changes/hooks.ts';
import type { MentorResult, MentorStatus } from '../core/changes/mentors.ts';
import {
  type ChangeSpec,
  type ChangeStatus,
  type Comment,
  changeBranch,
  type Delta,
  type DeltaOp,
  type HookRun,
  parseChangeSpec,
  serializeChangeSpec,
} from '../core/changes/spec.ts';
import type { StackPlace } from '../core/changes/stack.ts';
import { FatalError } from '../core/errors.ts';

/** A commit of a change, as its record lists it. */
export interface CommitWire {
  n: number;
  subject: string;
  sha: string;
  bead: string | null;
}

export interface DeltaWire {
  op: DeltaOp;
  path: string;
  added: number;
  changed: number;
  removed: number;
}

export interface HookRunWire {
  commit: number;
  at: string;
  result: HookRun['result'];
  seconds: number;
}

export interface HookWire {
  command: string;
  /** a hook whose command starts with '!' does not block a submit */
  blocking: boolean;
  runs: HookRunWire[];
}

export interface CommentWire {
  id: number;
  author: string;
  path: string;
  line: number | null;
  text: string;
  resolved: boolean;
}

function commentWire(k: Comment): CommentWire {
  return { id: k.id, author: k.author, path: k.path, line: k.line, text: k.text, resolved: k.resolved };
}

/** The changespec record on pipes (version 1). */
export interface ChangeRecord {
  v: 1;
  kind: 'changespec';
  id: string;
  name: string;
  description: string;
  parent: string | null;
  cl: string | null;
  status: ChangeStatus;
  branch: string;
  commits: CommitWire[];
  deltas: DeltaWire[];
  hooks: HookWire[];
  comments: CommentWire[];
  /** how many comments are not resolved */
  unresolved: number;
  mentors: Array<{ entry: string; runs: string[] }>;
  timestamps: Array<{ at: string; event: string }>;
}

export function changeToWire(c: ChangeSpec): ChangeRecord {
  return {
    v: 1,
    kind: 'changespec',
    id: c.name,
    name: c.name,
    description: c.description,
    parent: c.parent,
    cl: c.cl,
    status: c.status,
    branch: changeBranch(c.name),
    commits: c.commits.map((k) => ({ n: k.n, subject: k.subject, sha: k.sha, bead: k.bead })),
    deltas: c.deltas.map((d) => ({ op: d.op, path: d.path, added: d.added, changed: d.changed, removed: d.removed })),
    hooks: c.hooks.map((h) => ({
      command: h.command,
      blocking: isBlocking(h.command),
      runs: h.runs.map((r) => ({ commit: r.commit, at: r.at, result: r.result, seconds: r.seconds })),
    })),
    comments: c.comments.map(commentWire),
    unresolved: c.comments.filter((k) => !k.resolved).length,
    mentors: c.mentors.map((m) => ({ entry: m.entry, runs: [...m.runs] })),
    timestamps: c.timestamps.map((t) => ({ at: t.at, event: t.event })),
  };
}

/** `sase cs show`'s record: the change with its place in its stack. */
export interface StackedChangeRecord extends ChangeRecord {
  stack: { position: number; size: number; below: string[]; above: string[] };
}

export function stackedChangeToWire(c: ChangeSpec, place: StackPlace): StackedChangeRecord {
  return {
    ...changeToWire(c),
    stack: { position: place.position, size: place.size, below: place.below, above: place.above },
  };
}

/** `sase cs list`'s record: the change with its depth in the tree of stacks. */
export interface ListedChangeRecord extends ChangeRecord {
  depth: number;
}

export function listedChangeToWire(c: ChangeSpec, depth: number): ListedChangeRecord {
  return { ...changeToWire(c), depth };
}

/** `sase cs mail`'s record: the change and what mailing it did. */
export interface MailedChangeRecord extends ChangeRecord {
  mailed: string[];
}

export function mailedChangeToWire(c: ChangeSpec, did: string[]): MailedChangeRecord {
  return { ...changeToWire(c), mailed: did };
}

/** `sase cs revert`'s record: the change and what reverting it did. */
export interface RevertedChangeRecord extends ChangeRecord {
  reverted: string[];
}

export function revertedChangeToWire(c: ChangeSpec, did: string[]): RevertedChangeRecord {
  return { ...changeToWire(c), reverted: did };
}

/** A child a submit rebased onto the new target, or says why not. */
export interface RestackWire {
  name: string;
  rebased: boolean;
  onto: string;
  reason: string | null;
}

/** What a submit did: its steps, the checks --force overrode, the children it restacked. */
export interface SubmitFacts {
  did: string[];
  overridden: string[];
  restacks: Array<{ name: string; to: string | null; onto: string; reason?: string }>;
}

/** `sase cs submit`'s record. */
export interface SubmittedChangeRecord extends ChangeRecord {
  submitted: string[];
  overridden: string[];
  restacked: RestackWire[];
}

export function restackToWire(s: SubmitFacts['restacks'][number]): RestackWire {
  return { name: s.name, rebased: s.to !== null, onto: s.onto, reason: s.reason ?? null };
}

export function submittedChangeToWire(c: ChangeSpec, r: SubmitFacts): SubmittedChangeRecord {
  return {
    ...changeToWire(c),
    submitted: r.did,
    overridden: r.overridden,
    restacked: r.restacks.map(restackToWire),
  };
}

/** How a rebase of one change went. */
export interface RebaseFacts {
  status: 'rebased' | 'up_to_date' | 'skipped' | 'stopped';
  from: string;
  to: string;
  baseBranch: string;
  onto: string;
}

/** `sase cs rebase`'s record: the change and its rebase. */
export interface RebasedChangeRecord extends ChangeRecord {
  rebase: {
    status: RebaseFacts['status'];
    from: string;
    to: string;
    base_branch: string | null;
    onto: string | null;
  };
}

export function rebasedChangeToWire(c: ChangeSpec, r: RebaseFacts): RebasedChangeRecord {
  return {
    ...changeToWire(c),
    rebase: {
      status: r.status,
      from: r.from,
      to: r.to,
      base_branch: r.baseBranch || null,
      onto: r.onto || null,
    },
  };
}

/** A review comment on the wire (version 1). */
export interface CommentRecord {
  v: 1;
  kind: 'comment';
  /** <change>#<n> */
  id: string;
  change: string;
  n: number;
  author: string;
  path: string;
  line: number | null;
  text: string;
  resolved: boolean;
}

export function commentToWire(change: string, k: Comment): CommentRecord {
  return {
    v: 1,
    kind: 'comment',
    id: `${change}#${k.id}`,
    change,
    n: k.id,
    author: k.author,
    path: k.path,
    line: k.line,
    text: k.text,
    resolved: k.resolved,
  };
}

/** A file a change touches, from its DELTAS (version 1). */
export interface DeltaRecord {
  v: 1;
  kind: 'delta';
  /** the path */
  id: string;
  changespec: string;
  op: DeltaOp;
  path: string;
  added: number;
  changed: number;
  removed: number;
}

export function deltaToWire(change: string, d: Delta): DeltaRecord {
  return {
    v: 1,
    kind: 'delta',
    id: d.path,
    changespec: change,
    op: d.op,
    path: d.path,
    added: d.added,
    changed: d.changed,
    removed: d.removed,
  };
}

/** One hook run against one commit of a change (version 1). */
export interface HookRunRecord {
  v: 1;
  kind: 'hook-run';
  /** <change>#<hook>@<commit> */
  id: string;
  change: string;
  hook: number;
  command: string;
  blocking: boolean;
  commit: number;
  sha: string;
  result: HookRunResult['result'];
  at: string;
  seconds: number;
  exit_code: number | null;
  timed_out: boolean;
  output_bytes: number;
  log: string | null;
}

export function hookRunToWire(r: HookRunResult): HookRunRecord {
  return {
    v: 1,
    kind: 'hook-run',
    id: `${r.change}#${r.hook}@${r.commit}`,
    change: r.change,
    hook: r.hook,
    command: r.command,
    blocking: r.blocking,
    commit: r.commit,
    sha: r.sha,
    result: r.result,
    at: r.at,
    seconds: r.seconds,
    exit_code: r.exit_code,
    timed_out: r.timed_out,
    output_bytes: r.output_bytes,
    log: r.log,
  };
}

/** A mentor's review of one commit of a change (version 1). */
export interface MentorRecord {
  v: 1;
  kind: 'mentor';
  /** the mentor run's id */
  id: string;
  change: string;
  profile: string;
  commit: number;
  sha: string;
  status: MentorStatus;
  run: string;
  run_name: string | null;
  run_status: RunStatus;
  error: string | null;
  workspace: RunWorkspace | null;
  /** the profile's open comments */
  comments: CommentWire[];
}

export function mentorToWire(r: MentorResult): MentorRecord {
  return {
    v: 1,
    kind: 'mentor',
    id: r.run.id,
    change: r.run.mentor!.change,
    profile: r.profile,
    commit: r.commit,
    sha: r.sha,
    status: r.status,
    run: r.run.id,
    run_name: r.run.name,
    run_status: r.run.status,
    error: r.run.error,
    workspace: r.run.workspace,
    comments: r.comments.map(commentWire),
  };
}

/**
 * A change from its JSON form (changeToWire's fields; the derived ones,
 * branch, unresolved, blocking and comment ids, are ignored). It is checked
 * by the text grammar, so what it accepts is what a stored text may hold;
 * `where` names it in errors.
 */
export function changeFromWire(rec: Record<string, unknown>, where: string): ChangeSpec {
  const bad = (what: string): never => {
    throw new FatalError(`${where}: ${what}`);
  };
  const isList = (v: unknown): v is unknown[] => Array.isArray(v);
  const list = (key: string): Array<Record<string, unknown>> => {
    const v = rec[key] ?? [];
    if (!isList(v) || v.some((x) => !x || typeof x !== 'object')) bad(`'${key}' is not a list of objects`);
    return v as Array<Record<string, unknown>>;
  };
  // a field of a list's item that may not be an object (a number reads as missing)
  const field = (item: unknown, key: string): unknown => (item as Record<string, unknown>)[key];
  const str = (v: unknown, key: string): string => (typeof v === 'string' ? v : bad(`'${key}' is not a string`));
  const opt = (v: unknown, key: string): string | null => (v === null || v === undefined ? null : str(v, key));
  const num = (v: unknown, key: string): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : bad(`'${key}' is not a whole number`);
  const c: ChangeSpec = {
    name: str(rec.name, 'name'),
    description: typeof rec.description === 'string' ? rec.description : '',
    parent: opt(rec.parent, 'parent'),
    cl: opt(rec.cl, 'cl'),
    status: str(rec.status, 'status') as ChangeStatus,
    commits: list('commits').map((k, i) => ({
      n: i + 1,
      subject: str(k.subject, 'commits.subject'),
      sha: str(k.sha, 'commits.sha'),
      bead: opt(k.bead, 'commits.bead'),
    })),
    deltas: list('deltas').map((d) => ({
      op: str(d.op, 'deltas.op') as DeltaOp,
      path: str(d.path, 'deltas.path'),
      added: num(d.added, 'deltas.added'),
      changed: num(d.changed, 'deltas.changed'),
      removed: num(d.removed, 'deltas.removed'),
    })),
    hooks: list('hooks').map((h) => ({
      command: str(h.command, 'hooks.command'),
      runs: (isList(h.runs) ? h.runs : bad("'hooks.runs' is not a list")).map((r) => ({
        commit: num(field(r, 'commit'), 'hooks.runs.commit'),
        at: str(field(r, 'at'), 'hooks.runs.at'),
        result: str(field(r, 'result'), 'hooks.runs.result') as HookRun['result'],
        seconds: num(field(r, 'seconds'), 'hooks.runs.seconds'),
      })),
    })),
    comments: list('comments').map((k, i) => ({
      id: i + 1,
      author: str(k.author, 'comments.author'),
      path: str(k.path, 'comments.path'),
      line: k.line === null || k.line === undefined ? null : num(k.line, 'comments.line'),
      text: str(k.text, 'comments.text'),
      resolved: k.resolved === true,
    })),
    mentors: list('mentors').map((m) => ({
      entry: str(m.entry, 'mentors.entry'),
      runs: (isList(m.runs) ? m.runs : []).map((r) => str(r, 'mentors.runs')),
    })),
    timestamps: list('timestamps').map((t) => ({
      at: str(t.at, 'timestamps.at'),
      event: str(t.event, 'timestamps.event'),
    })),
  };
  const text = serializeChangeSpec(c);
  const back = parseChangeSpec(text, where);
  if (JSON.stringify(changeToWire(back)) !== JSON.stringify(changeToWire(c)))
    bad(
      'fields that the text form would read back differently (a newline or blanks around a value, a comment ending in its own marker)',
    );
  return back;
}
