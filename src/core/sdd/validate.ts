// Validating the plan store as a whole: every plan and prompt on its own
// (plan.ts), then the links between them and the beads, in both directions.
import type { Diagnostic } from './diagnostics.ts';
import { diag } from './diagnostics.ts';
import type { SddReader } from './ops.ts';
import { parseSddPath, planPath, tierOfDir } from './paths.ts';
import { type Plan, parsePlan, parsePrompt } from './plan.ts';

export interface StoredFile {
  path: string;
  text: string;
}

/** Where a field sits in a stored file (front matter starts on line 2). */
function lineOf(text: string, key: string): number | null {
  const lines = text.split('\n');
  const end = lines.indexOf('---', 1);
  const i = lines.slice(0, end < 0 ? undefined : end).findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? null : i + 1;
}

/**
 * Diagnostics for the stored files; with `only`, just for those paths (the
 * whole store is still read to check their links).
 */
export async function validateStore(reader: SddReader, files: StoredFile[], only?: Set<string>): Promise<Diagnostic[]> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: Diagnostic[] = [];
  const read = async (path: string) => byPath.get(path)?.text ?? (await reader.readFile(path));
  for (const f of files) {
    if (only && !only.has(f.path)) continue;
    const at = parseSddPath(f.path);
    if (!at) continue;
    if (at.dir === 'prompts') {
      const { prompt, diagnostics } = parsePrompt(f.text, f.path);
      out.push(...diagnostics);
      if (!prompt?.plan) continue;
      const planText = await read(prompt.plan);
      if (planText === null) {
        out.push(
          diag(
            'link-broken',
            f.path,
            lineOf(f.text, 'plan'),
            `the prompt names the plan '${prompt.plan}', which does not exist`,
          ),
        );
        continue;
      }
      const { plan } = parsePlan(planText, prompt.plan);
      if (plan && plan.prompt !== f.path)
        out.push(
          diag(
            'link-one-way',
            f.path,
            lineOf(f.text, 'plan'),
            `the prompt names '${prompt.plan}', but that plan's prompt is ${plan.prompt ? `'${plan.prompt}'` : 'not set'}`,
          ),
        );
      continue;
    }
    const { plan, diagnostics } = parsePlan(f.text, f.path);
    out.push(...diagnostics);
    if (!plan) continue;
    out.push(...(await planLinks(reader, f, plan, at.dir, at.slug, read)));
  }
  return out;
}

async function planLinks(
  reader: SddReader,
  f: StoredFile,
  plan: Plan,
  dir: string,
  slug: string,
  read: (p: string) => Promise<string | null>,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const line = (k: string) => lineOf(f.text, k);
  const tier = tierOfDir(dir as 'tales');
  if (tier && tier !== plan.tier)
    out.push(diag('tier-mismatch', f.path, line('tier'), `a ${plan.tier} stored among the ${dir}`));
  if (slug !== plan.slug)
    out.push(
      diag(
        'slug-mismatch',
        f.path,
        line('slug') ?? line('title'),
        `the file is named '${slug}' but the plan's slug is '${plan.slug}'`,
      ),
    );
  if (plan.prompt) {
    const text = await read(plan.prompt);
    if (text === null)
      out.push(diag('link-broken', f.path, line('prompt'), `the prompt '${plan.prompt}' does not exist`));
    else {
      const { prompt } = parsePrompt(text, plan.prompt);
      if (prompt && prompt.plan !== f.path)
        out.push(
          diag(
            'link-one-way',
            f.path,
            line('prompt'),
            `the prompt '${plan.prompt}' names ${prompt.plan ? `'${prompt.plan}'` : 'no plan'}, not this one`,
          ),
        );
    }
  }
  if (!plan.bead) {
    if (plan.status !== 'draft' && plan.status !== 'abandoned')
      out.push(
        diag(
          'bead-missing',
          f.path,
          line('status'),
          `the plan is ${plan.status} but names no bead; approve it with 'sase sdd approve ${plan.slug}'`,
        ),
      );
  } else {
    const bead = await reader.get(plan.bead);
    if (!bead) out.push(diag('link-broken', f.path, line('bead'), `the bead '${plan.bead}' does not exist`));
    else if (bead.design !== f.path)
      out.push(
        diag(
          'link-one-way',
          f.path,
          line('bead'),
          `the bead '${plan.bead}' names ${bead.design ? `'${bead.design}'` : 'no plan'} as its design, not this one`,
        ),
      );
    if (bead && plan.tier === 'epic') {
      for (const [i, p] of plan.phases.entries()) {
        const id = `${plan.bead}.${i + 1}`;
        const b = await reader.get(id);
        const want = p.depends_on.map((d) => `${plan.bead}.${plan.phases.findIndex((q) => q.id === d) + 1}`).sort();
        const have = (b?.dependencies ?? [])
          .map((d) => d.depends_on_id)
          .filter((d) => d.startsWith(`${plan.bead}.`))
          .sort();
        const problem = !b
          ? `has no bead '${id}'`
          : b.title !== p.title
            ? `is titled '${p.title}' but its bead '${id}' is '${b.title}'`
            : want.join(',') !== have.join(',')
              ? `depends on ${want.join(', ') || 'nothing'} but its bead '${id}' on ${have.join(', ') || 'nothing'}`
              : null;
        if (problem) out.push(diag('phase-beads-mismatch', f.path, line('phases'), `phase '${p.id}' ${problem}`));
      }
    }
  }
  if (plan.tier === 'legend') out.push(...(await legendLinks(reader, f, plan, read)));
  if (plan.tier === 'epic' && plan.bead) out.push(...(await epicLegendLink(reader, f, plan, read)));
  return out;
}

/**
 * A legend's links to its epics: each names an epic plan (a draft legend's
 * may not exist yet; approving it drafts them), not a plan of another tier;
 * and once both have beads, the epic's bead is a child of the legend's.
 */
async function legendLinks(
  reader: SddReader,
  f: StoredFile,
  plan: Plan,
  read: (p: string) => Promise<string | null>,
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const line = lineOf(f.text, 'epics');
  const legendBead = plan.bead && plan.status !== 'draft' && plan.status !== 'abandoned' ? plan.bead : null;
  for (const e of plan.epics) {
    const path = planPath('epic', e);
    const text = await read(path);
    if (text === null) {
      // a slug names one plan across the tiers: a tale or legend by that name is what the link reaches
      const found: string[] = [];
      for (const p of [planPath('tale', e), planPath('legend', e)]) if ((await read(p)) !== null) found.push(p);
      if (found.length)
        out.push(diag('link-not-epic', f.path, line, `the epic '${e}' names ${found.join(' and ')}, which is no epic`));
      else if (plan.status !== 'draft')
        out.push(diag('link-broken', f.path, line, `the epic '${e}' has no plan (${path})`));
      continue;
    }
    if (!legendBead) continue;
    const epic = parsePlan(text, path).plan;
    if (!epic?.bead) continue;
    const bead = await reader.get(epic.bead);
    if (bead && bead.parent_id !== legendBead)
      out.push(
        diag(
          'link-one-way',
          f.path,
          line,
          `the epic '${e}' has the bead '${epic.bead}', which is ${bead.parent_id ? `a child of '${bead.parent_id}'` : 'no child'}, not of the legend's bead '${legendBead}'`,
        ),
      );
  }
  return out;
}

/** An epic whose bead is a child of a legend's bead: that legend names the epic. */
async function epicLegendLink(
  reader: SddReader,
  f: StoredFile,
  plan: Plan,
  read: (p: string) => Promise<string | null>,
): Promise<Diagnostic[]> {
  const bead = await reader.get(plan.bead!);
  const parent = bead?.parent_id ? await reader.get(bead.parent_id) : null;
  if (!parent?.design || parseSddPath(parent.design)?.dir !== 'legends') return [];
  const text = await read(parent.design);
  const legend = text === null ? null : parsePlan(text, parent.design).plan;
  if (!legend || legend.bead !== parent.id || legend.epics.includes(plan.slug)) return [];
  return [
    diag(
      'link-one-way',
      f.path,
      lineOf(f.text, 'bead'),
      `the bead '${plan.bead}' is a child of the legend '${legend.slug}' (${parent.design}), which does not name this epic`,
    ),
  ];
}
