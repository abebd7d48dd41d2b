import { confirmClaim } from '../app/sync/remote-claim.ts';
import { beadAction } from '../cli/bead-action.ts';
import { configMentions, REMOTE_CLAIMS } from '../cli/config-hint.ts';
import { isoNow } from '../cli/context.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkLine, LIMITS } from '../core/beads/model.ts';
import { ConflictError, withHint } from '../core/errors.ts';
import { commitBeads, openBlockersOf } from '../store/bead-store.ts';

export const spec = defineCommand({
  name: 'bead-claim',
  prints: ['bead'],
  summary: 'claim open beads atomically',
  args: [{ name: 'id', complete: 'beads', description: 'beads to claim', variadic: true }],
  options: [
    { flags: '--as <name>', description: 'who claims them (default: your git author email)' },
    { flags: '--force', description: 'claim a bead even though its blockers are open', type: 'bool' },
    {
      flags: '--remote',
      description:
        'the claim counts only once it is on the shared remote ([sync] remote, else the default remote): claimed here, then synced; the default when [sync] claims = "remote"',
    },
  ],
  stdin: true,
  description: `Moves open beads to claimed and sets their assignee, all or nothing, in one commit. The claim is a compare-and-swap on the state ref: of many processes racing to claim one bead, exactly one succeeds and the others exit 3 having changed nothing.

A bead that is not open (already claimed, in progress or closed) is a conflict: nothing is claimed and the command exits 3, naming the bead and its holder. Claiming a bead you already hold (claimed or in progress with the same assignee) is a no-op: it is printed as it is, and counts as done.

A bead whose blockers are open (a dependency of it or of an ancestor that is not closed; see sase-bead-blocked(1)) is a conflict too: nothing is claimed, the command exits 3 naming the open blockers. --force claims it anyway.

With --remote, several machines sharing one remote never both win: the claim is made here, then 'sase sync' puts it on the remote with a lease. If the remote already held a conflicting claim, ours is left out (our state now shows the holder) and the command exits 3 naming the holder; if the remote cannot be reached, our claim is released again and the command exits 128: a claim that is not on the remote is no claim.`,
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"), so "sase bead ready | sase bead claim" claims every ready bead. ${NO_IDS_INPUT}`,
  output: 'The claimed beads as NDJSON records of kind "bead".',
  exit: [
    NO_IDS_EXIT,
    [
      3,
      'conflict: a bead is not open (claimed by someone else, in progress or closed), or its blockers are open (without --force); nothing was claimed',
    ],
    [4, 'no bead matches an id'],
    [128, 'with --remote: the remote cannot be reached (the claim was released again)'],
  ],
  examples: [
    { cmd: 'sase bead claim k3f9 --as worker-1', text: 'claim one bead' },
    { cmd: 'sase bead ready --limit 1 | sase bead claim --as worker-1', text: 'take the most urgent ready bead' },
  ],
  seeAlso: ['sase-bead-release', 'sase-bead-ready', 'sase-bead-update'],
  async run(ctx, args, opts) {
    const as = opts.as === undefined ? null : checkLine('--as', opts.as, LIMITS.name);
    const store = await ctx.store();
    // (read as text: a claim is made often, and its sync, which reads the configuration, is a process of its own)
    const remoteClaims = opts.remote || configMentions(store.repo, ctx.env, REMOTE_CLAIMS);
    await beadAction(
      ctx,
      args,
      opts,
      async ({ ids, at, actor, reader }) => {
        const who = as ?? actor;
        const wanted: string[] = [];
        for (const id of ids) {
          const b = await reader.get(id);
          // held by the claimant already: nothing to do (a missing bead is the operation's to report)
          if (b && (b.status === 'claimed' || b.status === 'in_progress') && b.assignee === who) continue;
          if (b && b.status === 'open' && !opts.force) {
            const blockers = await openBlockersOf(reader.snap, b);
            if (blockers.length)
              throw withHint(
                new ConflictError(`bead '${b.id}' is blocked by ${blockers.map((x) => `'${x}'`).join(', ')}`),
                'close its blockers first, or use --force to claim it anyway',
              );
          }
          wanted.push(id);
        }
        return { op: 'bead.claim', ids: wanted, as: who, at, actor };
      },
      remoteClaims
        ? (commit, ids) =>
            confirmClaim(store, null, commit, ids, async () => {
              const actor = (await store.ident()).email;
              await commitBeads(store, async () => ({ op: 'bead.release', ids, force: true, at: isoNow(ctx), actor }));
            })
        : undefined,
    );
    return 0;
  },
});
