// Review, whatever the provider: the [review] settings, which provider a
// change's review lives with, and what keeps a change from being submitted.
import { FatalError } from '../errors.ts';
import { isBlocking } from './hooks.ts';
import type { ChangeSpec } from './spec.ts';

export type ReviewProvider = 'local' | 'github';

export interface ReviewConfig {
  provider: ReviewProvider;
  /** [review] remote: where local mail pushes (none: this repository); github's remote (default origin) */
  remote: string | null;
  /** [review] target: the branch changes land on */
  target: string;
}

const REMOTE_RE = /^[A-Za-z0-9._][A-Za-z0-9._/:@~+-]*$/;

/** The [review] section checked, with its defaults: local, no remote, main. */
export function reviewConfigOf(section: Record<string, unknown> | undefined): ReviewConfig {
  const review = section ?? {};
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
  return { provider, remote, target };
}

/** Where local mail puts a change for review. */
export function reviewRef(name: string): string {
  return `refs/sase/review/${name}`;
}

/** The provider a change's review lives with: its CL's, else the configured one. */
export function providerOf(c: ChangeSpec, cfg: ReviewConfig): ReviewProvider {
  if (c.cl?.startsWith('github:')) return 'github';
  if (c.cl?.startsWith('local:')) return 'local';
  return cfg.provider;
}

/** Why a change may not be submitted yet (besides its status): blocking hooks, open comments. */
export function submitProblems(c: ChangeSpec, tip: string): string[] {
  const out: string[] = [];
  const blocking = c.hooks.filter((h) => isBlocking(h.command));
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
