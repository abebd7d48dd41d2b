// Checking the state: every record parses and validates, every reference
// resolves, no dependency cycle, and the log replays to the tip exactly.
import { cyclesIn } from '../../core/beads/graph.ts';
import { type Bead, idFromPath, isExternalRef, parseBead, shardOf } from '../../core/beads/model.ts';
import { type ChangeSpec, changePath, nameFromPath, parseChangeSpec } from '../../core/changes/spec.ts';
import { SaseError } from '../../core/errors.ts';
import type { FsckReport, Problem } from '../../core/fsck.ts';
import { parseSddPath } from '../../core/sdd/paths.ts';
import { validateStore } from '../../core/sdd/validate.ts';
import { listTreeFiles } from '../../git/history.ts';
import { readLog } from '../../store/log.ts';
import { replayLog } from '../../store/replay.ts';
import { sddReader } from '../../store/sdd.ts';
import { FORMAT_VERSION, type Store } from '../../store/store.ts';

// top-level entries that later capabilities own; fsck accepts them as they are
const OTHER_AREAS = ['agents/', 'workflows/', 'notifications/'];

export async function fsck(
  store: Store,
  opts: { replay?: boolean; progress?: (what: string) => void } = {},
): Promise<FsckReport> {
  const tip = await store.tip();
  const problems: Problem[] = [];
  if (!tip) return { tip, beads: 0, operations: 0, problems, warnings: [] };
  const files = await listTreeFiles(store.repo, tip);
  const beads = new Map<string, Bead>();
  const plans: Array<{ path: string; text: string }> = [];
  const changes = new Map<string, ChangeSpec>();
  let version: string | null = null;
  await Promise.all(
    files.map(async (f) => {
      if (f.path === 'VERSION') {
        version = (await store.cat.read(f.oid))?.data.toString('utf8').trim() ?? null;
        return;
      }
      if (OTHER_AREAS.some((a) => f.path.startsWith(a))) return;
      if (f.path.startsWith('changes/')) {
        const name = nameFromPath(f.path);
        if (name) {
          try {
            changes.set(name, parseChangeSpec((await store.cat.read(f.oid))!.data.toString('utf8'), f.path));
          } catch (err) {
            problems.push({
              check: 'record',
              path: f.path,
              message: err instanceof SaseError ? err.message : String(err),
            });
          }
        } else if (!/^changes\/[a-z0-9_]+\/hooks\/\d+-\d+\.log$/.test(f.path))
          problems.push({ check: 'path', path: f.path, message: `unexpected file '${f.path}' among the changes` });
        return;
      }
      if (f.path.startsWith('sdd/')) {
        if (parseSddPath(f.path))
          plans.push({ path: f.path, text: (await store.cat.read(f.oid))!.data.toString('utf8') });
        else problems.push({ check: 'path', path: f.path, message: `unexpected file '${f.path}' among the plans` });
        return;
      }
      const id = idFromPath(f.path);
      if (!id) {
        problems.push({ check: 'path', path: f.path, message: `unexpected file '${f.path}' in the state tree` });
        return;
      }
      if (f.path !== `beads/${shardOf(id)}/${id}.json`)
        problems.push({ check: 'path', path: f.path, id, message: `'${f.path}' is in the wrong shard for '${id}'` });
      try {
        const bead = parseBead((await store.cat.read(f.oid))!.data.toString('utf8'), f.path);
        if (bead.id !== id)
          problems.push({ check: 'record', path: f.path, id, message: `'${f.path}' holds bead '${bead.id}'` });
        beads.set(bead.id, bead);
      } catch (err) {
        problems.push({
          check: 'record',
          path: f.path,
          id,
          message: err instanceof SaseError ? err.message : String(err),
        });
      }
    }),
  );
  if (version !== FORMAT_VERSION)
    problems.push({
      check: 'version',
      path: 'VERSION',
      message: `format version is ${JSON.stringify(version)}, expected "${FORMAT_VERSION}"`,
    });
  // a reference recorded missing (an import's omitted bead) is a warning: it blocks until resolved
  const warnings: Problem[] = [];
  const dangling = (b: Bead, ref: string, message: string) => {
    if (b.satisfied?.some((s) => s.ref === ref)) return;
    if (!b.missing?.includes(ref)) problems.push({ check: 'reference', id: b.id, message });
    else
      warnings.push({
        check: 'reference',
        id: b.id,
        message: `${message} (recorded missing: it blocks until imported, or 'sase bead dep satisfy ${b.id} ${ref}')`,
      });
  };
  for (const b of beads.values()) {
    if (b.parent_id && !beads.has(b.parent_id))
      dangling(b, b.parent_id, `'${b.id}' has parent '${b.parent_id}', which does not exist`);
    const parent = b.parent_id ? beads.get(b.parent_id) : undefined;
    if (b.issue_type === 'phase' && parent && !(parent.issue_type === 'plan' && parent.tier === 'epic')) {
      problems.push({
        check: 'reference',
        id: b.id,
        message: `phase '${b.id}' has parent '${parent.id}', which is not an epic`,
      });
    }
    for (const d of b.dependencies) {
      if (!beads.has(d.depends_on_id) && !isExternalRef(d.depends_on_id))
        dangling(b, d.depends_on_id, `'${b.id}' depends on '${d.depends_on_id}', which does not exist`);
    }
  }
  const depsOf = (id: string) =>
    beads
      .get(id)
      ?.dependencies.map((d) => d.depends_on_id)
      .filter((x) => beads.has(x)) ?? [];
  for (const cycle of cyclesIn(beads.keys(), depsOf))
    problems.push({ check: 'cycle', id: cycle[0], message: `dependency cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  const parentsOf = (id: string) => {
    const p = beads.get(id)?.parent_id;
    return p && beads.has(p) ? [p] : [];
  };
  for (const cycle of cyclesIn(beads.keys(), parentsOf))
    problems.push({ check: 'cycle', id: cycle[0], message: `parent cycle: ${[...cycle, cycle[0]].join(' -> ')}` });

  for (const c of changes.values()) {
    if (c.parent && !changes.has(c.parent))
      problems.push({
        check: 'reference',
        path: changePath(c.name),
        message: `change '${c.name}' has parent '${c.parent}', which does not exist`,
      });
  }
  const parentOf = (n: string) => {
    const p = changes.get(n)?.parent;
    return p && changes.has(p) ? [p] : [];
  };
  for (const cycle of cyclesIn(changes.keys(), parentOf))
    problems.push({ check: 'cycle', message: `change parent cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  if (plans.length) {
    opts.progress?.('validating plans');
    for (const d of await validateStore(sddReader(store, store.snapshotAt(tip)), plans)) {
      if (d.severity === 'error')
        problems.push({
          check: 'plan',
          path: d.path,
          message: `${d.path}${d.line ? `:${d.line}` : ''}: ${d.message} [${d.code}]`,
        });
    }
  }

  let operations = 0;
  if (opts.replay !== false) {
    opts.progress?.('replaying the operation log');
    const log = await readLog(store, { reverse: true });
    const result = await replayLog(store, log);
    operations = result.replayed;
    for (const p of result.problems)
      problems.push({ check: 'log', commit: p.commit, message: `${p.commit.slice(0, 12)}: ${p.message}` });
    if (!result.matches) {
      const list = result.differences.slice(0, 10).join(', ') + (result.differences.length > 10 ? ', ...' : '');
      problems.push({
        check: 'replay',
        commit: tip,
        message: `replaying the log does not rebuild the tip's tree (differs at ${list || 'the tree'})`,
      });
    }
  }
  return { tip, beads: beads.size, operations, problems, warnings };
}
