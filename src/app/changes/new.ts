// A new change: its branch sase/cs/<name> made at a commit, then its record
// (and the bead's link to it) in one operation; the branch is dropped again
// when the record cannot be written.

import { beadPath, serializeBead } from '../../core/beads/model.ts';
import type { ChangeSpec, ChangeStatus } from '../../core/changes/spec.ts';
import { NotFoundError, RefusedError } from '../../core/errors.ts';
import { commitChange, readChange } from '../../store/changes.ts';
import type { Store } from '../../store/store.ts';
import { createChangeBranch, dropChangeBranch } from './code.ts';

export interface NewChange {
  name: string;
  description: string;
  parent: string | null;
  status: ChangeStatus;
  /** the commit its branch starts at, and what that was (a branch name or revision), for TIMESTAMPS */
  start: string;
  from: string;
  bead: string | null;
  at: string;
}

export async function newChange(store: Store, n: NewChange): Promise<ChangeSpec> {
  const { name, parent, status, start, from, bead, at } = n;
  await createChangeBranch(store, name, start);
  try {
    const { result } = await commitChange(store, at, async (s, reader) => {
      if (await readChange(s, name)) throw new RefusedError(`change '${name}' exists`);
      if (parent && !(await readChange(s, parent))) throw new NotFoundError(`no change '${parent}' (the parent)`);
      const c: ChangeSpec = {
        name,
        description: n.description,
        parent,
        cl: null,
        status,
        commits: [],
        deltas: [],
        hooks: [],
        comments: [],
        mentors: [],
        timestamps: [
          { at, event: `CREATE ${status} from ${from} at ${start.slice(0, 12)}` },
          ...(bead ? [{ at, event: `BEAD ${bead}` }] : []),
        ],
      };
      const files: Array<{ path: string; text: string }> = [];
      if (bead) {
        const b = await reader.get(bead);
        if (!b) throw new NotFoundError(`no bead '${bead}'`);
        if (!b.links.some((l) => l.kind === 'changespec' && l.target === name)) {
          files.push({
            path: beadPath(b.id),
            text: serializeBead({ ...b, links: [...b.links, { kind: 'changespec', target: name }], updated_at: at }),
          });
        }
      }
      return { op: { op: 'cs.new', name, parent, bead }, changes: [c], files, result: c };
    });
    return result;
  } catch (err) {
    await dropChangeBranch(store, name, start);
    throw err;
  }
}
