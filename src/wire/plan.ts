// The JSON forms of plans, prompts and validation diagnostics on pipes
// (version 1), built field by field from the parsed records.
import type { Diagnostic } from '../core/sdd/diagnostics.ts';
import type { Plan, PromptArtifact } from '../core/sdd/plan.ts';

export interface PlanWireExtra {
  /** when the plan was last stored (the operation's time) */
  updated_at?: string | null;
}

export function planToWire(path: string, p: Plan, extra: PlanWireExtra = {}): Record<string, unknown> {
  return {
    v: 1,
    kind: 'plan',
    id: path,
    path,
    slug: p.slug,
    tier: p.tier,
    title: p.title,
    goal: p.goal,
    status: p.status,
    bead: p.bead,
    prompt: p.prompt,
    model: p.model,
    size: p.size,
    phases:
      p.tier === 'epic'
        ? p.phases.map((ph) => ({
            id: ph.id,
            title: ph.title,
            size: ph.size,
            depends_on: ph.depends_on,
            description: ph.description,
            model: ph.model,
            scope: ph.scope,
          }))
        : null,
    epics: p.tier === 'legend' ? p.epics : null,
    created_at: p.created_at,
    updated_at: extra.updated_at ?? null,
    body: p.body,
  };
}

export function promptToWire(
  path: string,
  slug: string,
  p: PromptArtifact,
  extra: PlanWireExtra = {},
): Record<string, unknown> {
  return {
    v: 1,
    kind: 'prompt',
    id: path,
    path,
    slug,
    plan: p.plan,
    created_at: p.created_at,
    updated_at: extra.updated_at ?? null,
    body: p.body,
  };
}

/**
 * A stored plan or prompt that no longer parses: listed rather than hidden,
 * with status "invalid", what its path says, and why.
 */
export function invalidToWire(
  path: string,
  kind: 'plan' | 'prompt',
  tier: string | null,
  slug: string,
  diagnostics: Diagnostic[],
  extra: PlanWireExtra = {},
): Record<string, unknown> {
  const base =
    kind === 'plan'
      ? {
          v: 1,
          kind,
          id: path,
          path,
          slug,
          tier,
          title: null,
          goal: null,
          status: 'invalid',
          bead: null,
          prompt: null,
          model: null,
          size: null,
          phases: null,
          epics: null,
          created_at: null,
        }
      : { v: 1, kind, id: path, path, slug, plan: null, created_at: null, status: 'invalid' };
  return { ...base, updated_at: extra.updated_at ?? null, body: null, diagnostics: diagnostics.map(diagnosticToWire) };
}

export function diagnosticToWire(d: Diagnostic): Record<string, unknown> {
  return {
    v: 1,
    kind: 'diagnostic',
    code: d.code,
    severity: d.severity,
    path: d.path,
    line: d.line,
    message: d.message,
  };
}
