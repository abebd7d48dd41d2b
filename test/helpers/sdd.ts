// Plans for tests: text builders and a stored-file reader.
import type { TestRepo } from './gitdir.ts';

export interface PhaseSpec {
  id: string;
  title?: string;
  size?: string;
  depends_on?: string[];
}

/** An epic plan's text with the given phases. */
export function epicText(title: string, phases: PhaseSpec[], extra = ''): string {
  const lines = ['---', 'tier: epic', `title: ${title}`, `goal: ${title} works`, ...(extra ? [extra] : []), 'phases:'];
  for (const p of phases) {
    lines.push(
      `  - id: ${p.id}`,
      `    title: ${p.title ?? `Phase ${p.id}`}`,
      `    size: ${p.size ?? 'small'}`,
      `    depends_on: [${(p.depends_on ?? []).join(', ')}]`,
    );
  }
  lines.push('---', '## Context', '', `Why ${title}.`, '');
  return lines.join('\n');
}

/** A tale plan's text. */
export function taleText(title: string, extra = ''): string {
  return [
    '---',
    'tier: tale',
    `title: ${title}`,
    `goal: ${title} is done`,
    'size: small',
    ...(extra ? [extra] : []),
    '---',
    '## Context',
    '',
    'Because.',
    '',
  ].join('\n');
}

/**
 * Twelve phases in a diamond of diamonds:
 *   a -> b1,b2,b3 -> c -> d1,d2 -> e -> f1,f2,f3 -> g ; h depends on a only
 */
export const DIAMOND: PhaseSpec[] = [
  { id: 'a' },
  { id: 'b1', depends_on: ['a'] },
  { id: 'b2', depends_on: ['a'] },
  { id: 'b3', depends_on: ['a'] },
  { id: 'c', depends_on: ['b1', 'b2', 'b3'] },
  { id: 'd1', depends_on: ['c'] },
  { id: 'd2', depends_on: ['c'] },
  { id: 'e', depends_on: ['d1', 'd2'] },
  { id: 'f1', depends_on: ['e'] },
  { id: 'f2', depends_on: ['e'] },
  { id: 'g', depends_on: ['f1', 'f2'] },
  { id: 'h' },
];

/** A file of the state ref, or null. */
export function stored(repo: TestRepo, path: string): string | null {
  if (!repo.git('ls-tree', 'refs/sase/state', path).trim()) return null;
  return repo.git('show', `refs/sase/state:${path}`);
}

/**
 * Options of sase-sdd-new for a plan written past its skeleton, so it holds
 * no placeholder and can be approved: a body without TODO sections and, for
 * an epic, a named phase.
 */
export function writtenPlanArgs(repo: TestRepo, tier: string, phases = ['First phase']): string[] {
  repo.write('.written-body.md', '## Context\n\nWhy it matters.\n\n## Approach\n\nHow it is done.\n');
  return ['--body-file', '.written-body.md', ...(tier === 'epic' ? ['--phase', phases.join(',')] : [])];
}
