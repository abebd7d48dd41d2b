// Changes on the wire: the changespec record (FORMATS.md) and a comment.
import { isBlocking } from '../core/changes/hooks.ts';
import { changeBranch, type ChangeSpec, type Comment } from '../core/changes/spec.ts';

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
