// Validation findings: a stable code, a severity, where (path and line when
// known) and a message. Codes are part of the interface (documented in
// sase-sdd-validate(1)); messages may change.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  path: string;
  line: number | null;
  message: string;
}

export function diag(
  code: string,
  path: string,
  line: number | null,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return { code, severity, path, line, message };
}

/** Every code `sdd validate` can report, with what it means (for the man page and tests). */
export const DIAGNOSTIC_CODES: Array<[string, string]> = [
  ['frontmatter-missing', 'the file does not start with a --- front matter block'],
  ['frontmatter-unclosed', 'the front matter has no closing --- line'],
  ['yaml-invalid', 'the front matter is not valid YAML'],
  ['frontmatter-not-mapping', 'the front matter is a list, a scalar or empty, not a mapping'],
  ['too-large', 'the file is larger than 1 MiB'],
  ['unknown-key', 'a key the tier (or a phase) does not know'],
  ['inert-field', 'a key of another tier, ignored (warning)'],
  ['tier-invalid', 'tier is not tale, epic or legend'],
  [
    'tier-mismatch',
    'the file sits in the directory of another tier, its slug is taken by a plan of another tier, or an edit changes the tier',
  ],
  ['required-missing', 'a required field (tier, title, goal, phases, a phase id or size) is missing'],
  ['value-empty', 'a required text is empty'],
  ['type-mismatch', 'a field has the wrong type (a list for a text, a bad time, ...)'],
  ['status-invalid', 'status is not draft, approved, in_progress, done or abandoned'],
  [
    'slug-invalid',
    'the slug (or an epic named by a legend) is not lower-case letters and digits joined by single dashes',
  ],
  ['slug-mismatch', "the stored file's name is not its slug, or an edit changes the slug"],
  ['size-invalid', 'a size is not xsmall, small, medium, large or xlarge'],
  ['phases-empty', 'an epic with no phases'],
  ['epics-empty', 'a legend naming no epics'],
  ['phase-id-invalid', 'a phase id is not a slug'],
  ['phase-id-duplicate', 'two phases share an id'],
  ['dep-self', 'a phase depends on itself'],
  ['dep-forward', 'a phase depends on a later phase'],
  ['dep-unknown', 'a phase depends on an id that is no phase'],
  ['dep-duplicate', "a dependency (or a legend's epic) is named twice"],
  ['body-empty', 'nothing after the front matter'],
  [
    'link-broken',
    "a link names a prompt, plan, bead or epic that does not exist (a draft legend's epics may not exist yet)",
  ],
  [
    'link-one-way',
    "a link whose target does not link back (plan and prompt, plan and bead, both ways; a legend's epic whose bead is not a child of the legend's, or an epic under a legend that does not name it)",
  ],
  ['link-not-epic', 'a legend names an epic whose slug is a tale or a legend'],
  ['bead-missing', 'an approved plan has no bead'],
  ['phase-beads-mismatch', "an approved epic's phase beads no longer match its phases"],
  [
    'placeholder',
    "a placeholder sase drafted is still there: the skeleton's phase ('Name the first phase') or a draft epic's ('Write the phases of ...'), a legend's 'first-epic', a section that says TODO (warning; sase sdd approve refuses the plan)",
  ],
];

export function hasErrors(list: Diagnostic[], strict = false): boolean {
  return list.some((d) => d.severity === 'error' || strict);
}
