// The 'reviews' chop: looks at the review of every Mailed change through its
// provider (github: one gh pr view; local: whether the mailed commit is on
// the target branch), adds the review's new comments to COMMENTS once, and
// notices a review merged (status Submitted) or closed (Archived) without
// sase; tells of new comments (change.comments) and landings
// (change.submitted). With no Mailed change, `idle` answers at once.

import { type ChopResult, chopResult } from '../../../core/axe/result.ts';
import type { ChangeSpec } from '../../../core/changes/spec.ts';
import { nowIso } from '../../../core/clock.ts';
import type { NotificationFields } from '../../../core/notifications/model.ts';
import { listChanges } from '../../../store/changes.ts';
import { createNotificationsOnce } from '../../../store/notifications.ts';
import { pollReview, type ReviewPoll, reviewConfig } from '../../changes/review.ts';
import { deliverDesktop } from '../../notify/desktop.ts';
import type { BuiltinChop, ChopRun } from './chop.ts';

type NewNotification = Omit<NotificationFields, 'created_at'>;

/** The Mailed changes, within the run's targets. */
async function mailedChanges(run: ChopRun): Promise<ChangeSpec[]> {
  const targets = run.context.targets;
  return (await listChanges(await run.store.snapshot())).filter(
    (c) => c.status === 'Mailed' && (targets.length === 0 || targets.includes(c.name)),
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a poll tells: its new comments as one event (keyed by the first new comment's id, ids being stable), its landing as another. */
export function pollNotifications(p: ReviewPoll): NewNotification[] {
  const name = p.change.name;
  const out: NewNotification[] = [];
  if (p.added.length) {
    const authors = [...new Set(p.added.map((k) => k.author))];
    out.push({
      type: 'change.comments',
      title: `${plural(p.added.length, 'new review comment')} on change '${name}' from ${authors.join(', ')}`.slice(
        0,
        500,
      ),
      body: p.added
        .slice(0, 20)
        .map((k) => `#${k.id} [${k.author}] ${k.text.split('\n')[0]}`)
        .join('\n'),
      about: [
        { kind: 'change', id: name },
        { kind: 'comment', id: `${name}#${p.added[0]!.id}` },
      ],
      action: { verb: 'show', target: name },
    });
  }
  if (p.moved === 'Submitted')
    out.push({
      type: 'change.submitted',
      title: `change '${name}' was submitted: its review ${p.change.cl ?? ''} landed`.replace(/ {2,}/g, ' '),
      body: p.children.length
        ? `stacked on it, now on the target branch: ${p.children.map((k) => k.name).join(', ')} (rebase them with 'sase cs rebase')`
        : '',
      about: [{ kind: 'change', id: name }],
      action: { verb: 'show', target: name },
    });
  return out;
}

async function idle(run: ChopRun): Promise<ChopResult | null> {
  return (await mailedChanges(run)).length ? null : chopResult('no_op', 'no mailed change');
}

async function runChop(run: ChopRun): Promise<ChopResult> {
  const { store } = run;
  const dry = run.context.dry_run;
  const cfg = await reviewConfig(store);
  const changes = await mailedChanges(run);
  const counters = { reviews: 0, comments: 0, submitted: 0, archived: 0, notifications: 0, errors: 0 };
  const errors: string[] = [];
  const notify: NewNotification[] = [];
  for (const c of changes) {
    if (run.signal.aborted) break;
    let p: ReviewPoll;
    try {
      p = await pollReview(store, c.name, nowIso(store.clock), { dryRun: dry, cfg });
    } catch (err) {
      errors.push(`'${c.name}' (${c.cl ?? 'no CL'}): ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    counters.reviews++;
    counters.comments += p.added.length;
    if (p.moved === 'Submitted') counters.submitted++;
    if (p.moved === 'Archived') counters.archived++;
    const would = dry ? 'would ' : '';
    if (p.added.length) run.log(`${c.name}: ${would}add ${plural(p.added.length, 'comment')} from ${c.cl}`);
    if (p.moved) run.log(`${c.name}: ${would}move to ${p.moved} (${c.cl})`);
    notify.push(...pollNotifications(p));
  }
  if (notify.length && !dry) {
    const made = await createNotificationsOnce(store, notify);
    counters.notifications = made.length;
    await deliverDesktop(store, made);
  } else if (dry) counters.notifications = notify.length;
  counters.errors = errors.length;
  const did = counters.comments + counters.submitted + counters.archived;
  const summary = [
    `${dry ? 'dry run: ' : ''}${plural(counters.reviews, 'review')} read`,
    counters.comments ? `${dry ? 'would add ' : ''}${plural(counters.comments, 'new comment')}` : '',
    counters.submitted ? `${dry ? 'would mark ' : ''}${counters.submitted} submitted` : '',
    counters.archived ? `${dry ? 'would mark ' : ''}${counters.archived} archived (closed unmerged)` : '',
    ...errors,
  ]
    .filter(Boolean)
    .join('; ');
  return chopResult(errors.length ? 'failed' : did ? 'ok' : 'no_op', summary, counters);
}

export const chop: BuiltinChop = {
  name: 'reviews',
  summary: 'poll review comments of mailed changes and notice merged or closed reviews',
  isolated: true,
  idle,
  run: runChop,
};
