// The github review provider, through the gh CLI only (argument arrays):
// mail pushes sase/cs/<name> to the remote ([review] remote, default origin)
// and opens a pull request (CL github:<owner>/<repo>#<n>); comments are read
// with gh pr view; submit is gh pr merge --rebase, pinned to the head commit
// that was mailed. Reverting is left to GitHub.

import { cleanText, type NewComment, WHOLE_CHANGE } from '../../core/changes/comments.ts';
import { githubCl, mustPr, parseGithubCl, parsePullUrl, repoSlug } from '../../core/changes/github.ts';
import type { ReviewConfig } from '../../core/changes/review.ts';
import { type ChangeSpec, changeBranch } from '../../core/changes/spec.ts';
import { FatalError, RefusedError } from '../../core/errors.ts';
import { failureLine } from '../../git/exec.ts';
import { pushWithLease, remoteRef } from '../../git/push.ts';
import { gh } from '../../proc/gh.ts';
import type { Store } from '../../store/store.ts';
import type { LandInput, LandResult, MailResult, Provider } from './review-provider.ts';

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

async function comments(store: Store, c: ChangeSpec): Promise<NewComment[]> {
  const pr = mustPr(c);
  const out = (
    await gh(ghEnv(store), ['pr', 'view', String(pr.number), '--repo', repoSlug(pr), '--json', 'comments,reviews'])
  ).stdout;
  let data: { comments?: GhComment[]; reviews?: GhComment[] };
  try {
    data = JSON.parse(out);
  } catch {
    throw new FatalError(`'gh pr view' printed no JSON: ${JSON.stringify(out.trim().slice(0, 200))}`);
  }
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
  for (const k of data.comments ?? []) take(k, false);
  for (const k of data.reviews ?? []) take(k, true);
  return news;
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

export const github: Provider = { mail, land, comments };
