// Changes on the wire: the changespec record (FORMATS.md) and a comment.
import { isBlocking } from '../core/changes/hooks.ts';
import { changeBranch, type ChangeSpec, type Comment } from '../core/changes/spec.ts';
import { FatalError } from '../core/errors.ts';
import {
  type ChangeStatus,
  type DeltaOp,
  type HookRun,
  serializeChangeSpec,
  parseChangeSpec,
} from '../core/changes/spec.ts';

/** The JSON form on pipes (version 1). */
export function changeToWire(c: ChangeSpec, extra: Record<string, unknown> = {}): Record<string, unknown> {
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
      runs: h.runs.map((r) => ({ ...r })),
    })),
    comments: c.comments.map((k) => ({ ...k })),
    unresolved: c.comments.filter((k) => !k.resolved).length,
    mentors: c.mentors.map((m) => ({ entry: m.entry, runs: [...m.runs] })),
    timestamps: c.timestamps.map((t) => ({ ...t })),
    ...extra,
  };
}

/** A comment on the wire (version 1). */
export function commentToWire(change: string, k: Comment): Record<string, unknown> {
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
  const list = (key: string): Array<Record<string, any>> => {
    const v = rec[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => !x || typeof x !== 'object')) bad(`'${key}' is not a list of objects`);
    return v as Array<Record<string, any>>;
  };
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
      runs: (Array.isArray(h.runs) ? h.runs : bad("'hooks.runs' is not a list")).map((r: Record<string, unknown>) => ({
        commit: num(r.commit, 'hooks.runs.commit'),
        at: str(r.at, 'hooks.runs.at'),
        result: str(r.result, 'hooks.runs.result') as HookRun['result'],
        seconds: num(r.seconds, 'hooks.runs.seconds'),
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
      runs: (Array.isArray(m.runs) ? m.runs : []).map((r: unknown) => str(r, 'mentors.runs')),
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
