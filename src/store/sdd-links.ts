// A plan's links resolved, for `sdd show`: its prompt (and whether it
// names the plan back), its beads with their statuses, a legend's epic plans,
// and the code commits whose notes name the plan or one of its beads.

import { planPath } from '../core/sdd/paths.ts';
import { type Plan, parsePlan, parsePrompt } from '../core/sdd/plan.ts';
import { type BeadRef, beadRef, missingBeadRef } from '../wire/bead.ts';
import type { EpicPlanLink, PlanCommit, PlanLinks, PromptLink } from '../wire/plan.ts';
import { readBeads, shortIdMap } from './beads.ts';
import { readNotes, resolveCommit } from './notes.ts';
import type { Snapshot } from './snapshot.ts';
import type { Store } from './store.ts';

/** The plan's prompt, beads, epic plans and commits, as `planShowToWire` takes them. */
export async function planLinks(store: Store, snap: Snapshot, path: string, plan: Plan): Promise<PlanLinks> {
  let prompt: PromptLink | null = null;
  if (plan.prompt) {
    const text = await snap.readText(plan.prompt);
    prompt = {
      path: plan.prompt,
      exists: text !== null,
      plan: text === null ? null : (parsePrompt(text, plan.prompt).prompt?.plan ?? null),
    };
  }
  const phaseIds = plan.bead && plan.tier === 'epic' ? plan.phases.map((_, i) => `${plan.bead}.${i + 1}`) : [];
  const ids = plan.bead ? [plan.bead, ...phaseIds] : [];
  const byId = new Map((await readBeads(snap, ids)).map((b) => [b.id, b]));
  const shorts = await shortIdMap(snap, ids);
  const ref = (id: string): BeadRef => {
    const b = byId.get(id);
    return b ? beadRef(b, shorts.get(id) ?? id) : missingBeadRef(id);
  };
  const phaseBeads =
    plan.tier === 'epic' ? plan.phases.map((_, i) => (plan.bead ? ref(`${plan.bead}.${i + 1}`) : null)) : null;
  const epicPlans =
    plan.tier === 'legend'
      ? await Promise.all(
          plan.epics.map(async (slug): Promise<EpicPlanLink> => {
            const epicPath = planPath('epic', slug);
            const text = await snap.readText(epicPath);
            const epic = text === null ? null : parsePlan(text, epicPath).plan;
            return {
              slug,
              path: epicPath,
              status: text === null ? 'missing' : (epic?.status ?? 'invalid'),
              bead: epic?.bead ?? null,
            };
          }),
        )
      : null;
  return {
    prompt,
    bead: plan.bead ? ref(plan.bead) : null,
    phase_beads: phaseBeads,
    epic_plans: epicPlans,
    commits: await commitsOf(store, path, new Set(ids)),
  };
}

/** Code commits whose notes name the plan's path or one of its beads, oldest first. */
async function commitsOf(store: Store, path: string, beads: Set<string>): Promise<PlanCommit[]> {
  // one row a commit and bead: the notes of an agent and of 'cs commit' on one commit name the same bead, one with the plan
  const byKey = new Map<string, { commit: string; plan: string | null; bead: string | null }>();
  for (const [commit, records] of await readNotes(store)) {
    for (const r of records) {
      const plan = typeof r.plan === 'string' ? r.plan : null;
      const bead = typeof r.bead === 'string' ? r.bead : null;
      if (plan !== path && !(bead && beads.has(bead))) continue;
      const key = bead ? `${commit}\0${bead}` : `${commit}\0\0${plan}`;
      const had = byKey.get(key);
      if (!had) byKey.set(key, { commit, plan, bead });
      else had.plan ??= plan;
    }
  }
  // a commit noted for a phase and for its epic (a land change's note) is listed once, under the phase
  const noted = [...byKey.values()];
  const hits = noted.filter(
    (h) => !noted.some((o) => o !== h && o.commit === h.commit && o.bead && h.bead && o.bead.startsWith(`${h.bead}.`)),
  );
  const info = new Map(
    await Promise.all(
      [...new Set(hits.map((h) => h.commit))].map(async (c) => [c, await resolveCommit(store, c)] as const),
    ),
  );
  const rows = hits.map((h) => {
    const c = info.get(h.commit) ?? null;
    return {
      commit: h.commit,
      subject: c?.subject ?? null,
      date: c?.date ?? null,
      plan: h.plan,
      bead: h.bead,
      seconds: c?.seconds ?? 0,
    };
  });
  rows.sort(
    (a, b) =>
      a.seconds - b.seconds ||
      (a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : 0) ||
      String(a.bead).localeCompare(String(b.bead)),
  );
  return rows.map(({ seconds: _s, ...r }) => r);
}
