// Mentors: reviewer profiles from config (`[mentors.<profile>]`: `paths`,
// `provider`, `prompt`, `model`), which changes each one reviews (a change
// matches when any of its DELTAS paths matches any of the profile's globs),
// and the MENTORS section of a change read and written as structured runs:
// an entry `(<commit>) <profile>[<finished>/<total>]` per reviewed commit and
// profile, a drawer line `[<time>] <profile> - <STATUS> - (<duration>) -
// <run id>` per mentor run (no duration while it is STARTING or RUNNING).
// Pure.

import { mentorComments } from '../agents/prompts.ts';
import { type AgentRun, checkRunName, secondsBetween } from '../agents/run.ts';
import { FatalError } from '../errors.ts';
import { globProblem, matchesAny } from '../glob.ts';
import { checkComment, type NewComment } from './comments.ts';
import { type ChangeSpec, type Comment, formatDuration, type Mentor } from './spec.ts';

const KEYS = ['paths', 'provider', 'prompt', 'model'];
const PROFILE_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const PROVIDER_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MAX_GLOBS = 100;

export interface MentorProfile {
  name: string;
  /** globs over a change's DELTAS paths; empty: the profile runs only when named */
  paths: string[];
  /** the provider, or null for the default one (as agent-run's) */
  provider: string | null;
  /** the profile's text, or an XPrompt reference such as '#review' */
  prompt: string;
  model: string | null;
}

export function isProfileName(name: string): boolean {
  return PROFILE_RE.test(name);
}

/**
 * Checks `[mentors.<profile>]` tables as written in one config file: profile
 * names, known keys, the types of their values and that every glob compiles.
 * A key may be left to another file (the user's and the project's config
 * merge), so required keys are checked by mentorProfiles on the merged one.
 */
export function checkMentorsConfig(section: unknown, source: string): void {
  if (!section || typeof section !== 'object' || Array.isArray(section))
    throw new FatalError(`${source}: 'mentors' must be a table`);
  for (const [name, body] of Object.entries(section as Record<string, unknown>)) {
    if (!PROFILE_RE.test(name))
      throw new FatalError(
        `${source}: mentor profile name '${name}' must be lower-case letters, digits, '_' and '-' (at most 40)`,
      );
    const key = (k: string) => `mentors.${name}.${k}`;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new FatalError(`${source}: 'mentors.${name}' must be a table`);
    const entry = body as Record<string, unknown>;
    for (const k of Object.keys(entry))
      if (!KEYS.includes(k)) throw new FatalError(`${source}: unknown key '${key(k)}'`);
    if (entry.paths !== undefined) {
      const paths = entry.paths;
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string'))
        throw new FatalError(`${source}: '${key('paths')}' must be an array of glob strings`);
      if (paths.length > MAX_GLOBS)
        throw new FatalError(`${source}: '${key('paths')}' has more than ${MAX_GLOBS} globs`);
      for (const p of paths as string[]) {
        const why = globProblem(p);
        if (why) throw new FatalError(`${source}: '${key('paths')}' glob ${JSON.stringify(p)} ${why}`);
      }
    }
    if (entry.provider !== undefined && (typeof entry.provider !== 'string' || !PROVIDER_RE.test(entry.provider))) {
      throw new FatalError(
        `${source}: '${key('provider')}' must be a provider's name (got ${JSON.stringify(entry.provider)})`,
      );
    }
    if (entry.prompt !== undefined && (typeof entry.prompt !== 'string' || !entry.prompt.trim()))
      throw new FatalError(`${source}: '${key('prompt')}' must be a text that is not empty`);
    if (
      entry.model !== undefined &&
      (typeof entry.model !== 'string' || !entry.model.trim() || /[\u0000-\u001f\u007f]/.test(entry.model))
    ) {
      throw new FatalError(`${source}: '${key('model')}' must be a model's name (got ${JSON.stringify(entry.model)})`);
    }
  }
}

/** The profiles of a merged config's `mentors` section, by name; `paths` and `prompt` are required. */
export function mentorProfiles(section: unknown, source: string): MentorProfile[] {
  if (section === undefined || section === null) return [];
  checkMentorsConfig(section, source);
  return Object.entries(section as Record<string, Record<string, unknown>>)
    .map(([name, e]): MentorProfile => {
      if (e.paths === undefined)
        throw new FatalError(
          `${source}: 'mentors.${name}.paths' is required (globs of the paths it reviews; [] to run it only when named)`,
        );
      if (e.prompt === undefined)
        throw new FatalError(
          `${source}: 'mentors.${name}.prompt' is required (its text, or an XPrompt such as "#review")`,
        );
      return {
        name,
        paths: [...(e.paths as string[])],
        provider: (e.provider as string | undefined) ?? null,
        prompt: e.prompt as string,
        model: (e.model as string | undefined) ?? null,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---- globs ------------------------------------------------------------------------

/** The profiles whose globs select the change, by its DELTAS paths. */
export function matchingProfiles(profiles: MentorProfile[], change: ChangeSpec): MentorProfile[] {
  const paths = change.deltas.map((d) => d.path);
  return profiles.filter((p) => matchesAny(p.paths, paths));
}

// ---- MENTORS ----------------------------------------------------------------------

export const MENTOR_STATUSES = ['STARTING', 'RUNNING', 'PASSED', 'COMMENTED', 'FAILED', 'KILLED'] as const;
export type MentorStatus = (typeof MENTOR_STATUSES)[number];

/** A mentor run's result as its change records it (or as the run stands, before the change says). */
export interface MentorResult {
  run: AgentRun;
  profile: string;
  commit: number;
  sha: string;
  status: MentorStatus;
  /** the profile's open comments on the change */
  comments: Comment[];
}
const FINAL: MentorStatus[] = ['PASSED', 'COMMENTED', 'FAILED', 'KILLED'];

export function isFinalMentorStatus(s: MentorStatus): boolean {
  return FINAL.includes(s);
}

/** One mentor run as a MENTORS drawer line holds it. */
export interface MentorRunLine {
  /** when the run was started */
  at: string;
  profile: string;
  status: MentorStatus;
  /** how long it ran; null while it goes on */
  seconds: number | null;
  run: string | null;
}

const ENTRY_RE = /^\((\d+)\) ([a-z0-9][a-z0-9_-]*)\[(\d+)\/(\d+)\]$/;
const RUN_RE = new RegExp(
  `^\\[(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)\\] ([a-z0-9][a-z0-9_-]*) - (${MENTOR_STATUSES.join('|')})(?: - \\((?:(\\d+)h)?(?:(\\d+)m)?(\\d+)s\\))?(?: - (r-[0-9a-z]{8}))?$`,
);

/** An entry's commit and profile, or null for one not of that form (kept as written). */
export function parseMentorEntry(entry: string): { commit: number; profile: string } | null {
  const m = ENTRY_RE.exec(entry);
  return m ? { commit: Number(m[1]), profile: m[2]! } : null;
}

export function parseMentorRun(line: string): MentorRunLine | null {
  const m = RUN_RE.exec(line);
  if (!m) return null;
  const status = m[3] as MentorStatus;
  const seconds =
    m[6] === undefined || !isFinalMentorStatus(status)
      ? null
      : Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6]);
  return { at: m[1]!, profile: m[2]!, status, seconds, run: m[7] ?? null };
}

export function formatMentorRun(r: MentorRunLine): string {
  const duration = isFinalMentorStatus(r.status) && r.seconds !== null ? ` - (${formatDuration(r.seconds)})` : '';
  return `[${r.at}] ${r.profile} - ${r.status}${duration}${r.run ? ` - ${r.run}` : ''}`;
}

function entryText(commit: number, profile: string, runs: string[]): string {
  const parsed = runs.map(parseMentorRun);
  const finished = parsed.filter((r) => r && isFinalMentorStatus(r.status)).length;
  return `(${commit}) ${profile}[${finished}/${runs.length}]`;
}

/**
 * MENTORS with one run recorded: its line replaced (same run id) or added,
 * under the entry of its commit and profile (made when missing, in commit
 * then profile order), and the entry's counts updated. A finished run's line
 * is never taken back to STARTING or RUNNING (a late start record after the
 * end). Entries and lines not of sase's form are kept as written.
 */
export function withMentorRun(mentors: Mentor[], commit: number, r: MentorRunLine): Mentor[] {
  const out = mentors.map((m) => ({ entry: m.entry, runs: [...m.runs] }));
  let at = out.findIndex((m) => {
    const e = parseMentorEntry(m.entry);
    return e !== null && e.commit === commit && e.profile === r.profile;
  });
  if (at < 0) {
    const after = out.findIndex((m) => {
      const e = parseMentorEntry(m.entry);
      return e !== null && (e.commit > commit || (e.commit === commit && e.profile > r.profile));
    });
    at = after < 0 ? out.length : after;
    out.splice(at, 0, { entry: '', runs: [] });
  }
  const m = out[at]!;
  const line = formatMentorRun(r);
  const i = r.run === null ? -1 : m.runs.findIndex((l) => parseMentorRun(l)?.run === r.run);
  if (i < 0) m.runs.push(line);
  else {
    const was = parseMentorRun(m.runs[i]!)!;
    if (!(isFinalMentorStatus(was.status) && !isFinalMentorStatus(r.status))) m.runs[i] = line;
  }
  m.entry = entryText(commit, r.profile, m.runs);
  return out;
}

/** The recorded line of a mentor run, or null. */
export function mentorRunOf(mentors: Mentor[], runId: string): (MentorRunLine & { commit: number }) | null {
  for (const m of mentors) {
    const e = parseMentorEntry(m.entry);
    if (!e) continue;
    for (const l of m.runs) {
      const r = parseMentorRun(l);
      if (r && r.run === runId) return { ...r, commit: e.commit };
    }
  }
  return null;
}

/** A mentor's status from its run's status and, once done, whether it commented. */
export function mentorStatus(runStatus: string, comments: number): MentorStatus {
  switch (runStatus) {
    case 'done':
      return comments ? 'COMMENTED' : 'PASSED';
    case 'failed':
      return 'FAILED';
    case 'killed':
      return 'KILLED';
    case 'running':
      return 'RUNNING';
    default:
      return 'STARTING';
  }
}

/** The author of a profile's comments in COMMENTS. */
export function mentorAuthor(profile: string): string {
  return `mentor:${profile}`;
}

/** A run name for a profile's review of a change: mentor.<profile>.<change>, the change's part cut to fit. */
export function mentorRunName(profile: string, change: string): string {
  const head = `mentor.${profile}.`;
  return checkRunName(head + change.slice(0, MAX_RUN_NAME - head.length));
}

export const stampOf = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

/** A mentor run's line in MENTORS as its record stands (or with the status given). */
export function lineOf(run: AgentRun, status: MentorStatus): MentorRunLine {
  return {
    at: stampOf(run.created_at),
    profile: run.mentor!.profile,
    status,
    seconds: isFinalMentorStatus(status) ? (secondsBetween(run.started_at ?? run.created_at, run.ended_at) ?? 0) : null,
    run: run.id,
  };
}

/** The comments a mentor printed, as comments of `mentor:<profile>`; ones that could not be stored are dropped. */
export function answerComments(profile: string, transcript: string): NewComment[] {
  const author = mentorAuthor(profile);
  const out: NewComment[] = [];
  for (const k of mentorComments(transcript)) {
    const text = k.severity === 'info' ? k.text : `${k.severity}: ${k.text}`;
    try {
      out.push(checkComment({ path: k.path, line: k.line, text, author }, author));
    } catch {
      // a path with spaces, a text that cannot be stored: not a comment sase can keep
    }
  }
  return out;
}

const MAX_RUN_NAME = 100;
