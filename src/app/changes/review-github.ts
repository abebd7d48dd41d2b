// The github review provider, through the gh CLI only (argument arrays):
// mail pushes sase/cs/<name> to the remote ([review] remote, default origin)
// and opens a pull request (CL github:<owner>/<repo>#<n>); comments are read
// with gh pr view, which also tells a poll whether the pull request was merged
// or closed; submit is gh pr merge --rebase, pinned to the head commit that
// was mailed. Reverting is left to GitHub.

import { cleanText, type NewComment, WHOLE_CHANGE } from '../../core/changes/comments.ts';
import { githubCl, mustPr, parseGithubCl, parsePullUrl, repoSlug } from '../../core/changes/github.ts';
import type { ReviewConfig } from '../../core/changes/review.ts';
import { type ChangeSpec, changeBranch } from '../../core/changes/spec.ts';
import { FatalError, RefusedError } from '../../core/errors.ts';
import { failureLine } from '../../git/exec.ts';
import { pushWithLease, remoteRef } from '../../git/push.ts';
import { gh } from '../../proc/gh.ts';
import type { Store } from '../../store/store.ts';
import type { LandInput, LandResult, MailResult, Provider, ReviewState } from './review-provider.ts';

function ghEnv(store: Store) {
  return { cwd: store.repo.topLevel ?? store.repo.cwd, env: store.repo.env };
}

async function mail(
  store: Store,
  c: ChangeSpec,
  cfg: ReviewConfig,
  tip: string,
  parent: ChangeSpec | null,
): Promise<MailResult> {
  const repo = store.repo;
  const remote = cfg.remote ?? 'origin';
  const branch = changeBranch(c.name);
  const ref = `refs/heads/${branch}`;
  let old: string | null;
  try {
    old = await remoteRef(repo, remote, ref);
    if (old !== tip) await pushWithLease(repo, remote, ref, ref, old);
  } catch (err) {
    throw new RefusedError(`could not push '${branch}' to '${remote}': ${failureLine(err)}`);
  }
  const unpush = async () => {
    if (old !== tip) await pushWithLease(repo, remote, old, ref, tip);
  };
  const pushed =
    old === tip
      ? `${remote} ${branch} is at ${tip.slice(0, 12)} already`
      : `pushed ${tip.slice(0, 12)} to ${remote} ${branch}`;
  const existing = parseGithubCl(c.cl);
  if (existing) return { cl: c.cl!, commit: tip, did: [pushed, `updated ${githubCl(existing)}`], undo: unpush };
  const base = parent && parent.status !== 'Submitted' ? changeBranch(parent.name) : cfg.target;
  const [title, ...rest] = c.description.split('\n');
  let out: string;
  try {
    out = (
      await gh(ghEnv(store), [
        'pr',
        'create',
        '--base',
        base,
        '--head',
        branch,
        '--title',
        title!.trim() || c.name,
        '--body',
        rest.join('\n').trim(),
      ])
    ).stdout;
  } catch (err) {
    await unpush().catch(() => {});
    throw err;
  }
  const pr = parsePullUrl(out);
  if (!pr) {
    await unpush().catch(() => {});
    throw new FatalError(`'gh pr create' printed no pull request URL: ${JSON.stringify(out.trim().slice(0, 200))}`);
  }
  return {
    cl: githubCl(pr),
    commit: tip,
    did: [pushed, `opened ${out.trim().split('\n').pop()}`],
    undo: async () => {
      await gh(ghEnv(store), ['pr', 'close', String(pr.number), '--repo', repoSlug(pr)]).catch(() => {});
      await unpush();
    },
  };
}

interface GhComment {
  author?: { login?: string } | null;
  body?: string;
  state?: string;
}

/** The pull request as gh pr view prints it in JSON, checked to be an object. */
async function viewPull(store: Store, c: ChangeSpec, fields: string): Promise<Record<string, unknown>> {
  const pr = mustPr(c);
  const out = (await gh(ghEnv(store), ['pr', 'view', String(pr.number), '--repo', repoSlug(pr), '--json', fields]))
    .stdout;
  let data: unknown;
  try {
    data = JSON.parse(out);
  } catch {
    data = null;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new FatalError(`'gh pr view' printed no JSON: ${JSON.stringify(out.trim().slice(0, 200))}`);
  return data as Record<string, unknown>;
}

/** The comments and reviews of a pull request as comments on the whole change, by github:<login>. */
function pullComments(data: { comments?: unknown; reviews?: unknown }): NewComment[] {
  const news: NewComment[] = [];
  const take = (k: GhComment, review: boolean) => {
    const login =
      k.author?.login && /^[A-Za-z0-9_.\-[\]]+$/.test(k.author.login) ? k.author.login.replace(/[[\]]/g, '') : 'ghost';
    let text = cleanText(String(k.body ?? ''));
    if (!text && review && k.state === 'CHANGES_REQUESTED') text = 'changes requested';
    if (!text) return;
    if (review && k.state === 'CHANGES_REQUESTED' && text !== 'changes requested') text = `changes requested: ${text}`;
    news.push({
      author: `github:${login}`,
      path: WHOLE_CHANGE,
      line: null,
      text: text.replace(/ - \(!: unresolved\)$/m, ''),
    });
  };
  const list = (v: unknown) => (Array.isArray(v) ? (v as GhComment[]).filter((k) => k && typeof k === 'object') : []);
  for (const k of list(data.comments)) take(k, false);
  for (const k of list(data.reviews)) take(k, true);
  return news;
}

async function comments(store: Store, c: ChangeSpec): Promise<NewComment[]> {
  return pullComments(await viewPull(store, c, 'comments,reviews'));
}

/** The pull request's state (merged, closed or open) and its comments, in one gh call. */
async function poll(store: Store, c: ChangeSpec): Promise<ReviewState> {
  const data = await viewPull(store, c, 'state,comments,reviews');
  const state = String(data.state ?? '').toUpperCase();
  const cl = githubCl(mustPr(c));
  return {
    state: state === 'MERGED' ? 'merged' : state === 'CLOSED' ? 'closed' : 'open',
    comments: pullComments(data),
    event:
      state === 'MERGED'
        ? `SUBMIT ${cl} merged on GitHub (noticed by sase axe)`
        : state === 'CLOSED'
          ? `CLOSED ${cl} closed on GitHub without a merge (noticed by sase axe)`
          : '',
  };
}

async function land(store: Store, input: LandInput): Promise<LandResult> {
  const { change: c, cfg, tip, descendants } = input;
  const pr = mustPr(c);
  // pinned to the commit sase knows: a pull request that moved on GitHub is not merged blind
  await gh(ghEnv(store), [
    'pr',
    'merge',
    String(pr.number),
    '--repo',
    repoSlug(pr),
    '--rebase',
    '--match-head-commit',
    tip,
  ]);
  const restacks = descendants
    .filter((d) => d.parent === c.name)
    .map((d) => ({
      name: d.name,
      from: null,
      to: null,
      onto: cfg.target,
      before: [],
      after: [],
      reason: `its branch stays: fetch '${cfg.target}', then 'sase cs rebase ${d.name}'`,
    }));
  return {
    from: null,
    to: null,
    before: [],
    after: [],
    restacks,
    event: `SUBMIT ${githubCl(pr)} merged by rebase at ${tip.slice(0, 12)}`,
    did: [`merged ${githubCl(pr)} into ${cfg.target} (rebase)`],
    // a merged pull request is not taken back
    undo: async () => {},
  };
}

export const github: Provider = { mail, land, comments, poll };
