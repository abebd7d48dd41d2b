import type { CommandSpec } from '../cli/spec.ts';
import type { Ctx } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { clean, statusColor } from '../cli/render.ts';
import { planStatusColor } from '../cli/sdd-view.ts';
import { UsageError } from '../core/errors.ts';
import { readPlan } from '../core/sdd/ops.ts';
import { parsePlan, parsePrompt, type Plan } from '../core/sdd/plan.ts';
import { planPath } from '../core/sdd/paths.ts';
import { readBeads, shortIdMap } from '../store/bead-store.ts';
import { readNotes, resolveCommit } from '../store/notes.ts';
import { lastChanges } from '../store/sdd-history.ts';
import { findPlan, sddReader } from '../store/sdd.ts';
import type { Snapshot } from '../store/snapshot.ts';
import type { Store } from '../store/store.ts';
import { beadRef } from '../wire/bead.ts';
import { planToWire, promptToWire } from '../wire/plan.ts';

type Rec = Record<string, unknown>;

export const spec: CommandSpec = {
  name: 'sdd-show',
  summary: 'show a plan with its prompt, beads, phases and commits resolved',
  args: [{ name: 'plan', description: 'the plan: its slug, or a path like sdd/epics/<slug>.md (a prompt path shows the prompt)', required: true }],
  options: [{ flags: '--raw', description: 'print the stored text exactly as it is', type: 'bool' }],
  description: `Shows a stored plan with its links resolved: the prompt it came from (and whether that prompt names the plan back), its bead and the bead's status, for an epic each phase with its bead and status, for a legend each epic it coordinates with that plan's status and bead, and the code commits that carry the plan out: those whose note in refs/notes/sase (see sase-sdd-link(1)) names the plan's path or one of its beads, phase beads included, oldest first.

With --raw, the stored text is printed byte for byte (front matter and body), for editing or diffing.`,
  output: `One NDJSON record of kind "plan": the fields of sase-sdd-list(1) (v, kind, id, path, slug, tier, title, goal, status, bead, prompt, model, size, phases, epics, created_at, updated_at, body) and the resolved links:
prompt_record: {path, exists, plan (the plan the prompt names back, or null)}, or null when the plan names no prompt;
bead_record: the plan's bead as a reference {id, short_id, title, status, issue_type, priority} (status "missing" when the bead is gone), or null before approval;
phase_beads: for an epic, [{phase (its id), bead (a reference, or null before approval)}] in phase order; null for other tiers;
epic_plans: for a legend, [{slug, path, status ("missing" when there is no such epic plan), bead}]; null for other tiers;
commits: [{commit, subject, date, plan, bead}] from the notes, oldest first (subject and date are null for a commit this clone does not have).
A prompt path prints a record of kind "prompt" {v, kind, id, path, slug, plan, created_at, updated_at, body}. On a terminal, a card; with --raw, the stored text.`,
  exit: [
    [1, 'the stored plan no longer parses (see it with --raw)'],
    [4, 'no such plan'],
    [129, 'the slug names plans in two tiers (the candidates are named; give the path), or it is malformed'],
  ],
  examples: [
    { cmd: 'sase sdd show ready-cache', text: 'the plan, its phases and their beads' },
    { cmd: 'sase sdd show sdd/epics/ready-cache.md --raw > plan.md', text: 'the stored text, to edit' },
    { cmd: "sase sdd show ready-cache --json | jq -r '.commits[].commit'", text: 'the commits that carry the plan out' },
  ],
  seeAlso: ['sase-sdd-list', 'sase-sdd-link', 'sase-sdd-status', 'sase-bead-show'],
  async run(ctx, args, opts) {
    if (!args[0]) throw new UsageError('no plan given');
    if (args.length > 1) throw new UsageError(`one plan at a time; '${args[1]}' is extra`);
    const store = await ctx.store();
    const snap = await store.snapshot();
    const found = await findPlan(snap, args[0]);
    if (opts.raw) {
      ctx.stdout.write(found.text);
      return 0;
    }
    if (found.dir === 'prompts') {
      const { prompt } = parsePrompt(found.text, found.path);
      const updated = (await lastChanges(store, [found.dir])).get(found.path)?.at ?? null;
      const rec = promptToWire(found.path, found.slug, prompt ?? { plan: null, created_at: null, body: found.text }, { updated_at: updated });
      if (ctx.format === 'text') printPromptCard(ctx, rec);
      else writeRecord(ctx, rec);
      return 0;
    }
    const plan = (await readPlan(sddReader(store, snap), found.path))!;
    const updated = (await lastChanges(store, [found.dir])).get(found.path)?.at ?? null;
    const rec = await planWithLinks(store, snap, found.path, plan, updated);
    if (ctx.format === 'text') printPlanCard(ctx, rec);
    else writeRecord(ctx, rec);
    return 0;
  },
};

async function planWithLinks(store: Store, snap: Snapshot, path: string, plan: Plan, updatedAt: string | null): Promise<Rec> {
  let promptRecord: Rec | null = null;
  if (plan.prompt) {
    const text = await snap.readText(plan.prompt);
    promptRecord = { path: plan.prompt, exists: text !== null, plan: text === null ? null : (parsePrompt(text, plan.prompt).prompt?.plan ?? null) };
  }
  const phaseIds = plan.bead && plan.tier === 'epic' ? plan.phases.map((_, i) => `${plan.bead}.${i + 1}`) : [];
  const ids = plan.bead ? [plan.bead, ...phaseIds] : [];
  const byId = new Map((await readBeads(snap, ids)).map((b) => [b.id, b]));
  const shorts = await shortIdMap(snap, ids);
  const ref = (id: string): Rec => {
    const b = byId.get(id);
    return b ? beadRef(b, shorts.get(id) ?? id) : { id, short_id: id, title: null, status: 'missing', issue_type: null, priority: null };
  };
  const phaseBeads = plan.tier === 'epic' ? plan.phases.map((ph, i) => ({ phase: ph.id, bead: plan.bead ? ref(`${plan.bead}.${i + 1}`) : null })) : null;
  const epicPlans =
    plan.tier === 'legend'
      ? await Promise.all(
          plan.epics.map(async (slug) => {
            const epicPath = planPath('epic', slug);
            const text = await snap.readText(epicPath);
            const epic = text === null ? null : parsePlan(text, epicPath).plan;
            return { slug, path: epicPath, status: text === null ? 'missing' : (epic?.status ?? 'invalid'), bead: epic?.bead ?? null };
          }),
        )
      : null;
  return {
    ...planToWire(path, plan, { updated_at: updatedAt }),
    prompt_record: promptRecord,
    bead_record: plan.bead ? ref(plan.bead) : null,
    phase_beads: phaseBeads,
    epic_plans: epicPlans,
    commits: await commitsOf(store, path, new Set(ids)),
  };
}

/** Code commits whose notes name the plan's path or one of its beads, oldest first. */
async function commitsOf(store: Store, path: string, beads: Set<string>): Promise<Rec[]> {
  const hits: Array<{ commit: string; plan: string | null; bead: string | null }> = [];
  const seen = new Set<string>();
  for (const [commit, records] of await readNotes(store)) {
    for (const r of records) {
      const plan = typeof r.plan === 'string' ? r.plan : null;
      const bead = typeof r.bead === 'string' ? r.bead : null;
      if (plan !== path && !(bead && beads.has(bead))) continue;
      const key = `${commit}\0${plan}\0${bead}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push({ commit, plan, bead });
    }
  }
  const info = new Map(await Promise.all([...new Set(hits.map((h) => h.commit))].map(async (c) => [c, await resolveCommit(store, c)] as const)));
  const rows = hits.map((h) => {
    const c = info.get(h.commit) ?? null;
    return { commit: h.commit, subject: c?.subject ?? null, date: c?.date ?? null, plan: h.plan, bead: h.bead, seconds: c?.seconds ?? 0 };
  });
  rows.sort((a, b) => a.seconds - b.seconds || (a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : 0) || String(a.bead).localeCompare(String(b.bead)));
  return rows.map(({ seconds: _s, ...r }) => r);
}

function printPromptCard(ctx: Ctx, r: Rec): void {
  const c = ctx.colors;
  const out = [`${c.bold(clean(String(r.path)))}  ${c.dim('prompt')}`, `plan:     ${r.plan ? c.cyan(clean(String(r.plan))) : c.dim('none')}`, ''];
  for (const line of String(r.body).split('\n')) out.push(clean(line));
  ctx.stdout.write(out.join('\n').trimEnd() + '\n');
}

function printPlanCard(ctx: Ctx, r: Rec): void {
  const c = ctx.colors;
  const beadText = (b: Rec | null) => (b ? `${c.cyan(clean(String(b.short_id)))} ${b.status === 'missing' ? c.red('missing') : statusColor(c, String(b.status))}` : c.dim('none'));
  const out: string[] = [];
  out.push(`${c.bold(clean(String(r.title)))}`);
  out.push(`${String(r.tier)}  ${planStatusColor(ctx, String(r.status))}  ${c.dim(clean(String(r.path)))}`);
  out.push(`goal:     ${clean(String(r.goal))}`);
  const p = r.prompt_record as Rec | null;
  if (p) {
    const back = !p.exists ? c.red(' (missing)') : p.plan === r.path ? '' : c.yellow(` (names ${p.plan ? clean(String(p.plan)) : 'no plan'} back)`);
    out.push(`prompt:   ${clean(String(p.path))}${back}`);
  }
  out.push(`bead:     ${beadText(r.bead_record as Rec | null)}`);
  if (r.model) out.push(`model:    ${clean(String(r.model))}`);
  if (r.size) out.push(`size:     ${r.size}`);
  const phases = (r.phases as Rec[] | null) ?? [];
  if (phases.length) {
    out.push('phases:');
    const beads = (r.phase_beads as Rec[] | null) ?? [];
    const w = Math.max(...phases.map((ph) => String(ph.id).length));
    phases.forEach((ph, i) => {
      const deps = (ph.depends_on as string[]).length ? c.dim(`  after ${(ph.depends_on as string[]).join(', ')}`) : '';
      const bead = beads[i]?.bead as Rec | null;
      out.push(`  ${String(i + 1).padStart(2)}. ${c.bold(clean(String(ph.id)).padEnd(w))}  ${bead ? beadText(bead) + '  ' : ''}${c.dim(String(ph.size))}  ${clean(String(ph.title))}${deps}`);
    });
  }
  const epics = (r.epic_plans as Rec[] | null) ?? [];
  if (epics.length) {
    out.push('epics:');
    for (const e of epics) {
      const status = e.status === 'missing' ? c.red('missing') : planStatusColor(ctx, String(e.status));
      out.push(`  ${c.bold(clean(String(e.slug)))}  ${status}${e.bead ? `  ${c.cyan(clean(String(e.bead)))}` : ''}`);
    }
  }
  const commits = (r.commits as Rec[]) ?? [];
  if (commits.length) {
    out.push('commits:');
    for (const k of commits) {
      out.push(`  ${c.yellow(String(k.commit).slice(0, 10))} ${k.subject === null ? c.dim('(not in this clone)') : clean(String(k.subject))}${k.bead ? c.dim(`  ${clean(String(k.bead))}`) : ''}`);
    }
  }
  out.push(`created:  ${r.created_at ?? ''}${r.updated_at ? `  updated: ${r.updated_at}` : ''}`);
  out.push('');
  for (const line of String(r.body).split('\n')) out.push(clean(line));
  ctx.stdout.write(out.join('\n').trimEnd() + '\n');
}
