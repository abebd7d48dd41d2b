// Mentor runs: reviewer agents on a change's latest commit, one per profile
// of `[mentors.<profile>]` whose globs select the change (or the one named).
// Each works in a fresh workspace at the reviewed commit, is told the change,
// its diff and how to answer (NDJSON comments), and is recorded in the
// change's MENTORS drawer for that commit: STARTING when launched, then
// PASSED, COMMENTED, FAILED or KILLED when it ends, its comments added to
// COMMENTS by `mentor:<profile>`. Recording an answer is idempotent, so
// whoever sees a run end (its supervisor, a kill, a reap, or sase-cs-mentor
// following it) may record it.
import { Writable } from 'node:stream';
import { mentorPrompt } from '../../core/agents/prompts.ts';
import { type AgentRun, isFinished, runLogPath } from '../../core/agents/run.ts';
import { addComments, type NewComment } from '../../core/changes/comments.ts';
import type { MentorResult } from '../../core/changes/mentors.ts';
import {
  answerComments,
  isFinalMentorStatus,
  lineOf,
  type MentorProfile,
  type MentorStatus,
  matchingProfiles,
  mentorAuthor,
  mentorProfiles,
  mentorRunName,
  mentorRunOf,
  mentorStatus,
  parseMentorEntry,
  parseMentorRun,
  withMentorRun,
} from '../../core/changes/mentors.ts';
import type { ChangeSpec } from '../../core/changes/spec.ts';
import { TERMINAL } from '../../core/changes/status.ts';
import { CONFIG_PATH } from '../../core/config.ts';
import { NotFoundError, RefusedError, UsageError, withHint } from '../../core/errors.ts';
import { showDiff } from '../../git/rebase.ts';
import { commitChange, mustReadChange, readChange } from '../../store/changes.ts';
import { readRun } from '../../store/runs.ts';
import type { Snapshot } from '../../store/snapshot.ts';
import type { Store } from '../../store/store.ts';
import { ownRange } from '../changes/code.ts';
import { loadConfig } from '../config/config.ts';
import { expandWithXPrompts } from '../xprompts/library.ts';
import { type LaunchEnv, launchRuns, type PlannedRun, planRuns } from './launch.ts';

/** How much of a change's diff a mentor's prompt quotes. */
const MAX_DIFF_BYTES = 512 << 10;

export interface MentorOptions {
  /** only this profile, whether or not its globs select the change */
  profile?: string | null;
  /** only these among the profiles whose globs select the change (the Axe's: those that lack a result) */
  among?: string[] | null;
  /** overrides of every profile's provider and model */
  provider?: string | null;
  model?: string | null;
  /** seconds a mentor may run, or null */
  timeout?: number | null;
}

export interface MentorLaunch {
  change: ChangeSpec;
  /** the reviewed commit: its number in COMMITS and its id */
  commit: number;
  sha: string;
  /** the profiles that review it */
  profiles: string[];
  /** the runs: started now, or already reviewing that commit for the profile */
  runs: AgentRun[];
  /** profiles whose run on that commit was still going, so none was started */
  joined: string[];
  /** what went wrong after the runs started */
  warnings: string[];
}

/** The mentor profiles of the repository's config. */
export async function loadMentorProfiles(store: Store): Promise<MentorProfile[]> {
  return mentorProfiles((await loadConfig(store.repo)).mentors, CONFIG_PATH);
}

/** The change's own diff up to `sha` as text, cut (at a line) when larger than a prompt should quote. */
export async function changeDiffText(store: Store, c: ChangeSpec, sha: string, max = MAX_DIFF_BYTES): Promise<string> {
  const { base } = await ownRange(store, c);
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (kept < max) {
        const part = chunk.subarray(0, max - kept);
        chunks.push(part);
        kept += part.length;
      }
      done();
    },
  });
  await showDiff(store.repo, base, sha, { stat: false, terminal: false, color: 'never', out });
  let text = Buffer.concat(chunks).toString('utf8');
  if (total > kept) {
    text =
      text.slice(0, text.lastIndexOf('\n') + 1) +
      `... (the diff is cut here: ${kept} of ${total} bytes shown; 'sase cs diff ${c.name}' shows all of it)\n`;
  }
  return text;
}

/**
 * Launches the mentors of a change on its latest commit: every profile whose
 * globs match one of its DELTAS paths, or only `opts.profile`. Every run is
 * planned (prompt, provider, name) before any starts, so a bad profile starts
 * none. A profile whose run on that commit is still going is not started
 * again; its run is returned instead. No matching profile returns no runs.
 */
export async function launchMentors(
  store: Store,
  name: string,
  opts: MentorOptions,
  env: LaunchEnv,
): Promise<MentorLaunch> {
  const snap = await store.snapshot();
  const change = await mustReadChange(snap, name);
  if (TERMINAL.includes(change.status))
    throw new RefusedError(`change '${name}' is ${change.status}; mentors review changes still open`);
  const last = change.commits[change.commits.length - 1];
  if (!last)
    throw withHint(
      new RefusedError(`change '${name}' has no commits to review`),
      `'sase cs commit ${name}' records the commits of its branch`,
    );
  const profiles = await loadMentorProfiles(store);
  let chosen: MentorProfile[];
  if (opts.profile) {
    const p = profiles.find((x) => x.name === opts.profile);
    if (!p) {
      const known = profiles.length
        ? `known: ${profiles.map((x) => x.name).join(', ')}`
        : `none is configured; add [mentors.<profile>] to ${CONFIG_PATH}`;
      throw new UsageError(`unknown mentor profile '${opts.profile}' (${known})`);
    }
    chosen = [p];
  } else chosen = matchingProfiles(profiles, change).filter((p) => !opts.among || opts.among.includes(p.name));
  const result: MentorLaunch = {
    change,
    commit: last.n,
    sha: last.sha,
    profiles: chosen.map((p) => p.name),
    runs: [],
    joined: [],
    warnings: [],
  };
  if (!chosen.length) return result;

  // a profile already reviewing this commit is followed, not started twice
  const live = new Map<string, AgentRun>();
  for (const p of chosen) {
    const hit = await liveRunFor(snap, change, p.name, last.n);
    if (hit) live.set(p.name, hit);
  }
  const diff = await changeDiffText(store, change, last.sha);
  const planned: PlannedRun[] = [];
  for (const p of chosen) {
    if (live.has(p.name)) continue;
    const expanded = await expandWithXPrompts({ cwd: env.cwd, env: env.env, repo: store.repo }, p.prompt);
    // an unknown '#name' in a prompt is left as text; a prompt that is nothing but one must name an XPrompt
    const only = /^#([^\s(:#]+)$/.exec(p.prompt.trim());
    if (only && !expanded.trace.length)
      throw withHint(
        new NotFoundError(`mentor profile '${p.name}': no XPrompt '${only[1]}'`),
        "try 'sase xprompt list'",
      );
    if (!expanded.text.trim()) throw new UsageError(`mentor profile '${p.name}': its prompt is empty once expanded`);
    const prompt = mentorPrompt(expanded.text, change, last.sha, diff);
    planned.push(
      ...(await planRuns(
        store,
        {
          prompt,
          raw: true,
          provider: opts.provider ?? p.provider ?? expanded.directives.provider ?? null,
          model: opts.model ?? p.model ?? expanded.directives.model ?? null,
          name: mentorRunName(p.name, change.name),
          ws: `#git:${last.sha}`,
          close: false,
          timeout: opts.timeout ?? null,
          mentor: { change: change.name, profile: p.name, commit: last.n, sha: last.sha },
        },
        env,
      )),
    );
  }
  const started = planned.length ? await launchRuns(store, planned, env) : [];
  if (started.length) {
    await writeMentorLines(
      store,
      env.at,
      name,
      started.map((r) => ({ run: r, status: 'STARTING' as const, comments: [] })),
    ).catch((err) => result.warnings.push(`cannot record the mentors in change '${name}': ${(err as Error).message}`));
  }
  for (const p of chosen) {
    const r = live.get(p.name) ?? started.find((x) => x.mentor?.profile === p.name);
    if (r) result.runs.push(r);
  }
  result.joined = [...live.keys()];
  return result;
}

/** The run of a profile on a commit that MENTORS shows going and whose record agrees. */
async function liveRunFor(
  snap: Snapshot,
  change: ChangeSpec,
  profile: string,
  commit: number,
): Promise<AgentRun | null> {
  for (const m of change.mentors) {
    const e = parseMentorEntry(m.entry);
    if (!e || e.commit !== commit || e.profile !== profile) continue;
    for (const l of m.runs) {
      const line = parseMentorRun(l);
      if (!line?.run || isFinalMentorStatus(line.status)) continue;
      const run = await readRun(snap, line.run);
      if (run && !isFinished(run.status) && run.mentor?.profile === profile && run.mentor.commit === commit) return run;
    }
  }
  return null;
}

interface MentorWrite {
  run: AgentRun;
  status: MentorStatus;
  comments: NewComment[];
}

/** Records mentor runs in their change in one operation; a run whose answer is recorded already is left as it is. */
async function writeMentorLines(store: Store, at: string, name: string, writes: MentorWrite[]): Promise<void> {
  await commitChange(store, at, async (snap) => {
    const c = await readChange(snap, name);
    if (!c) return { op: null, result: null }; // the change is gone: nothing to record
    let next = c;
    const statuses: Record<string, string> = {};
    for (const w of writes) {
      const had = mentorRunOf(next.mentors, w.run.id);
      if (had && isFinalMentorStatus(had.status)) continue;
      if (w.comments.length) next = addComments(next, w.comments).change;
      next = { ...next, mentors: withMentorRun(next.mentors, w.run.mentor!.commit, lineOf(w.run, w.status)) };
      statuses[w.run.id] = w.status;
    }
    if (!Object.keys(statuses).length) return { op: null, result: null };
    return { op: { op: 'cs.mentor', name, runs: statuses }, changes: [next], result: null };
  });
}

/** Marks a mentor run RUNNING in its change's MENTORS, once its agent starts. */
export async function markMentorRunning(store: Store, run: AgentRun, at: string): Promise<void> {
  if (!run.mentor) return;
  await writeMentorLines(store, at, run.mentor.change, [{ run, status: 'RUNNING', comments: [] }]);
}

/**
 * Records a mentor run's answer on its change: its comments in COMMENTS (when
 * it is done), and its status in MENTORS (PASSED, COMMENTED, FAILED, KILLED).
 * Recording the same run again changes nothing.
 */
export async function recordMentorAnswer(store: Store, run: AgentRun, transcript: string, at: string): Promise<void> {
  if (!run.mentor || !isFinished(run.status)) return;
  const comments = run.status === 'done' ? answerComments(run.mentor.profile, transcript) : [];
  await writeMentorLines(store, at, run.mentor.change, [
    { run, status: mentorStatus(run.status, comments.length), comments },
  ]);
}

/**
 * Makes sure the answers of ended mentor runs are in their change (their
 * supervisor records them just after the run's end; this does it now, from
 * the stored log, when it has not yet). Runs still going are left alone.
 */
export async function settleMentors(store: Store, ids: string[], at: string): Promise<void> {
  const snap = await store.snapshot();
  for (const id of ids) {
    const run = await readRun(snap, id);
    if (!run?.mentor || !isFinished(run.status)) continue;
    const c = await readChange(snap, run.mentor.change);
    const had = c ? mentorRunOf(c.mentors, run.id) : null;
    if (!c || (had && isFinalMentorStatus(had.status))) continue;
    await recordMentorAnswer(store, run, (await snap.readText(runLogPath(run.id))) ?? '', at);
  }
}

/** Each mentor run's result as its change records it (or as its run stands, when the change does not say yet). */
export async function mentorResults(store: Store, ids: string[]): Promise<MentorResult[]> {
  const snap = await store.snapshot();
  const out: MentorResult[] = [];
  for (const id of ids) {
    const run = await readRun(snap, id);
    if (!run?.mentor) continue;
    const c = await readChange(snap, run.mentor.change);
    const line = c ? mentorRunOf(c.mentors, run.id) : null;
    const author = mentorAuthor(run.mentor.profile);
    const comments = (c?.comments ?? []).filter((k) => k.author === author && !k.resolved);
    const status =
      line && (isFinalMentorStatus(line.status) || !isFinished(run.status))
        ? line.status
        : mentorStatus(run.status, run.status === 'done' ? comments.length : 0);
    out.push({ run, profile: run.mentor.profile, commit: run.mentor.commit, sha: run.mentor.sha, status, comments });
  }
  return out;
}
