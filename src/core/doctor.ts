// What sase doctor reports: one check of the setup a record (a program, the
// repository, the configuration, a provider, the state). Pure: the checking
// is app/doctor's.

/** One check and how it went. */
export interface Check {
  id: string;
  what: string;
  ok: boolean;
  /** sase cannot work without it: a failed needed check makes doctor exit 1 */
  needed: boolean;
  detail: string;
  /** the program's version, when the check is about a program */
  version: string | null;
  /** the program's path, or the folder the check is about */
  path: string | null;
}
