// The placeholders sase writes into a plan it drafts (the skeleton of 'sdd
// new', the draft epic a legend's approval makes): a phase to be named, an
// epic slug to be chosen, sections that say TODO. A plan that still holds
// one is a draft to be written, not a plan to carry out: validation reports
// each (code 'placeholder', a warning) and approval refuses the plan.
import { type Diagnostic, diag } from './diagnostics.ts';
import type { PlanTier } from './paths.ts';

/** The phase a new epic's skeleton has. */
export const PLACEHOLDER_PHASE = { id: 'first-phase', title: 'Name the first phase' } as const;
/** The epic a new legend names when none was given. */
export const PLACEHOLDER_EPIC = 'first-epic';
/** The text of a skeleton section still to be written. */
export const PLACEHOLDER_TEXT = 'TODO';
/** How the phase of a draft epic a legend made begins. */
export const DRAFT_PHASE_PREFIX = 'Write the phases of ';

/** Where a placeholder sits: the line of a front matter key, and the first line of the body. */
export interface PlaceholderLines {
  key(name: string): number | null;
  bodyStart: number;
}

/** One finding for each placeholder a plan still holds. */
export function placeholderFindings(
  where: string,
  tier: PlanTier,
  parts: { phases: ReadonlyArray<{ id: string; title: string }>; epics: readonly string[]; body: string },
  lines: PlaceholderLines,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const found = (line: number | null, message: string) =>
    out.push(diag('placeholder', where, line, message, 'warning'));
  if (tier === 'epic')
    for (const p of parts.phases)
      if (p.title === PLACEHOLDER_PHASE.title || p.title.startsWith(DRAFT_PHASE_PREFIX))
        found(lines.key('phases'), `phase '${p.id}' is a placeholder ('${p.title}'): write the real phases`);
  if (tier === 'legend' && parts.epics.includes(PLACEHOLDER_EPIC))
    found(lines.key('epics'), `epic '${PLACEHOLDER_EPIC}' is a placeholder: name the epics the legend coordinates`);
  let section = 'the body';
  parts.body.split('\n').forEach((l, i) => {
    const heading = /^#+\s+(.*)$/.exec(l);
    if (heading) section = `section '${heading[1]!.trim()}'`;
    else if (l.trim() === PLACEHOLDER_TEXT) found(lines.bodyStart + i, `${section} still says ${PLACEHOLDER_TEXT}`);
  });
  return out;
}
