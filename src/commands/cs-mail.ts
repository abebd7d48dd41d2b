import { mailChange } from '../app/changes/review.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { info, writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { UsageError } from '../core/errors.ts';
import { mailedChangeToWire } from '../wire/change.ts';

export const spec = defineCommand({
  name: 'cs-mail',
  prints: ['change-mailed'],
  summary: 'send a Ready change out for review (local review ref or a GitHub pull request)',
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [],
  description: `Mails a change whose status is Ready: its branch goes to the review provider, CL is set to the review's identifier, the status becomes Mailed, and MAIL is logged in TIMESTAMPS (operation 'cs.mail'). Mailing a Mailed change again sends its branch's current tip (a new patch set) and keeps its CL.

The provider is [review] provider in .sase/config.toml:

local (the default): the branch's tip is put at refs/sase/review/<name> in this repository (compare-and-swap), or, with [review] remote, pushed there: 'git push <remote> sase/cs/<name>:refs/sase/review/<name>' (with a lease on what the remote had). CL: local:refs/sase/review/<name>.

github: 'git push <remote> sase/cs/<name>' ([review] remote, default origin), then 'gh pr create --base <target> --head sase/cs/<name> --title <first line of the description> --body <the rest>'; a change stacked on an unsubmitted parent gets the parent's branch as its base. CL: github:<owner>/<repo>#<n>, from the URL gh prints. gh runs with argument arrays; nothing of the record reaches a shell.

A change needs commits on its branch, and a parent that is Mailed or Submitted. When the record cannot be written, the push is taken back (and a new pull request closed), so a failed mail changes nothing.`,
  output:
    'The mailed change as one NDJSON record of kind "changespec" (see sase-cs-show(1)), with "mailed": what was done (lines like "pushed <sha> to origin sase/cs/<name>"). On a terminal, a line naming the change and its CL.',
  exit: [
    [
      1,
      'refused: the change is not Ready (or Mailed), has no commits, stacks on a parent not mailed yet; a push or gh failed',
    ],
    [3, 'the review ref moved meanwhile: try again'],
    [4, 'no such change or branch'],
    [128, 'malformed [review] config; gh missing'],
  ],
  examples: [
    { cmd: 'sase cs mail ready_cache_store', text: 'mail a Ready change' },
    { cmd: 'git log refs/sase/review/ready_cache_store', text: 'what a local review sees' },
  ],
  seeAlso: ['sase-cs-submit', 'sase-cs-comment', 'sase-cs-set'],
  async run(ctx, args) {
    const name = await changeArg(ctx, args[0]!);
    if (args.length > 1) throw new UsageError(`one change at a time; '${args[1]}' is extra`);
    const r = await mailChange(await ctx.store(), name, isoNow(ctx));
    if (ctx.format === 'text') {
      ctx.stdout.write(`${ctx.colors.bold(name)} ${ctx.colors.cyan(r.change.status)} ${r.change.cl}\n`);
      for (const d of r.did) info(ctx, `  ${d}`);
    } else writeRecord(ctx, mailedChangeToWire(r.change, r.did));
    return 0;
  },
});
