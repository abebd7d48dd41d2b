// Storing a plan's text handed in by a person or an agent (`sdd put`, `sdd
// edit`) and saying what happened: the findings, the managed fields a text
// tried to set, the plan's record.

import type { Diagnostic } from '../core/sdd/diagnostics.ts';
import type { Plan } from '../core/sdd/plan.ts';
import { type PutResult, putPlan } from '../store/sdd.ts';
import { planToWire } from '../wire/plan.ts';
import type { Ctx } from './context.ts';
import { isoNow } from './context.ts';
import { warn } from './io.ts';
import { printWrittenPlans, reportDiagnostics } from './sdd-view.ts';

/** `putPlan` at this command's time. */
export async function putPlanText(
  ctx: Ctx,
  text: string,
  where: string,
  strict: boolean,
  base?: { path: string; text: string },
): Promise<PutResult> {
  return putPlan(await ctx.store(), text, where, { strict, at: isoNow(ctx), base });
}

const MANAGED: Array<[keyof Plan, string]> = [
  ['status', "change it with 'sase sdd status'"],
  ['bead', "'sase sdd approve' sets it"],
  ['created_at', 'it is set when the plan is first stored'],
];

/** Managed fields the text sets to something else than what was kept: said, so an edit is not silently lost. */
function managedWarnings(ctx: Ctx, text: string, plan: Plan): void {
  const head = /^\ufeff?---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)/.exec(text)?.[1] ?? '';
  for (const [key, how] of MANAGED) {
    const m = new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(head);
    if (!m) continue;
    const given = m[1]!.replace(/^(['"])(.*)\1$/, '$2');
    const kept = plan[key] === null ? 'null' : String(plan[key]);
    if (given !== kept && !(given === '' && kept === 'null') && !(given === '~' && kept === 'null')) {
      warn(
        ctx,
        `'${key}' is managed by sase: kept ${plan[key] === null ? 'null' : `'${kept}'`}, not '${given}' (${how})`,
      );
    }
  }
}

/**
 * Says what a put did: the warnings of a stored plan and its record, or that
 * nothing changed. Returns the diagnostics that refused it (empty when stored).
 */
export function reportPut(ctx: Ctx, text: string, r: PutResult): Diagnostic[] {
  const { prepared } = r;
  if (!prepared.text) return prepared.diagnostics;
  reportDiagnostics(ctx, prepared.diagnostics);
  managedWarnings(ctx, text, prepared.plan!);
  // on a terminal the line says it is unchanged; on a pipe a note does
  if (!r.stored && ctx.format !== 'text')
    ctx.stderr.write(`plan '${prepared.plan!.slug}' is unchanged (${prepared.path}); nothing stored\n`);
  printWrittenPlans(
    ctx,
    [planToWire(prepared.path, prepared.plan!, { updated_at: r.stored ? r.at : null })],
    r.stored ? 'stored' : 'unchanged',
  );
  return [];
}

/** '2 errors, 1 warning' */
export function countFindings(list: Diagnostic[]): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  return [errors ? n(errors, 'error') : '', warnings ? n(warnings, 'warning') : ''].filter(Boolean).join(', ');
}
