// Review of changes, whatever the provider: comments (added, resolved,
// fetched), and mail / submit / revert with their checks, records and
// TIMESTAMPS. The provider modules (review-local.ts: pure git;
// review-github.ts: the gh CLI) do the outside part; this module checks
// before, records after, and undoes the outside part when the record cannot
// be written, so a failed command leaves records and branches as they were.
import { FatalError, NotFoundError, RefusedError, UsageError, withHint } from '../../core/errors.ts';
import {
  changeBranch,
  checkOneLine,
  type ChangeSpec,
  type Comment,
  type CommitEntry,
} from '../../core/changes/spec.ts';
import { moveStatus, stamp } from '../../core/changes/status.ts';
import type { BranchCommit } from '../../git/branches.ts';
import { branchTip, changeCommits, resolveRevision } from './code.ts';
import { descendantsOf } from './stack.ts';
import { commitChange, listChanges, mustReadChange, readChange } from '../../store/changes.ts';
import { loadConfig } from '../config/config.ts';
import { appendNotes } from '../../store/notes.ts';
import type { Store } from '../../store/store.ts';

// ---- configuration -------------------------------------------------------------

export type ReviewProvider = 'local' | 'github';

export interface ReviewConfig {
  provider: ReviewProvider;
  /** [review] remote: where local mail pushes (none: this repository); github's remote (default origin) */
  remote: string | null;
  /** [review] target: the branch changes land on */
  target: string;
}

const REMOTE_RE = /^[A-Za-z0-9._][A-Za-z0-9._/:@~+-]*$/;

export async function reviewConfig(store: Store): Promise<ReviewConfig> {
  const review = ((await loadConfig(store.repo)).review ?? {}) as Record<string, unknown>;
  const provider = review.provider ?? 'local';
  if (provider !== 'local' && provider !== 'github')
    throw new FatalError(
      `.sase/config.toml: 'review.provider' must be "local" or "github" (got ${JSON.stringify(provider)})`,
    );
  const remote = review.remote ?? null;
  if (remote !== null && (typeof remote !== 'string' || !REMOTE_RE.test(remote)))
    throw new FatalError(
      `.sase/config.toml: 'review.remote' must be a remote's name or URL (got ${JSON.stringify(remote)})`,
    );
  const target = review.target ?? 'main';
  if (typeof target !== 'string' || !target || target.startsWith('-') || /[\s~^:?*[\\]|\.\.|@\{/.test(target))
    throw new FatalError(`.sase/config.toml: 'review.target' must be a branch name (got ${JSON.stringify(target)})`);
  return { provider, remote: remote as string | null, target };
}

/** The provider a change's review lives with: its CL's, else the configured one. */
export function providerOf(c: ChangeSpec, cfg: ReviewConfig): ReviewProvider {
  if (c.cl?.startsWith('github:')) return 'github';
  if (c.cl?.startsWith('local:')) return 'local';
  return cfg.provider;
}

// ---- comments -----------------------------------------------------------------

export interface NewComment {
  author: string;
  path: string;
  line: number | null;
  text: string;
}

/** A comment's path where the comment is about the change as a whole (a pull request's conversation). */
export const WHOLE_CHANGE = '-';
const UNRESOLVED_MARK = ' - (!: unresolved)';
const MAX_TEXT = 64 << 10;

/** A comment's text made storable: CRLF to LF, no trailing blanks, no control characters but tabs and newlines. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+|\s+$/g, '');
}

/** Checks one comment; `where` prefixes the message ('stdin:3: '). */
export function checkComment(
  input: { path?: unknown; line?: unknown; text?: unknown; author?: unknown },
  defaultAuthor: string,
  where = '',
): NewComment {
  const bad = (what: string): never => {
    throw new UsageError(`${where}${what}`);
  };
  if (typeof input.path !== 'string' || input.path === '')
    bad('a comment needs a path (\'--path\', or "path" on stdin)');
  const path = input.path as string;
  if (/[\s\u0000-\u001f\u007f]/.test(path))
    bad(`path '${JSON.stringify(path).slice(1, -1)}' has whitespace or control characters`);
  if (path.length > 4096) bad('path is too long');
  let line: number | null = null;
  if (input.line !== undefined && input.line !== null && input.line !== '') {
    const n = typeof input.line === 'number' ? input.line : /^\d+$/.test(String(input.line)) ? Number(input.line) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) bad(`line '${String(input.line)}' is not a positive whole number`);
    line = n;
  }
  // 'a.ts:12' with no line would read back as line 12 of 'a.ts'
  if (line === null && /:\d+$/.test(path)) bad(`path '${path}' ends in ':<number>'; give the line with '--line'`);
  if (typeof input.text !== 'string') bad('a comment needs a text (\'--text\', or "text" on stdin)');
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(input.text as string)) bad('text has control characters');
  const text = cleanText(input.text as string);
  if (text === '') bad('text must not be empty');
  if (text.length > MAX_TEXT) bad(`text is too long (${text.length} characters, at most ${MAX_TEXT})`);
  if (text.split('\n')[0]!.endsWith(UNRESOLVED_MARK))
    bad(`the first line of a text must not end with '${UNRESOLVED_MARK.trim()}'`);
  const author = input.author === undefined || input.author === null ? defaultAuthor : String(input.author);
  try {
    checkOneLine('author', author, 200);
  } catch (err) {
    bad((err as Error).message);
  }
  if (/[\]\s]/.test(author)) bad(`author '${author}' has whitespace or ']'`);
  return { author, path, line, text };
}

function sameComment(a: NewComment, b: NewComment): boolean {
  return a.author === b.author && a.path === b.path && a.line === b.line && a.text === b.text;
}

/**
 * The change with the comments appended. A comment equal (author, path, line,
 * text) to one already there is not added again: to an open one always (a
 * reviewer's findings piped twice), to any with `againstResolved` (a
 * review's comments polled again). Returns each input's comment.
 */
export function addComments(
  c: ChangeSpec,
  news: NewComment[],
  againstResolved = false,
): { change: ChangeSpec; comments: Comment[]; added: number } {
  const all = [...c.comments];
  const out: Comment[] = [];
  let added = 0;
  for (const n of news) {
    const dup = all.find((k) => (againstResolved || !k.resolved) && sameComment(k, n));
    if (dup) {
      out.push(dup);
      continue;
    }
    const k: Comment = {
      id: all.length + 1,
      author: n.author,
      path: n.path,
      line: n.line,
      text: n.text,
      resolved: false,
    };
    all.push(k);
    out.push(k);
    added++;
  }
  return { change: { ...c, comments: all }, comments: out, added };
}

/** A comment's id as given: 'N' or '<change>#N'. */
export function parseCommentId(change: string, raw: string): number {
  const m = /^(?:([a-z0-9_]+)#)?(\d+)$/.exec(raw.trim());
  if (!m) throw new UsageError(`comment id '${raw}' is not N or ${change}#N`);
  if (m[1] !== undefined && m[1] !== change)
    throw new UsageError(`comment '${raw}' belongs to change '${m[1]}', not '${change}'`);
  return Number(m[2]);
}

/** The change with those comments resolved; unknown ids are not found (4). */
export function resolveComments(c: ChangeSpec, ids: number[]): { change: ChangeSpec; comments: Comment[] } {
  const missing = ids.filter((n) => !c.comments.some((k) => k.id === n));
  if (missing.length)
    throw withHint(
      new NotFoundError(`change '${c.name}' has no comment ${missing.map((n) => `'${c.name}#${n}'`).join(', ')}`),
      `try 'sase cs show ${c.name}'`,
    );
  const comments = c.comments.map((k) => (ids.includes(k.id) ? { ...k, resolved: true } : k));
  return { change: { ...c, comments }, comments: ids.map((n) => comments.find((k) => k.id === n)!) };
}

/** A comment on the wire (version 1). */
export function commentToWire(change: string, k: Comment): Record<string, unknown> {
  return {
    v: 1,
    kind: 'comment',
    id: `${change}#${k.id}`,
    change,
    n: k.id,
    author: k.author,
    path: k.path,
    line: k.line,
    text: k.text,
    resolved: k.resolved,
  };
}

// ---- the provider interface ------------------------------------------------------

/** Something done outside the records, and how to take it back. */
export interface Undo {
  (): Promise<void>;
}

export interface MailResult {
  cl: string;
  /** the commit mailed */
  commit: string;
  /** what mail did, for the user: 'pushed to refs/sase/review/x', 'opened https://...' */
  did: string[];
  undo: Undo;
}

export interface LandInput {
  change: ChangeSpec;
  cfg: ReviewConfig;
  /** the change's branch tip */
  tip: string;
  /** what the change's own commits are counted from */
  upstream: string;
  descendants: ChangeSpec[];
}

export interface Restack {
  name: string;
  /** null: not rebased (see reason) */
  from: string | null;
  to: string | null;
  onto: string;
  reason?: string;
  before: BranchCommit[];
  after: BranchCommit[];
}

export interface LandResult {
  /** the target branch before and after */
  from: string | null;
  to: string | null;
  /** the change's commits before and after landing (when known) */
  before: BranchCommit[];
  after: BranchCommit[];
  restacks: Restack[];
  event: string;
  did: string[];
  undo: Undo;
}

export interface Provider {
  mail(store: Store, c: ChangeSpec, cfg: ReviewConfig, tip: string, parent: ChangeSpec | null): Promise<MailResult>;
  land(store: Store, input: LandInput): Promise<LandResult>;
  revert?(
    store: Store,
    c: ChangeSpec,
    cfg: ReviewConfig,
  ): Promise<{ from: string; to: string; event: string; did: string[]; undo: Undo }>;
  comments?(store: Store, c: ChangeSpec): Promise<NewComment[]>;
}

async function providerModule(p: ReviewProvider): Promise<Provider> {
  return p === 'github' ? (await import('./review-github.ts')).github : (await import('./review-local.ts')).local;
}

/** Runs `record`; if it throws, undoes what was done outside and rethrows. */
async function recordOrUndo<T>(undo: Undo, record: () => Promise<T>): Promise<T> {
  try {
    return await record();
  } catch (err) {
    await undo().catch(() => {});
    throw err;
  }
}

// ---- mail -----------------------------------------------------------------------

export interface Mailed {
  change: ChangeSpec;
  did: string[];
}

/** Mails a Ready change (or mails a Mailed one again, updating its review) through its provider. */
export async function mailChange(store: Store, name: string, at: string): Promise<Mailed> {
  const cfg = await reviewConfig(store);
  const snap = await store.snapshot();
  const c = await mustReadChange(snap, name);
  if (c.status !== 'Ready' && c.status !== 'Mailed') {
    throw withHint(
      new RefusedError(`change '${name}' is ${c.status}, not Ready: only a Ready change is mailed`),
      c.status === 'WIP' || c.status === 'Draft'
        ? `mark it ready with 'sase cs set ${name} --status Ready'`
        : 'a change is mailed once it is Ready',
    );
  }
  let parent: ChangeSpec | null = null;
  if (c.parent) {
    parent = await readChange(snap, c.parent);
    if (parent && parent.status !== 'Mailed' && parent.status !== 'Submitted')
      throw withHint(
        new RefusedError(
          `change '${name}' stacks on '${parent.name}', which is ${parent.status}: mail '${parent.name}' first`,
        ),
        `sase cs mail ${parent.name}`,
      );
  }
  const tip = await branchTip(store, changeBranch(name));
  if (!tip) throw new NotFoundError(`change '${name}' has no branch '${changeBranch(name)}'`);
  if ((await changeCommits(store, c)).length === 0)
    throw withHint(
      new RefusedError(`change '${name}' has no commits on '${changeBranch(name)}' to mail`),
      `commit on the branch, then 'sase cs commit ${name}'`,
    );
  const provider = await providerModule(providerOf(c, cfg));
  const mailed = await provider.mail(store, c, cfg, tip, parent);
  const { result } = await recordOrUndo(mailed.undo, () =>
    commitChange(store, at, async (s) => {
      const now = await mustReadChange(s, name);
      if (now.status !== c.status)
        throw new RefusedError(`change '${name}' moved to ${now.status} while it was mailed; nothing recorded`);
      let next: ChangeSpec = now.status === 'Mailed' ? now : moveStatus(now, 'Mailed', at);
      next = stamp({ ...next, cl: mailed.cl }, at, `MAIL ${mailed.cl} at ${mailed.commit.slice(0, 12)}`);
      return { op: { op: 'cs.mail', name, cl: mailed.cl, commit: mailed.commit }, changes: [next], result: next };
    }),
  );
  return { change: result, did: mailed.did };
}

// ---- submit ---------------------------------------------------------------------

/** Why a change may not be submitted yet (besides its status): blocking hooks, open comments. */
export function submitProblems(c: ChangeSpec, tip: string): string[] {
  const out: string[] = [];
  const blocking = c.hooks.filter((h) => !h.command.startsWith('!'));
  const latest = c.commits.length;
  if (blocking.length) {
    if (latest === 0) out.push(`no commits recorded for its hooks to run on (sase cs commit ${c.name})`);
    else {
      const last = c.commits[latest - 1]!;
      if (!tip.startsWith(last.sha)) out.push(`its branch has commits not recorded (sase cs commit ${c.name})`);
      for (const h of blocking) {
        const runs = h.runs.filter((r) => r.commit === latest);
        const run = runs[runs.length - 1];
        if (!run) out.push(`hook '${h.command}' has not run on commit (${latest})`);
        else if (run.result !== 'PASSED')
          out.push(
            `hook '${h.command}' ${run.result === 'FAILED' ? 'FAILED' : 'is still running'} on commit (${latest})`,
          );
      }
    }
  }
  const open = c.comments.filter((k) => !k.resolved);
  if (open.length)
    out.push(
      `${open.length} unresolved comment${open.length === 1 ? '' : 's'} (${open.map((k) => `${c.name}#${k.id}`).join(', ')})`,
    );
  return out;
}

/** COMMITS after a rebase: each recorded commit follows its new version (by position, else by subject). */
export function remapCommits(commits: CommitEntry[], before: BranchCommit[], after: BranchCommit[]): CommitEntry[] {
  if (!before.length || !after.length) return commits;
  const used = new Set<number>();
  return commits.map((k) => {
    const i = before.findIndex((b) => b.sha.startsWith(k.sha));
    if (i < 0) return k;
    let j =
      before.length === after.length ? i : after.findIndex((a, n) => !used.has(n) && a.subject === before[i]!.subject);
    if (j < 0 || used.has(j)) return k;
    used.add(j);
    return { ...k, sha: after[j]!.sha, subject: after[j]!.subject };
  });
}

export interface Submitted {
  change: ChangeSpec;
  children: ChangeSpec[];
  restacks: Restack[];
  overridden: string[];
  did: string[];
}

/**
 * Submits a Mailed change: checks (hooks, comments; --force overrides them),
 * lands it with the provider, marks it Submitted, and moves its children
 * onto the new base (PARENT cleared, branches rebased when they apply).
 */
export async function submitChange(
  store: Store,
  name: string,
  at: string,
  opts: { force: boolean },
): Promise<Submitted> {
  const cfg = await reviewConfig(store);
  const snap = await store.snapshot();
  const c = await mustReadChange(snap, name);
  if (c.status !== 'Mailed') {
    throw withHint(
      new RefusedError(`change '${name}' is ${c.status}, not Mailed: only a mailed change is submitted`),
      c.status === 'Ready' ? `mail it first: 'sase cs mail ${name}'` : 'see sase-cs-submit(1)',
    );
  }
  const tip = await branchTip(store, changeBranch(name));
  if (!tip) throw new NotFoundError(`change '${name}' has no branch '${changeBranch(name)}'`);
  const all = await listChanges(snap);
  if (c.parent) {
    const p = all.find((x) => x.name === c.parent);
    if (p && p.status !== 'Submitted')
      throw withHint(
        new RefusedError(`change '${name}' stacks on '${p.name}', which is ${p.status}: submit '${p.name}' first`),
        `sase cs submit ${p.name}`,
      );
  }
  const problems = submitProblems(c, tip);
  if (problems.length && !opts.force) {
    throw withHint(
      new RefusedError(`change '${name}' cannot be submitted: ${problems.join('; ')}`),
      'fix those, or give --force to submit anyway',
    );
  }
  const targetTip = await resolveRevision(store, `refs/heads/${cfg.target}`);
  if (!targetTip)
    throw withHint(new NotFoundError(`no target branch '${cfg.target}'`), 'set [review] target in .sase/config.toml');
  // the change's own commits are those not on the target branch; a rebase
  // onto it drops any that landed already (a parent submitted elsewhere)
  const upstream = targetTip;
  const descendants = descendantsOf(all, name);
  const provider = await providerModule(providerOf(c, cfg));
  const landed = await provider.land(store, { change: c, cfg, tip, upstream, descendants });
  const { result } = await recordOrUndo(landed.undo, () =>
    commitChange(store, at, async (s) => {
      const now = await mustReadChange(s, name);
      if (
        now.status !== 'Mailed' ||
        now.comments.length !== c.comments.length ||
        JSON.stringify(now.hooks) !== JSON.stringify(c.hooks)
      ) {
        throw new RefusedError(`change '${name}' changed while it was submitted; nothing recorded, try again`);
      }
      let next = moveStatus(
        { ...now, parent: null, commits: remapCommits(now.commits, landed.before, landed.after) },
        'Submitted',
        at,
      );
      if (problems.length) next = stamp(next, at, `FORCE ${problems.join('; ')}`);
      next = stamp(next, at, landed.event);
      const kids: ChangeSpec[] = [];
      for (const r of landed.restacks) {
        const k = await readChange(s, r.name);
        if (!k) continue;
        let nk: ChangeSpec = k;
        if (k.parent === name)
          nk = stamp({ ...nk, parent: null }, at, `PARENT ${name} -> none (${name} submitted to ${cfg.target})`);
        if (r.to)
          nk = stamp(
            { ...nk, commits: remapCommits(nk.commits, r.before, r.after) },
            at,
            `REBASE onto ${r.onto} at ${r.to.slice(0, 12)}`,
          );
        kids.push(nk);
      }
      const op = {
        op: 'cs.submit',
        name,
        target: cfg.target,
        from: landed.from,
        to: landed.to,
        forced: problems.length ? problems : null,
        restacked: landed.restacks.filter((r) => r.to).map((r) => r.name),
      };
      return { op, changes: [next, ...kids], result: { change: next, children: kids } };
    }),
  );
  // provenance of the rewritten commits; the submit stands even if this fails
  const notes = [result.change, ...result.children].flatMap((k) => {
    const was = k === result.change ? c : all.find((x) => x.name === k.name);
    return k.commits
      .filter((e, i) => was && was.commits[i]?.sha !== e.sha)
      .map((e) => ({ commit: e.sha, record: { v: 1, changespec: k.name, ...(e.bead ? { bead: e.bead } : {}) } }));
  });
  if (notes.length) await appendNotes(store, notes).catch(() => {});
  return {
    change: result.change,
    children: result.children,
    restacks: landed.restacks,
    overridden: problems,
    did: landed.did,
  };
}

// ---- revert ---------------------------------------------------------------------

/** Reverts a Submitted change on the target branch (status Reverted). */
export async function revertChange(
  store: Store,
  name: string,
  at: string,
): Promise<{ change: ChangeSpec; did: string[] }> {
  const cfg = await reviewConfig(store);
  const c = await mustReadChange(await store.snapshot(), name);
  if (c.status !== 'Submitted')
    throw new RefusedError(`change '${name}' is ${c.status}, not Submitted: only a submitted change is reverted`);
  const provider = await providerModule(providerOf(c, cfg));
  if (!provider.revert)
    throw new RefusedError(`change '${name}' was submitted on GitHub (${c.cl}): revert a GitHub change on GitHub`);
  const done = await provider.revert(store, c, cfg);
  const { result } = await recordOrUndo(done.undo, () =>
    commitChange(store, at, async (s) => {
      const now = await mustReadChange(s, name);
      if (now.status !== 'Submitted')
        throw new RefusedError(`change '${name}' moved to ${now.status} while it was reverted; nothing recorded`);
      const next = stamp(moveStatus(now, 'Reverted', at), at, done.event);
      return {
        op: { op: 'cs.revert', name, target: cfg.target, from: done.from, to: done.to },
        changes: [next],
        result: next,
      };
    }),
  );
  return { change: result, did: done.did };
}

// ---- comments from the review ----------------------------------------------------

/** Appends the review's new comments (deduplicated against every comment already there). */
export async function fetchReviewComments(
  store: Store,
  name: string,
  at: string,
): Promise<{ change: ChangeSpec; comments: Comment[]; added: number }> {
  const cfg = await reviewConfig(store);
  const c = await mustReadChange(await store.snapshot(), name);
  const provider = await providerModule(providerOf(c, cfg));
  if (!provider.comments || !c.cl?.startsWith('github:')) {
    throw withHint(
      new RefusedError(`change '${name}' has no GitHub review to read comments from (CL: ${c.cl ?? 'none'})`),
      c.cl
        ? 'local reviews keep their comments in the change: sase cs comment'
        : `mail it first: 'sase cs mail ${name}'`,
    );
  }
  const news = await provider.comments(store, c);
  const { result } = await commitChange(store, at, async (s) => {
    const now = await mustReadChange(s, name);
    const r = addComments(now, news, true);
    return {
      op: r.added ? { op: 'cs.comment', name, from: c.cl, count: r.added } : null,
      changes: [r.change],
      result: r,
    };
  });
  return result;
}
