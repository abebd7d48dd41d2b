// What ACE lists, tab by tab: every record as an item (its key, the line
// fuzzy search sees, its fields for filters), and the records of the items
// chosen, as the list commands print them. Beads come from the bead cache's
// table, so 100,000 of them are searched without reading a record.
import type { AceItem, FieldFilter } from '../../core/ace/query.ts';
import type { AceTab } from '../../core/ace/tabs.ts';
import { sortIdsNaturally } from '../../core/beads/ids.ts';
import type { BeadTable } from '../../core/beads/table.ts';
import { isShown } from '../../core/notifications/model.ts';
import { sddOrder, tierOfDir } from '../../core/sdd/paths.ts';
import { parsePlan } from '../../core/sdd/plan.ts';
import { type BeadRow, readBeadRows, writeBeadRows } from '../../store/ace-rows.ts';
import { freshTable } from '../../store/bead-cache.ts';
import { wireBeads } from '../../store/bead-store.ts';
import { readBeads } from '../../store/beads.ts';
import { listChanges } from '../../store/changes.ts';
import { listNotifications } from '../../store/notifications.ts';
import { listRuns } from '../../store/runs.ts';
import { listSddFiles } from '../../store/sdd.ts';
import type { Store } from '../../store/store.ts';
import { listWfRuns } from '../../store/workflow-runs.ts';
import { listedChangeToWire } from '../../wire/change.ts';
import { notificationToWire } from '../../wire/notification.ts';
import { invalidPlanToWire, planToWire } from '../../wire/plan.ts';
import type { NamedRecord } from '../../wire/record.ts';
import { wfRunToWire } from '../../wire/workflow.ts';
import { wireRuns } from '../agents/view.ts';
import { wfLiveness } from '../workflows/executor.ts';

/** What a list shows when the query names no filter of that key: beads and changes that are not done, notifications not dismissed. */
export const DEFAULT_FILTERS: Record<AceTab, FieldFilter[]> = {
  beads: [{ key: 'status', value: 'closed', negate: true }],
  plans: [],
  changes: [{ key: 'status', value: 'Archived,Reverted', negate: true }],
  agents: [],
  workflows: [],
  notifications: [{ key: 'status', value: 'dismissed,snoozed', negate: true }],
};

export interface AceList {
  tab: AceTab;
  items: AceItem[];
  /** the records of some items, by key, in the order given */
  records(keys: string[]): Promise<NamedRecord[]>;
}

// a title of printable ASCII words with single spaces is already what a line needs
const PLAIN = /^[\x21-\x7e]+( [\x21-\x7e]+)*$/;
const squash = (s: string) => (PLAIN.test(s) ? s : s.replace(/\s+/g, ' ').trim().normalize());

/** The beads as ACE's rows, in id order. */
function beadRows(table: BeadTable): BeadRow[] {
  return sortIdsNaturally([...table.beads.keys()]).map((id) => {
    const e = table.beads.get(id)!;
    return [id, e.status, e.issue_type, e.priority, e.parent_id, e.assignee, e.tier, e.labels, squash(e.title)];
  });
}

/** Rows as items: each line joined (one flat string, not a tree of concatenated pieces). */
function beadItems(rows: readonly BeadRow[]): AceItem[] {
  return rows.map(([id, status, type, prio, parent, assignee, tier, labels, title]) => ({
    key: id,
    line: [id, status, type, `P${prio}`, title].join(' '),
    fields: { status, type, prio: String(prio), parent, assignee, tier, label: labels },
  }));
}

export async function loadAceList(
  store: Store,
  tab: AceTab,
  opts: {
    nowMs: number;
    progress?: (done: number, total: number) => void;
    /** the records are asked for later, if at all (the screen): read what they need then, rather than hold it */
    lean?: boolean;
  },
): Promise<AceList> {
  const snap = await store.snapshot();
  switch (tab) {
    case 'beads': {
      // the rows of a state seen before come from their own small file; else from the table, and kept for next time
      let table: BeadTable | null = null;
      let rows = readBeadRows(store, snap.tip);
      if (!rows) {
        table = await freshTable(store, snap.tip, opts.progress);
        rows = beadRows(table);
        try {
          writeBeadRows(store, snap.tip, rows);
        } catch {
          // a cache that cannot be written is read from the table next time
        }
      }
      const items = beadItems(rows);
      // at 100,000 beads the table is some 100 MB of objects: a screen reads it again if it needs it
      if (opts.lean) table = null;
      return {
        tab,
        items,
        records: async (keys) =>
          wireBeads(snap, await readBeads(snap, keys), table ?? (await freshTable(store, snap.tip, opts.progress))),
      };
    }
    case 'plans': {
      const files = (await listSddFiles(snap, ['tales', 'epics', 'legends'])).sort(sddOrder);
      const parsed = files.map((f) => ({ f, ...parsePlan(f.text, f.path), tier: tierOfDir(f.dir) }));
      const items = parsed.map(({ f, plan, tier }) => ({
        key: f.path,
        line: `${f.path} ${plan?.status ?? 'invalid'} ${squash(plan?.title ?? '')}`,
        fields: { status: plan?.status ?? 'invalid', tier: plan?.tier ?? tier },
      }));
      const byPath = new Map(parsed.map((p) => [p.f.path, p]));
      return {
        tab,
        items,
        records: async (keys) =>
          keys.map((k) => {
            const p = byPath.get(k)!;
            return p.plan ? planToWire(k, p.plan) : invalidPlanToWire(k, p.tier, p.f.slug, p.diagnostics);
          }),
      };
    }
    case 'changes': {
      const all = await listChanges(snap);
      const byName = new Map(all.map((c) => [c.name, c]));
      const items = all.map((c) => ({
        key: c.name,
        line: `${c.name} ${c.status} ${squash(c.description.split('\n')[0] ?? '')}`,
        fields: {
          status: c.status,
          parent: c.parent,
          bead: [...new Set(c.commits.flatMap((k) => (k.bead ? [k.bead] : [])))],
        },
      }));
      return { tab, items, records: async (keys) => keys.map((k) => listedChangeToWire(byName.get(k)!, 0)) };
    }
    case 'agents': {
      // newest first, as sase agent list shows them
      const runs = (await listRuns(snap)).reverse();
      const byId = new Map(runs.map((r) => [r.id, r]));
      const items = runs.map((r) => ({
        key: r.id,
        line: `${r.id} ${r.name ?? ''} ${r.status} ${r.provider} ${r.bead ?? ''}`,
        fields: { status: r.status, provider: r.provider, bead: r.bead, name: r.name },
      }));
      return {
        tab,
        items,
        records: async (keys) =>
          wireRuns(
            store,
            keys.map((k) => byId.get(k)!),
            opts.nowMs,
          ),
      };
    }
    case 'workflows': {
      const runs = (await listWfRuns(snap)).reverse();
      const byId = new Map(runs.map((r) => [r.id, r]));
      const items = runs.map((r) => ({
        key: r.id,
        line: `${r.id} ${r.workflow} ${r.status}`,
        fields: { status: r.status, workflow: r.workflow },
      }));
      return {
        tab,
        items,
        records: async (keys) => keys.map((k) => wfRunToWire(byId.get(k)!, wfLiveness(byId.get(k)!, opts.nowMs))),
      };
    }
    case 'notifications': {
      const all = await listNotifications(snap);
      const byId = new Map(all.map((n) => [n.id, n]));
      const items = all.map((n) => ({
        key: n.id,
        line: `${n.id} ${n.type} ${n.state} ${squash(n.title)}`,
        fields: {
          status: isShown(n, opts.nowMs) || n.state === 'dismissed' ? n.state : 'snoozed',
          type: n.type,
          severity: n.severity,
        },
      }));
      return { tab, items, records: async (keys) => keys.map((k) => notificationToWire(byId.get(k)!)) };
    }
  }
}
