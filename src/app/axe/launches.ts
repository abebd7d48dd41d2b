// The agent runs chops propose, launched by the runner (never by the chop):
// each dedupe key names its run ('axe.<chop>.<key>'), so a key already
// launched, here or on a clone that synced, is not launched again. Runs are
// stored waiting and dispatched within the runner limit.

import type { ProposedLaunch } from '../../core/axe/result.ts';
import type { LaunchOutcome } from '../../core/axe/views.ts';
import { listRuns } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { dispatchRuns } from '../agents/dispatch.ts';
import { type LaunchEnv, launchRuns, planRuns } from '../agents/launch.ts';

/** FNV-1a, 32 bits, as 7 base36 characters: a short stable tag for a long or unusual key. */
function tag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** The run name a dedupe key gives: 'axe.<chop>.<key>' when the key is a tidy name, else its slug and a hash. */
export function dedupeRunName(chop: string, key: string): string {
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 40);
  const base = `axe.${chop.slice(0, 40)}`;
  return slug === key && slug ? `${base}.${slug}` : `${base}.${slug ? `${slug}.` : ''}${tag(key)}`;
}

export async function launchProposed(
  store: Store,
  chop: string,
  launches: ProposedLaunch[],
  env: LaunchEnv,
): Promise<LaunchOutcome[]> {
  const out: LaunchOutcome[] = [];
  const names = new Map<string, string>();
  for (const r of await listRuns(await store.snapshot())) if (r.name) names.set(r.name, r.id);
  for (const l of launches) {
    const name = dedupeRunName(chop, l.dedupe_key);
    const had = names.get(name);
    if (had) {
      out.push({ dedupe_key: l.dedupe_key, action: 'deduped', run: had, reason: null });
      continue;
    }
    try {
      const planned = await planRuns(
        store,
        {
          prompt: l.prompt,
          provider: l.provider ?? null,
          model: l.model ?? null,
          name,
          bead: l.bead ?? null,
          ws: l.workspace ?? null,
          waits: l.wait_on ?? [],
          hold: true,
        },
        env,
      );
      const [run] = await launchRuns(store, planned, env);
      names.set(name, run!.id);
      out.push({ dedupe_key: l.dedupe_key, action: 'launched', run: run!.id, reason: null });
    } catch (err) {
      out.push({
        dedupe_key: l.dedupe_key,
        action: 'error',
        run: null,
        reason: (err as Error).message.split('\n')[0]!,
      });
    }
  }
  if (out.some((o) => o.action === 'launched')) await dispatchRuns(store, env);
  return out;
}
