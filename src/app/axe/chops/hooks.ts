// The 'hooks' chop: once per newest commit of every open change, runs the
// hooks that have no result for it (at most [axe] max_hook_runners changes at
// once), then launches the mentors whose profiles select a change that has
// passed its blocking hooks and has no mentor entry for that commit; and
// tells, once, of each mentor run that ended with comments still open. What
// is due is read from the records only (COMMITS, HOOKS, MENTORS), so `idle`
// answers without starting a process and a second pass finds nothing to do.

import { type ChopResult, chopResult } from '../../../core/axe/result.ts';
import { DEFAULT_HOOK_TIMEOUT_SECONDS, hooksNotPassing } from '../../../core/changes/hooks.ts';
import {
  type MentorProfile,
  matchingProfiles,
  mentorAuthor,
  parseMentorEntry,
  parseMentorRun,
} from '../../../core/changes/mentors.ts';
import type { ChangeSpec } from '../../../core/changes/spec.ts';
import { TERMINAL } from '../../../core/changes/status.ts';
import { nowIso } from '../../../core/clock.ts';
import { NotFoundError } from '../../../core/errors.ts';
import type { NotificationFields } from '../../../core/notifications/model.ts';
import { listChanges } from '../../../store/changes.ts';
import { createNotificationsOnce, eventKey, listNotifications } from '../../../store/notifications.ts';
import { launchMentors, loadMentorProfiles } from '../../agents/mentors.ts';
import { runHooks } from '../../changes/hooks.ts';
import { deliverDesktop } from '../../notify/desktop.ts';
import { loadAxeConfig } from '../config.ts';
import type { BuiltinChop, ChopRun } from './chop.ts';

type NewNotification = Omit<NotificationFields, 'created_at'>;

/** Mentor runs that ended longer ago than this when first seen are history, not news (as the waits chop's failures). */
const NEWS_MS = 24 * 3_600_000;

/** The open changes (not submitted, reverted or archived) with a recorded commit, within the run's targets. */
async function openChanges(run: ChopRun): Promise<ChangeSpec[]> {
  const targets = run.context.targets;
  return (await listChanges(await run.store.snapshot())).filter(
    (c) => !TERMINAL.includes(c.status) && c.commits.length > 0 && (targets.length === 0 || targets.includes(c.name)),
  );
}

/** The hooks (numbers in HOOKS) with no run recorded against the change's newest commit. */
export function hooksWithoutResult(c: ChangeSpec): number[] {
  const n = c.commits.length;
  return c.hooks.flatMap((h, i) => (h.runs.some((r) => r.commit === n) ? [] : [i + 1]));
}

/**
 * The profiles that should review the change's newest commit and have not:
 * those whose globs select it, with no MENTORS entry for that commit; none
 * until every hook has a result there and the blocking ones passed.
 */
export function mentorsDue(c: ChangeSpec, profiles: MentorProfile[]): string[] {
  if (hooksWithoutResult(c).length || hooksNotPassing(c).length) return [];
  const n = c.commits.length;
  const had = new Set(
    c.mentors.flatMap((m) => {
      const e = parseMentorEntry(m.entry);
      return e && e.commit === n ? [e.profile] : [];
    }),
  );
  return matchingProfiles(profiles, c)
    .map((p) => p.name)
    .filter((p) => !had.has(p));
}

/**
 * A notification for each mentor run of the change that ended COMMENTED
 * (within NEWS_MS of `nowMs`) while its profile's comments are still open.
 */
function mentorCommentNotifications(c: ChangeSpec, nowMs: number): NewNotification[] {
  const out: NewNotification[] = [];
  for (const m of c.mentors) {
    const e = parseMentorEntry(m.entry);
    if (!e) continue;
    for (const l of m.runs) {
      const r = parseMentorRun(l);
      if (!r?.run || r.status !== 'COMMENTED') continue;
      if (nowMs - (Date.parse(r.at) + (r.seconds ?? 0) * 1000) > NEWS_MS) continue;
      const open = c.comments.filter((k) => k.author === mentorAuthor(r.profile) && !k.resolved);
      if (!open.length) continue;
      out.push({
        type: 'change.comments',
        title: `mentor '${r.profile}' left ${open.length} open comment${open.length === 1 ? '' : 's'} on change '${c.name}' (commit ${e.commit})`,
        body: open
          .slice(0, 20)
          .map((k) => `#${k.id} ${k.path}${k.line === null ? '' : `:${k.line}`} ${k.text.split('\n')[0]}`)
          .join('\n'),
        // one event per mentor run: a later run's comments are told again
        about: [
          { kind: 'change', id: c.name },
          { kind: 'run', id: r.run },
        ],
        action: { verb: 'show', target: c.name },
      });
    }
  }
  return out;
}

/** The notifications of ended mentor runs not told yet. */
async function untold(run: ChopRun, changes: ChangeSpec[]): Promise<NewNotification[]> {
  const nowMs = Date.parse(run.env.at);
  const all = changes.flatMap((c) => mentorCommentNotifications(c, nowMs));
  if (!all.length) return [];
  const known = new Set((await listNotifications(await run.store.snapshot())).map(eventKey));
  return all.filter((f) => !known.has(eventKey({ type: f.type, about: f.about ?? [] })));
}

interface Survey {
  changes: ChangeSpec[];
  hooks: Array<{ change: ChangeSpec; hooks: number[] }>;
  mentors: Array<{ change: ChangeSpec; profiles: string[] }>;
  notify: NewNotification[];
  /** the mentor profiles could not be read */
  problem: string | null;
}

async function survey(run: ChopRun): Promise<Survey> {
  const changes = await openChanges(run);
  const hooks = changes.flatMap((c) => {
    const h = hooksWithoutResult(c);
    return h.length ? [{ change: c, hooks: h }] : [];
  });
  const mentors: Survey['mentors'] = [];
  let problem: string | null = null;
  // the profiles are read only when a change could need one (its hooks done and passed)
  const ready = changes.filter((c) => !hooksWithoutResult(c).length && !hooksNotPassing(c).length);
  if (ready.length) {
    try {
      const profiles = await loadMentorProfiles(run.store);
      for (const c of ready) {
        const due = mentorsDue(c, profiles);
        if (due.length) mentors.push({ change: c, profiles: due });
      }
    } catch (err) {
      problem = `mentor profiles: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  return { changes, hooks, mentors, notify: await untold(run, changes), problem };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Runs tasks, at most `limit` at once, none started once `signal` is aborted. */
async function pool<T>(items: T[], limit: number, signal: AbortSignal, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function idle(run: ChopRun): Promise<ChopResult | null> {
  const s = await survey(run);
  if (s.hooks.length || s.mentors.length || s.notify.length) return null;
  if (s.problem) return chopResult('check_error', s.problem);
  return chopResult(
    'no_op',
    `${plural(s.changes.length, 'open change')}: every hook and mentor has run on its newest commit`,
  );
}

async function runChop(run: ChopRun): Promise<ChopResult> {
  const { store } = run;
  const first = await survey(run);
  const errors: string[] = [];
  const counters = { hooks: 0, hooks_failed: 0, changes: 0, skipped: 0, mentors: 0, notifications: 0, errors: 0 };

  if (run.context.dry_run) {
    const hooks = first.hooks.reduce((n, x) => n + x.hooks.length, 0);
    const mentors = first.mentors.reduce((n, x) => n + x.profiles.length, 0);
    for (const x of first.hooks)
      run.log(
        `would run ${plural(x.hooks.length, 'hook')} of '${x.change.name}' on commit (${x.change.commits.length})`,
      );
    for (const x of first.mentors)
      run.log(`would launch mentors ${x.profiles.join(', ')} on '${x.change.name}' (${x.change.commits.length})`);
    for (const f of first.notify) run.log(`would notify: ${f.title}`);
    const any = hooks + mentors + first.notify.length;
    return chopResult(
      first.problem ? 'check_error' : any ? 'ok' : 'no_op',
      `dry run: would run ${plural(hooks, 'hook')} on ${plural(first.hooks.length, 'change')}, launch ${plural(mentors, 'mentor')}, send ${plural(first.notify.length, 'notification')}${first.problem ? `; ${first.problem}` : ''}`,
      { hooks, changes: first.hooks.length, mentors, notifications: first.notify.length },
    );
  }

  // 1. hooks: each change's pending hooks one after the other, max_hook_runners changes at once
  const limit = (await loadAxeConfig(store.repo)).max_hook_runners;
  await pool(first.hooks, limit, run.signal, async ({ change: c, hooks }) => {
    const n = c.commits.length;
    const all = hooks.length === c.hooks.length;
    try {
      // all pending: one run and one record; else each pending hook alone, so none runs twice
      for (const hook of all ? [undefined] : hooks) {
        if (run.signal.aborted) return;
        const runs = await runHooks(store, {
          name: c.name,
          commit: n,
          hook,
          timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS,
          env: run.env.env,
          now: () => nowIso(store.clock),
          warn: (m) => run.log(`warning: ${m}`),
        });
        for (const r of runs) {
          counters.hooks++;
          if (r.result === 'FAILED') counters.hooks_failed++;
          run.log(`${c.name} (${n}) hook ${r.hook} '${r.command}': ${r.result}`);
        }
      }
      counters.changes++;
    } catch (err) {
      const why = (err as Error).message.split('\n')[0];
      // its commit not fetched here yet (made on another machine), or the change gone: not a failure of this pass
      if (err instanceof NotFoundError) {
        counters.skipped++;
        run.log(`${c.name}: skipped: ${why}`);
      } else errors.push(`hooks of '${c.name}': ${why}`);
    }
  });

  // 2. mentors, on the records as the hooks left them
  const second = run.signal.aborted ? null : await survey(run);
  for (const { change: c, profiles } of second?.mentors ?? []) {
    if (run.signal.aborted) break;
    try {
      const launch = await launchMentors(store, c.name, { among: profiles }, { ...run.env, at: nowIso(store.clock) });
      for (const w of launch.warnings) run.log(`warning: ${w}`);
      for (const r of launch.runs)
        run.log(`mentor '${r.mentor?.profile}' on '${c.name}' (${launch.commit}): run ${r.id}`);
      counters.mentors += launch.runs.length - launch.joined.length;
    } catch (err) {
      errors.push(`mentors of '${c.name}': ${(err as Error).message.split('\n')[0]}`);
    }
  }
  // a bad [mentors.<profile>] is the configuration's problem, not a failure of the run
  const problem = second ? second.problem : first.problem;

  // 3. mentor runs that ended with comments
  const notify = second?.notify ?? first.notify;
  if (notify.length) {
    const made = await createNotificationsOnce(store, notify);
    counters.notifications = made.length;
    await deliverDesktop(store, made);
  }

  counters.errors = errors.length;
  const did = counters.hooks + counters.mentors + counters.notifications;
  const summary = [
    counters.hooks
      ? `ran ${plural(counters.hooks, 'hook')} on ${plural(counters.changes, 'change')} (${counters.hooks_failed} failed)`
      : '',
    counters.mentors ? `launched ${plural(counters.mentors, 'mentor')}` : '',
    counters.notifications ? `${plural(counters.notifications, 'notification')}` : '',
    counters.skipped ? `${plural(counters.skipped, 'change')} skipped (see the log)` : '',
    ...errors,
    problem ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  return chopResult(
    errors.length ? 'failed' : problem ? 'check_error' : did ? 'ok' : 'no_op',
    summary || 'nothing to run',
    counters,
  );
}

export const chop: BuiltinChop = {
  name: 'hooks',
  summary: 'run the hooks of changes whose newest commit has no result; launch the mentors they lack',
  isolated: true,
  idle,
  run: runChop,
};
