import { chopSpecDoc, runBuiltinChopCommand } from '../cli/chop-command.ts';
import { defineCommand } from '../cli/spec.ts';

export const spec = defineCommand({
  ...chopSpecDoc('reviews', {
    description: `One pass over the Mailed changes (targets, when given, restrict it to those changes), each read through its review provider, changing nothing outside the records.

github (a CL github:<owner>/<repo>#<n>): one 'gh pr view <n> --repo <owner>/<repo> --json state,comments,reviews'. The pull request's comments and reviews are added to COMMENTS as sase-cs-comment(1) --from-review adds them (by github:<login>, on the whole change, open): a comment equal to one already there, resolved or not, is not added again, so polling again adds nothing. A MERGED pull request makes the change Submitted, a CLOSED one Archived, each logged in TIMESTAMPS ("SUBMIT <cl> merged on GitHub (noticed by sase axe)"); the changes stacked on a submitted one lose their PARENT, as sase-cs-submit(1) does.

local (a CL local:refs/sase/review/<name>): the mailed commit (the review ref here, else the one the latest MAIL in TIMESTAMPS names) found on the target branch ([review] target), or on its remote-tracking branch when [review] remote is set, means the change landed without sase: it becomes Submitted. Nothing is fetched.

Each change's comments and move are one operation on the state ref (cs.comment, cs.submit or cs.archive, marked noticed). New comments make one change.comments notification per poll that found them (about the change and its first new comment), a landing one change.submitted notification; each is told once. With no Mailed change the tick answers no_op in its own process, starting nothing. The result's counters: reviews, comments, submitted, archived, notifications, errors; a review that cannot be read (gh failing or missing) is named in the summary and makes the result failed, the others go on.`,
    examples: [
      { cmd: 'sase-chop-reviews', text: 'poll every mailed review now, by hand' },
      { cmd: 'sase-chop-reviews --dry-run', text: 'what the reviews hold that the changes do not, writing nothing' },
      { cmd: 'sase-chop-reviews ready_cache_store', text: 'only that change' },
    ],
  }),
  async run(ctx, args, opts) {
    return runBuiltinChopCommand(ctx, 'reviews', args, opts);
  },
});
