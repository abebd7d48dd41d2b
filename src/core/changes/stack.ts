// Stacks of changes: a change's PARENT names the change it stacks on. This
// module owns the shape of the forest: a change's place in its stack, the
// order changes are listed in (parents before children), the cycle check a
// new parent must pass, and the queries `sase cs list --query` knows. Pure.

import { pushTo } from '../collections.ts';
import { NotFoundError, RefusedError, UsageError } from '../errors.ts';
import type { ChangeSpec } from './spec.ts';

export interface StackPlace {
  /** 1 for a change with no parent (or a parent that is gone) */
  position: number;
  /** positions in the longest chain through this change: below it, it, the deepest line of descendants */
  size: number;
  /** the chain under it, nearest first: [parent, grandparent, ..., root] */
  below: string[];
  /** the changes stacked directly on it, by name */
  above: string[];
}

function byName(all: ChangeSpec[]): Map<string, ChangeSpec> {
  return new Map(all.map((c) => [c.name, c]));
}

function childrenOf(all: ChangeSpec[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of [...all].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!c.parent) continue;
    const list = out.get(c.parent) ?? [];
    list.push(c.name);
    out.set(c.parent, list);
  }
  return out;
}

/** The parents of `name`, nearest first, up to the root (a missing parent or a loop in the stored records ends it). */
export function ancestors(all: ChangeSpec[], name: string): string[] {
  const index = byName(all);
  const out: string[] = [];
  const seen = new Set([name]);
  let next = index.get(name)?.parent ?? null;
  while (next && index.has(next) && !seen.has(next)) {
    out.push(next);
    seen.add(next);
    next = index.get(next)!.parent;
  }
  return out;
}

/** Every change stacked on `name`, directly or not, parents before children (siblings by name). */
export function descendants(all: ChangeSpec[], name: string): string[] {
  const kids = childrenOf(all);
  const out: string[] = [];
  const seen = new Set([name]);
  const walk = (n: string) => {
    for (const k of kids.get(n) ?? []) {
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(k);
      walk(k);
    }
  };
  walk(name);
  return out;
}

/** The records of the changes stacked on `name`, as `descendants` orders them. */
export function descendantsOf(all: ChangeSpec[], name: string): ChangeSpec[] {
  const index = byName(all);
  return descendants(all, name).map((n) => index.get(n)!);
}

export function stackPlace(all: ChangeSpec[], name: string): StackPlace {
  const below = ancestors(all, name);
  const kids = childrenOf(all);
  const seen = new Set([name, ...below]);
  const height = (n: string): number => {
    let best = 0;
    for (const k of kids.get(n) ?? []) {
      if (seen.has(k)) continue;
      seen.add(k);
      best = Math.max(best, 1 + height(k));
    }
    return best;
  };
  return { position: below.length + 1, size: below.length + 1 + height(name), below, above: kids.get(name) ?? [] };
}

/**
 * The changes in tree order: roots by name, each followed by the changes
 * stacked on it (pre-order), with their depth. A change whose parent is not
 * among `shown` hangs under its nearest ancestor that is (so a filtered list
 * keeps its shape), else it is a root.
 */
export function treeOrder(all: ChangeSpec[], shown: ChangeSpec[] = all): Array<{ change: ChangeSpec; depth: number }> {
  const names = new Set(shown.map((c) => c.name));
  const up = new Map<string, string | null>();
  for (const c of shown) up.set(c.name, ancestors(all, c.name).find((a) => names.has(a)) ?? null);
  const kids = new Map<string | null, ChangeSpec[]>();
  for (const c of [...shown].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = up.get(c.name)!;
    pushTo(kids, p, c);
  }
  const out: Array<{ change: ChangeSpec; depth: number }> = [];
  const seen = new Set<string>();
  const walk = (p: string | null, depth: number) => {
    for (const c of kids.get(p) ?? []) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      out.push({ change: c, depth });
      walk(c.name, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/**
 * Checks that `name` may stack on `parent`: the parent exists (not found, 4)
 * and is not `name` or stacked on it (refused, 1, naming the cycle).
 */
export function checkParent(all: ChangeSpec[], name: string, parent: string): void {
  const index = byName(all);
  if (!index.has(parent)) throw new NotFoundError(`no change '${parent}' (the parent)`);
  if (parent === name) throw new RefusedError(`change '${name}' cannot stack on itself`);
  const chain = [parent, ...ancestors(all, parent)];
  const at = chain.indexOf(name);
  if (at >= 0)
    throw new RefusedError(`parent '${parent}' would make a cycle: ${[name, ...chain.slice(0, at + 1)].join(' -> ')}`);
}

// ---- queries -----------------------------------------------------------------

export const QUERIES = ['unresolved', 'failing', 'text:<substring>'];

/** Whether a hook's latest run failed, for any hook of the change. */
export function isFailing(c: ChangeSpec): boolean {
  return c.hooks.some((h) => h.runs.length > 0 && h.runs[h.runs.length - 1]!.result === 'FAILED');
}

/** A `--query` as a predicate; an unknown one is a usage error naming the known ones. */
export function changeQuery(query: string): (c: ChangeSpec) => boolean {
  if (query === 'unresolved') return (c) => c.comments.some((k) => !k.resolved);
  if (query === 'failing') return isFailing;
  if (query.startsWith('text:')) {
    const needle = query.slice(5).toLowerCase();
    if (!needle) throw new UsageError("query 'text:' needs a substring ('text:<substring>')");
    return (c) => c.name.toLowerCase().includes(needle) || c.description.toLowerCase().includes(needle);
  }
  throw new UsageError(`unknown query '${query}' (known: ${QUERIES.join(', ')})`);
}

export const rebaseLabel = (name: string) => `rebase-${name}`;
