import { loadConfig } from '../app/config/config.ts';
import { syncRemote } from '../app/sync/default-remote.ts';
import { recordSync, syncStatus } from '../app/sync/status.ts';
import { sync } from '../app/sync/sync.ts';
import { isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { syncConfig } from '../core/config.ts';
import { ConflictError, UsageError } from '../core/errors.ts';
import { syncStatusToWire, syncToWire } from '../wire/sync.ts';

export const spec = defineCommand({
  name: 'sync',
  prints: ['sync', 'sync-status'],
  summary: 'share the state with a remote: fetch, put our operations on top of theirs, push',
  args: [
    {
      name: 'remote',
      description:
        'the remote (default: [sync] remote, else the upstream of the current branch, else origin, else the only remote)',
    },
  ],
  options: [
    { flags: '--no-push', description: 'fetch and integrate, but push nothing' },
    { flags: '--dry-run', description: 'say what a sync would do; change nothing here or there' },
    {
      flags: '--status',
      description: 'how many operations we are ahead and behind, and when we last synced (no fetch unless --fetch)',
    },
    { flags: '--fetch', description: 'with --status: fetch first' },
    {
      flags: '--auto',
      description:
        'sync only if [sync] auto = true (what a command that wrote runs after itself; quiet and exit 0 otherwise)',
    },
  ],
  description: `Like 'git pull --rebase' then 'git push', for sase's state: fetches the remote's refs/sase/state and refs/notes/sase (into refs/sase-remotes/<remote>/), then:

- nothing here yet: adopts the remote's state;
- we are behind: fast-forwards;
- we are ahead: pushes;
- both moved since they parted: replays our operations since the merge base on top of the remote's head, through the same operation functions that first applied them, then pushes with a lease on the remote's old value (another clone that pushed meanwhile makes it fetch and replay again, a few times, with jittered waits).

Operations carry intent, so edits of different fields of one bead both land. The same field set on both sides ends with ours (replayed last, as in a rebase); both operations stay in the log and the overwritten value is reported. Records an operation wrote whole (plans, prompts, change records, runs, imports) are merged three-way (git merge-file) when the edits do not overlap; else ours wins, the other version stays in the record's history, and it is reported. An operation that no longer applies on the remote's state (a claim of a bead the other side claimed first; a close of a bead it removed; a dependency that would now close a cycle) is left out, never silently: it is reported and the exit code is 3. A bead id minted on both sides is given a fresh id on ours, and our later operations follow it. Notes merge as cat_sort_uniq does: every line of both sides, sorted and unique.

The remote's state is checked before anything is taken from it: a state that is not sase's, or a record changed there that is not what its place says, is refused and nothing here changes. Two states with different roots (two clones that each ran 'sase init') are refused with a hint.

Nothing syncs behind your back: only this command talks to the remote, and, when [sync] auto = true, every command that wrote to the state runs 'sase sync --auto' after itself (best effort: a failure is one warning line, and the write stands). Every other command works offline.`,
  output:
    'One NDJSON record {v, kind: "sync", remote, action (none, adopted, fast-forward, pushed or replayed), fetched (the remote\'s operations we did not have), replayed, same (ours the remote had made already), left_out [{commit, op, summary, reason}], overwritten [{commit, op, path, field, theirs}], renamed [{from, to}], pushed, tip, remote_tip, notes (none, adopted, fast-forward or merged), notes_pushed, dry_run, attempts}. With --status: {v, kind: "sync_status", remote, ahead, behind, tip, remote_tip, related, fetched, last_sync}. On a terminal, a few lines saying the same; progress on stderr.',
  exit: [
    [3, 'one of our operations could not be kept and was left out (each is named), or the remote kept moving'],
    [
      128,
      "the remote cannot be reached, or its state is refused (not sase's, a bad record, another root); nothing was changed",
    ],
  ],
  examples: [
    { cmd: 'sase sync', text: 'share with the default remote' },
    { cmd: 'git fetch && sase sync --no-push', text: 'take what others did, give nothing yet' },
    { cmd: 'sase sync --status --fetch', text: 'how far apart are we?' },
  ],
  seeAlso: ['sase-init', 'sase-log', 'sase-fsck', 'sase'],
  async run(ctx, args, opts) {
    if (opts.fetch && !opts.status) throw new UsageError('--fetch goes with --status');
    if (opts.status && (opts.dryRun || opts.push === false))
      throw new UsageError('--status changes nothing: --dry-run and --no-push do not go with it');
    const named = args[0];
    // a remote's name or URL: one line, not an option, of a length git can take
    if (
      named !== undefined &&
      (named.length > 4096 || named === '' || named.startsWith('-') || /[\0-\x1f]/.test(named))
    )
      throw new UsageError(`remote '${named}' is not a remote's name or URL`);
    const store = await ctx.store();
    if (opts.auto && !syncConfig(await loadConfig(store.repo)).auto) return 0;
    const remote = await syncRemote(store.repo, named);
    if (opts.status) {
      const s = await syncStatus(store, remote, opts.fetch === true);
      if (ctx.format === 'text') {
        const where = s.related ? `${s.ahead} ahead, ${s.behind} behind` : 'unrelated: the two states share no history';
        const fetched = s.fetched ? '' : ' (as of the last fetch)';
        ctx.stdout.write(`${remote}: ${where}${fetched}; last sync ${s.lastSync ?? 'never'}\n`);
      } else writeRecord(ctx, syncStatusToWire(s));
      return 0;
    }
    const report = await sync(store, {
      remote,
      push: opts.push !== false,
      dryRun: opts.dryRun === true,
      progress: (m) => ctx.progress(m),
    });
    if (!report.dryRun) recordSync(store.repo, remote, isoNow(ctx), report.tip);
    for (const l of report.leftOut)
      ctx.stderr.write(`warning: left out '${l.summary}' (${l.commit.slice(0, 10)}): ${l.reason}\n`);
    for (const o of report.overwritten)
      ctx.stderr.write(
        `warning: '${o.path}'${o.field ? ` ${o.field}` : ''}: ours replaced the other side's ${o.theirs}\n`,
      );
    for (const r of report.renamed)
      ctx.stderr.write(`warning: '${r.from}' was minted on both sides: ours is now '${r.to}'\n`);
    if (ctx.format === 'text') {
      const would = report.dryRun ? 'would be ' : '';
      const lines = [
        `${remote}: ${report.action === 'none' ? 'up to date' : `${would}${report.action}`}` +
          (report.fetched ? `, fetched ${report.fetched} operation${report.fetched === 1 ? '' : 's'}` : '') +
          (report.replayed ? `, replayed ${report.replayed}` : '') +
          (report.leftOut.length ? `, left out ${report.leftOut.length}` : '') +
          (report.pushed && report.action !== 'pushed' ? ', pushed' : ''),
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
    } else writeRecord(ctx, syncToWire(report));
    if (report.leftOut.length) throw new ConflictError(`${report.leftOut.length} of our operations could not be kept`);
    return 0;
  },
});
