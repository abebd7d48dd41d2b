// GitHub pull requests as sase records them: the CL github:<owner>/<repo>#<n>,
// and the URL gh prints when it opens one.

import { RefusedError, withHint } from '../errors.ts';
import { GITHUB_CL_RE, GITHUB_NAME } from './cl.ts';
import type { ChangeSpec } from './spec.ts';

export interface PullRequest {
  owner: string;
  repo: string;
  number: number;
}

const NAME = GITHUB_NAME;

/** The pull request a CL `github:<owner>/<repo>#<n>` names. */
export function parseGithubCl(cl: string | null): PullRequest | null {
  const m = GITHUB_CL_RE.exec(cl ?? '');
  return m ? { owner: m[1]!, repo: m[2]!, number: Number(m[3]) } : null;
}

/** The pull request a `gh pr create` printed: its URL's owner, repository and number. */
export function parsePullUrl(text: string): PullRequest | null {
  const urls = [...text.matchAll(new RegExp(`https?://[^\\s/]+/(${NAME})/(${NAME})/pull/(\\d+)`, 'g'))];
  const m = urls[urls.length - 1];
  return m ? { owner: m[1]!, repo: m[2]!, number: Number(m[3]) } : null;
}

/** The CL a pull request is recorded as. */
export const githubCl = (pr: PullRequest) => `github:${pr.owner}/${pr.repo}#${pr.number}`;
/** owner/repo, as gh --repo takes it. */
export const repoSlug = (pr: PullRequest) => `${pr.owner}/${pr.repo}`;

export function mustPr(c: ChangeSpec): PullRequest {
  const pr = parseGithubCl(c.cl);
  if (!pr)
    throw withHint(
      new RefusedError(`change '${c.name}' has no pull request (CL: ${c.cl ?? 'none'})`),
      `mail it first: 'sase cs mail ${c.name}'`,
    );
  return pr;
}
