// The fzf package's matchers, as its own types would say if their re-export
// resolved under NodeNext (its main.d.ts re-exports './matchers' without an
// extension, which NodeNext does not follow).
import 'fzf';

declare module 'fzf' {
  export function extendedMatch<U>(
    this: unknown,
    query: string,
  ): Array<{ item: U; positions: Set<number>; score: number }>;
  export function basicMatch<U>(
    this: unknown,
    query: string,
  ): Array<{ item: U; positions: Set<number>; score: number }>;
}
