// Storing a plan's text: the fields sase manages are taken from the stored
// version (or set for a new plan), the text is made canonical, and the result
// is validated with its links against the store before anything is written.
import { RefusedError } from '../errors.ts';
import { type Diagnostic, hasErrors } from './diagnostics.ts';
import type { FileChange, SddReader } from './ops.ts';
import { PLAN_TIERS, planPath } from './paths.ts';
import { type Plan, parsePlan, serializePlan } from './plan.ts';
import { validateStore } from './validate.ts';

export interface PreparedPlan {
  path: string;
  plan: Plan | null;
  /** the canonical text to store, null when the plan has errors */
  text: string | null;
  diagnostics: Diagnostic[];
  /** a new version of a stored plan rather than a new plan */
  replaces: boolean;
  /** the text is what is stored already */
  unchanged: boolean;
}

/**
 * Prepares `text` (from `where`, for messages) to be stored. `alongside` are
 * other files written in the same commit (a new plan's prompt).
 */
export async function preparePlan(
  reader: SddReader,
  text: string,
  where: string,
  at: string,
  alongside: FileChange[] = [],
  strict = false,
): Promise<PreparedPlan> {
  const parsed = parsePlan(text, where);
  if (!parsed.plan)
    return { path: where, plan: null, text: null, diagnostics: parsed.diagnostics, replaces: false, unchanged: false };
  const incoming = parsed.plan;
  const path = planPath(incoming.tier, incoming.slug);
  for (const tier of PLAN_TIERS) {
    if (tier !== incoming.tier && (await reader.readFile(planPath(tier, incoming.slug))) !== null) {
      throw new RefusedError(
        `the slug '${incoming.slug}' is taken by the ${tier} ${planPath(tier, incoming.slug)}; a slug names one plan`,
      );
    }
  }
  const storedText = await reader.readFile(path);
  const stored = storedText === null ? null : parsePlan(storedText, path).plan;
  const plan: Plan = stored
    ? {
        ...incoming,
        status: stored.status,
        bead: stored.bead,
        created_at: stored.created_at,
        prompt: incoming.prompt ?? stored.prompt,
      }
    : { ...incoming, status: 'draft', bead: null, created_at: incoming.created_at ?? at };
  const canonical = serializePlan(plan);
  const files = [
    { path, text: canonical },
    ...alongside.filter((f) => f.text !== null).map((f) => ({ path: f.path, text: f.text! })),
  ];
  // every file that would be stored is checked as it would be stored (a prompt within the limit as given may not be with its front matter)
  const linked = await validateStore(reader, files, new Set(files.map((f) => f.path)));
  // the file's own findings are reported once; those about its links point at the file given, at the line of the same key
  const diagnostics = [
    ...parsed.diagnostics,
    ...linked
      .filter((d) => !parsed.diagnostics.some((p) => p.code === d.code && p.message === d.message))
      .map((d) => (d.path === path ? relocate(d, canonical, text, where) : d)),
  ];
  const bad = hasErrors(diagnostics, strict);
  return {
    path,
    plan,
    text: bad ? null : canonical,
    diagnostics,
    replaces: storedText !== null,
    unchanged: storedText === canonical,
  };
}

/** A finding on the canonical text moved to the text as given: the line of the same top-level key. */
function relocate(d: Diagnostic, canonical: string, text: string, where: string): Diagnostic {
  if (d.line === null) return { ...d, path: where };
  const key = /^([A-Za-z_]+):/.exec(canonical.split('\n')[d.line - 1] ?? '')?.[1];
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const end = lines.indexOf('---', 1);
  const i = key ? lines.slice(0, end < 0 ? undefined : end).findIndex((l) => l.startsWith(`${key}:`)) : -1;
  return { ...d, path: where, line: i < 0 ? null : i + 1 };
}
