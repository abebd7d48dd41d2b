// What every record on a pipe carries: its kind and the version of its shape
// (`v`, bumped when a field is renamed or removed). Most carry their id too
// (`id`, or `name` for a change), which `--format id` prints.
export interface WireRecord {
  readonly v: number;
  readonly kind: string;
}

/** A record `--format id` can name: by its `id`, else its `name`. */
export interface NamedRecord extends WireRecord {
  readonly id?: string | number | null;
  readonly name?: string | null;
}
