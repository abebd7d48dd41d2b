// Checking the state: every record parses and validates, every reference
// resolves, no dependency cycle, and the log replays to the tip exactly.

import { parseRun } from '../../core/agents/run.ts';
import { EXCERPTS_DIR, excerptLine, excerptsFile, excerptsTree, isExcerptsPath } from '../../core/beads/excerpts.ts';
import { cyclesIn } from '../../core/beads/graph.ts';
import { type Bead, idFromPath, isExternalRef, parseBead, shardOf } from '../../core/beads/model.ts';
import { type ChangeSpec, changePath, nameFromPath, parseChangeSpec } from '../../core/changes/spec.ts';
import { pushTo } from '../../core/collections.ts';
import { identityProblem, SaseError } from '../../core/errors.ts';
import type { FsckReport, Problem } from '../../core/fsck.ts';
import { MAX_STATE_BLOB, MAX_STATE_TREE, pathProblem } from '../../core/layout.ts';
import { parseNotification } from '../../core/notifications/model.ts';
import { validateStore } from '../../core/sdd/validate.ts';
import { parseSettings, SETTINGS_PATH } from '../../core/settings.ts';
import { parseWfRun } from '../../core/workflows/run.ts';
import { ObjectTooLargeError } from '../../git/catfile.ts';
import { parseTree } from '../../git/objects.ts';
import { BEADS_DIR } from '../../store/beads.ts';
import { readLog } from '../../store/log.ts';
import { replayLog } from '../../store/replay.ts';
import { sddReader } from '../../store/sdd.ts';
import { oidBytesOf, walkStateFiles } from '../../store/snapshot.ts';
import { FORMAT_VERSION, STATE_REF, type Store } from '../../store/store.ts';
import { localProblems } from './local.ts';

export async function fsck(
  store: Store,
  opts: { replay?: boolean; progress?: (what: string) => void; local?: boolean } = {},
): Promise<FsckReport> {
  const tip = await store.tip();
  const problems: Problem[] = [];
  // what killed commands left outside the state ref (local: false skips it, as doctor checks it itself)
  if (opts.local !== false) problems.push(...(await localProblems(store)));
  if (!tip) return { tip, beads: 0, operations: 0, problems, warnings: [] };
  const type = await store.cat.typeOf(tip);
  if (type !== 'commit') {
    // nothing below can be read as sase's state: say so, and no more
    problems.push({
      check: 'ref',
      commit: tip,
      message: `'${STATE_REF}' names ${type ? `a ${type}` : 'nothing git has'} (${tip}), not a commit`,
    });
    return { tip, beads: 0, operations: 0, problems, warnings: [] };
  }
  // every tree read within the size a reader takes: one too large is named, and what it holds left unread
  const files =
    (await walkStateFiles(store.cat, store.repo, `${tip}^{tree}`, '', (err) =>
      problems.push({
        check: 'path',
        path: err.path,
        message: `'${err.path}' is ${err.size} bytes, over the ${err.max} a reader takes`,
      }),
    )) ?? [];
  const beads = new Map<string, Bead>();
  /** each bead's blob, by id, and the excerpts files, by shard (checked against the records below) */
  const beadOids = new Map<string, string>();
  const excerptFiles = new Map<string, { path: string; oid: string }>();
  const plans: Array<{ path: string; text: string }> = [];
  const changes = new Map<string, ChangeSpec>();
  let version: string | null = null;
  const problem = (check: Problem['check'], path: string, err: unknown, id?: string) =>
    problems.push({
      check,
      path,
      ...(id ? { id } : {}),
      message: err instanceof SaseError ? err.message : String(err),
    });
  /** A file's text, or null after naming why it cannot be read (too large, not a blob). */
  const text = async (f: { path: string; oid: string }): Promise<string | null> => {
    try {
      const obj = await store.cat.read(f.oid, MAX_STATE_BLOB);
      if (obj?.type === 'blob') return obj.data.toString('utf8');
      problems.push({ check: 'record', path: f.path, message: `'${f.path}' is not a file git has` });
    } catch (err) {
      if (err instanceof ObjectTooLargeError)
        problems.push({
          check: 'record',
          path: f.path,
          message: `'${f.path}' is ${err.size} bytes, over the ${err.max} a reader takes`,
        });
      else problem('record', f.path, err);
    }
    return null;
  };
  await Promise.all(
    files.map(async (f) => {
      const bad = pathProblem(f.path, f.mode);
      if (bad) {
        problems.push({ check: 'path', path: bad.path, message: `'${bad.path}' ${bad.problem}` });
        return;
      }
      if (f.path === 'VERSION') {
        version = (await text(f))?.trim() ?? null;
        return;
      }
      if (f.path === SETTINGS_PATH) {
        const t = await text(f);
        if (t === null) return;
        try {
          parseSettings(t, SETTINGS_PATH);
        } catch (err) {
          problem('record', f.path, err);
        }
        return;
      }
      if (f.path.startsWith('changes/')) {
        const name = nameFromPath(f.path);
        const t = name ? await text(f) : null;
        if (t === null) return;
        try {
          const c = parseChangeSpec(t, f.path);
          const other = identityProblem(c.name, name);
          if (other) problems.push({ check: 'record', path: f.path, message: `'${f.path}' ${other}` });
          else changes.set(c.name, c);
        } catch (err) {
          problem('record', f.path, err);
        }
        return;
      }
      if (f.path.startsWith('sdd/')) {
        const t = await text(f);
        if (t !== null) plans.push({ path: f.path, text: t });
        return;
      }
      // records named by their id: an agent run, a workflow run, a notification
      const named = /^(agents\/[^/]+|workflows|notifications)\/([^/]+)\.json$/.exec(f.path);
      if (named) {
        const t = await text(f);
        if (t === null) return;
        const parse = { agents: parseRun, workflows: parseWfRun, notifications: parseNotification }[
          named[1]!.split('/')[0] as 'agents' | 'workflows' | 'notifications'
        ];
        try {
          const other = identityProblem(parse(t, f.path).id, named[2]!);
          if (other) problems.push({ check: 'record', path: f.path, message: `'${f.path}' ${other}` });
        } catch (err) {
          problem('record', f.path, err);
        }
        return;
      }
      if (isExcerptsPath(f.path)) {
        excerptFiles.set(f.path.slice(EXCERPTS_DIR.length + 1), f);
        return;
      }
      const id = idFromPath(f.path);
      if (!id) {
        // a place the layout does not know: no reader reads it, but it is not sase's
        if (!/^(agents|workflows|notifications)\//.test(f.path))
          problems.push({ check: 'path', path: f.path, message: `unexpected file '${f.path}' in the state tree` });
        return;
      }
      const t = await text(f);
      if (t === null) return;
      try {
        const bead = parseBead(t, f.path);
        const other = identityProblem(bead.id, id);
        if (other) problems.push({ check: 'record', path: f.path, id, message: `'${f.path}' ${other}` });
        else {
          beads.set(bead.id, bead);
          beadOids.set(bead.id, f.oid);
        }
      } catch (err) {
        problem('record', f.path, err, id);
      }
    }),
  );
  problems.push(...(await excerptProblems(store, tip, excerptFiles, beads, beadOids)));
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

/**
 * A shard's excerpts that name its tree as it is must say what its records
 * say: readers trust them instead of reading the records. One that names
 * another tree is out of date (a shard an older sase wrote) and read past.
 */
async function excerptProblems(
  store: Store,
  tip: string,
  files: Map<string, { path: string; oid: string }>,
  beads: Map<string, Bead>,
  oids: Map<string, string>,
): Promise<Problem[]> {
  const byShard = new Map<string, Bead[]>();
  for (const b of beads.values()) pushTo(byShard, shardOf(b.id), b);
  // every shard read at once, through the one reader; reported in shard order
  const found = await Promise.all(
    [...files]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(async ([shard, f]): Promise<Problem | null> => {
        const [body, dir] = await Promise.all([
          store.cat.read(f.oid, MAX_STATE_BLOB).then((o) => o?.data),
          store.cat.read(`${tip}:${BEADS_DIR}/${shard}`, MAX_STATE_TREE).catch(() => null),
        ]);
        if (!body || dir?.type !== 'tree' || excerptsTree(body) !== dir.oid) return null;
        const records = byShard.get(shard) ?? [];
        // a record that does not read is a problem of its own; the excerpts cannot be judged without it
        if (parseTree(dir.data, oidBytesOf(store.repo)).length !== records.length) return null;
        const want = excerptsFile(
          dir.oid,
          records.map((b) => [b.id, excerptLine(b, oids.get(b.id)!)]),
        );
        if (body.toString('utf8') === want) return null;
        return {
          check: 'record',
          path: f.path,
          message: `'${f.path}' names the tree of ${BEADS_DIR}/${shard} but does not match its records`,
        };
      }),
  );
  return found.filter((p): p is Problem => p !== null);
}
