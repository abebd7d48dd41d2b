// Approving a plan: its beads and its new status in one commit (or, for a
// plan approved before, nothing: the beads it has are reported).
import { mintId } from '../core/beads/ids.ts';
import type { Bead } from '../core/beads/model.ts';
import type { Diagnostic } from '../core/sdd/diagnostics.ts';
import { hasErrors } from '../core/sdd/diagnostics.ts';
import { planBeads, readPlan } from '../core/sdd/ops.ts';
import { type Plan, parsePlan } from '../core/sdd/plan.ts';
import { validateStore } from '../core/sdd/validate.ts';
import { commitSdd, sddReader } from './sdd.ts';
import type { Store } from './store.ts';

export interface Approval {
  diagnostics: Diagnostic[];
  /** approved before this call */
  already: boolean;
  commit: string | null;
  plan: Plan | null;
  /** the top bead, then an epic's phases in order */
  beads: Bead[];
}

/** Approves the plan at `path`; refused (diagnostics returned, nothing written) when it does not validate. */
export async function approvePlan(
  store: Store,
  path: string,
  env: { at: string; random(n: number): Promise<Uint8Array> /** the id prefix of new beads */; prefix: string },
): Promise<Approval> {
  const { prefix } = env;
  const ident = await store.ident();
  const { result, commit } = await commitSdd(store, async (reader) => {
    const text = await reader.readFile(path);
    if (text === null) return { op: null, result: { diagnostics: [] as Diagnostic[], already: false, gone: true } };
    if (parsePlan(text, path).plan?.bead)
      return { op: null, result: { diagnostics: [] as Diagnostic[], already: true, gone: false } };
    // a placeholder is a warning while the plan is written, and an error to approval: it is no plan to carry out
    const diagnostics = (await validateStore(reader, [{ path, text }], new Set([path]))).map((d) =>
      d.code === 'placeholder' ? { ...d, severity: 'error' as const } : d,
    );
    if (hasErrors(diagnostics)) return { op: null, result: { diagnostics, already: false, gone: false } };
    let id: string;
    do id = mintId(prefix, await env.random(8));
    while (await reader.get(id));
    return {
      op: { op: 'sdd.approve', path, bead: id, at: env.at, actor: ident.email },
      result: { diagnostics, already: false, gone: false },
    };
  });
  if (result.gone) return { diagnostics: [], already: false, commit: null, plan: null, beads: [] };
  if (hasErrors(result.diagnostics))
    return { diagnostics: result.diagnostics, already: false, commit: null, plan: null, beads: [] };
  const reader = sddReader(store, await store.snapshot());
  const plan = await readPlan(reader, path);
  const { bead, phases } = plan ? await planBeads(reader, plan) : { bead: null, phases: [] };
  return {
    diagnostics: result.diagnostics,
    already: result.already,
    commit,
    plan,
    beads: [bead, ...phases].filter((b): b is Bead => b !== null),
  };
}
