// Plans in the state ref: finding them by slug or path, reading the plan
// store, and committing plan operations (with the beads they create) in one
// transaction.

import type { BeadChange } from '../core/beads/ops.ts';
import { AmbiguousError, ConflictError, NotFoundError, UsageError, withHint } from '../core/errors.ts';
import { applySddOp, type FileChange, type SddOp, sddSummary } from '../core/sdd/ops.ts';
import {
  isValidSlug,
  PLAN_TIERS,
  parseSddPath,
  planPath,
  SDD_DIR,
  TIER_DIRS,
  type TierDir,
} from '../core/sdd/paths.ts';
import { type PreparedPlan, preparePlan } from '../core/sdd/store-plan.ts';
import type { StoredFile } from '../core/sdd/validate.ts';
import { relationsAt } from './bead-cache.ts';
import { SnapshotBeadReader, stateChangesToTree } from './beads.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';

export interface SddFile extends StoredFile {
  dir: TierDir;
  slug: string;
}

/** A reader of beads and files over a snapshot, for plan operations and validation. */
export function sddReader(store: Store, snap: Snapshot): SnapshotBeadReader {
  return new SnapshotBeadReader(snap, async () => relationsAt(store, snap.tip));
}

/** Every plan and prompt in the given directories (all by default), in path order. */
export async function listSddFiles(snap: Snapshot, dirs: readonly TierDir[] = TIER_DIRS): Promise<SddFile[]> {
  const lists = await Promise.all(
    dirs.map(async (dir) => {
      const entries = (await snap.tree(`${SDD_DIR}/${dir}`)) ?? [];
      return Promise.all(
        entries
          .filter((e) => e.mode !== '40000')
          .map(async (e) => {
            const path = `${SDD_DIR}/${dir}/${e.name}`;
            const at = parseSddPath(path);
            if (!at) return null;
            const text = (await snap.readText(path)) ?? '';
            return { path, text, dir, slug: at.slug };
          }),
      );
    }),
  );
  return lists
    .flat()
    .filter((f): f is SddFile => f !== null)
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * The stored plan a person named: a path (sdd/epics/x.md), a tier and slug
 * (epics/x), or a bare slug looked up in every tier.
 */
export async function findPlan(
  snap: Snapshot,
  ref: string,
  opts: { prompts?: boolean } = {},
): Promise<{ path: string; text: string; dir: TierDir; slug: string }> {
  const cleaned = ref.replace(/^\.?\/+/, '');
  const asPath = parseSddPath(cleaned) ?? parseSddPath(`${SDD_DIR}/${cleaned.replace(/\.md$/, '')}.md`);
  let candidates: string[];
  if (asPath) candidates = [`${SDD_DIR}/${asPath.dir}/${asPath.slug}.md`];
  else if (isValidSlug(cleaned))
    candidates = [
      ...PLAN_TIERS.map((t) => planPath(t, cleaned)),
      ...(opts.prompts ? [`${SDD_DIR}/prompts/${cleaned}.md`] : []),
    ];
  else
    throw new UsageError(
      `'${ref}' is not a plan slug (lower-case letters and digits joined by single '-') or a path like sdd/epics/<slug>.md`,
    );
  const found: Array<{ path: string; text: string }> = [];
  for (const path of candidates) {
    const text = await snap.readText(path);
    if (text !== null) found.push({ path, text });
  }
  // a unique prefix of a slug names its plan, as a short id names a bead
  if (!found.length)
    found.push(
      ...(await slugsStartingWith(
        snap,
        asPath ? asPath.slug : cleaned,
        asPath ? [asPath.dir] : TIER_DIRS.filter((d) => d !== 'prompts' || opts.prompts),
      )),
    );
  if (found.length === 0) throw withHint(new NotFoundError(`no plan '${ref}'`), "try 'sase sdd list'");
  if (found.length > 1)
    throw new AmbiguousError(
      ref,
      found.map((f) => f.path),
    );
  const at = parseSddPath(found[0]!.path)!;
  return { ...found[0]!, dir: at.dir, slug: at.slug };
}

/** The plans (and prompts) in `dirs` whose slug starts with `stem`; a lone one with its text. */
async function slugsStartingWith(
  snap: Snapshot,
  stem: string,
  dirs: readonly TierDir[],
): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  for (const dir of dirs)
    for (const e of (await snap.tree(`${SDD_DIR}/${dir}`)) ?? []) {
      const path = `${SDD_DIR}/${dir}/${e.name}`;
      if (e.mode !== '40000' && parseSddPath(path)?.slug.startsWith(stem)) out.push({ path, text: '' });
    }
  if (out.length === 1) out[0]!.text = (await snap.readText(out[0]!.path)) ?? '';
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export interface SddCommit<T> {
  result: T;
  commit: string | null;
  beads: BeadChange[];
  files: FileChange[];
}

/**
 * Builds a plan operation on the current state and commits it with the files
 * the command wrote and the changes the operation makes, all in one commit;
 * rebuilt on every retry. A build that returns no operation commits nothing.
 */
export async function commitSdd<T>(
  store: Store,
  build: (reader: SnapshotBeadReader) => Promise<{ op: SddOp | null; files?: FileChange[]; result: T }>,
): Promise<SddCommit<T>> {
  const { result, commit } = await store.transact(async (snap) => {
    const reader = sddReader(store, snap);
    const built = await build(reader);
    if (!built.op)
      return {
        op: { op: 'none' },
        summary: '',
        changes: new Map(),
        result: {
          result: built.result,
          commit: null as string | null,
          beads: [] as BeadChange[],
          files: [] as FileChange[],
        },
      };
    const applied = await applySddOp(reader, built.op);
    const files = [...(built.files ?? []), ...applied.files];
    return {
      op: built.op,
      summary: sddSummary(built.op, applied.beads.length),
      changes: stateChangesToTree(applied.beads, files),
      result: { result: built.result, commit: null as string | null, beads: applied.beads, files },
    };
  });
  return { ...result, commit };
}

export interface PutResult {
  prepared: PreparedPlan;
  /** a commit was made */
  stored: boolean;
  at: string;
}

/**
 * Validates `text` (named `where` in diagnostics) and stores it as a new
 * version of its plan when it has no errors; nothing is committed when it is
 * what is stored already. With `base`, the stored plan must still be that
 * text (an edit of it), else nothing is stored.
 */
export async function putPlan(
  store: Store,
  text: string,
  where: string,
  opts: { strict: boolean; at: string; base?: { path: string; text: string } },
): Promise<PutResult> {
  const { at, base } = opts;
  const ident = await store.ident();
  const { result, commit } = await commitSdd(store, async (reader) => {
    if (base && (await reader.readFile(base.path)) !== base.text)
      throw new ConflictError(`'${base.path}' changed while it was being edited; nothing stored`);
    const prepared = await preparePlan(reader, text, where, at, [], opts.strict);
    if (!prepared.text || prepared.unchanged) return { op: null, result: prepared };
    return {
      op: { op: 'sdd.put', paths: [prepared.path], at, actor: ident.email },
      files: [{ path: prepared.path, text: prepared.text }],
      result: prepared,
    };
  });
  return { prepared: result, stored: commit !== null, at };
}
