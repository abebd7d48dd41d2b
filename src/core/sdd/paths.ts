// Where plans live and what they are called: tiers, statuses, slugs and
// paths in the state ref. No parsing here, so bead commands can tell a plan
// path from another without loading the YAML parser.

export const PLAN_TIERS = ['tale', 'epic', 'legend'] as const;
export const PLAN_STATUSES = ['draft', 'approved', 'in_progress', 'done', 'abandoned'] as const;
/** the directories of `sdd list --tier` (and the seed's `--kind`) */
export const TIER_DIRS = ['tales', 'epics', 'legends', 'prompts'] as const;

export type PlanTier = (typeof PLAN_TIERS)[number];
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type TierDir = (typeof TIER_DIRS)[number];

export const SDD_DIR = 'sdd';
/** A plan or prompt larger than this is refused before it is parsed. */
export const MAX_PLAN_BYTES = 1 << 20;
export const MAX_SLUG = 80;

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isValidSlug(slug: string): boolean {
  return slug.length <= MAX_SLUG && SLUG_RE.test(slug);
}

/** The title in lower case, every run of characters other than letters and digits one '-'. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD') // 'Café' -> 'Cafe' + a combining accent, dropped next
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
}

export function tierDir(tier: PlanTier): TierDir {
  return `${tier}s` as TierDir;
}

export function planPath(tier: PlanTier, slug: string): string {
  return `${SDD_DIR}/${tierDir(tier)}/${slug}.md`;
}

export function promptPath(slug: string): string {
  return `${SDD_DIR}/prompts/${slug}.md`;
}

/** What a stored path holds: a plan of a tier, or a prompt; null for anything else. */
export function parseSddPath(path: string): { dir: TierDir; slug: string } | null {
  const m = /^sdd\/(tales|epics|legends|prompts)\/([^/]+)\.md$/.exec(path);
  return m && isValidSlug(m[2]!) ? { dir: m[1] as TierDir, slug: m[2]! } : null;
}

export function tierOfDir(dir: TierDir): PlanTier | null {
  return dir === 'prompts' ? null : (dir.slice(0, -1) as PlanTier);
}

/** The order of `sdd list`: tier (tales, epics, legends, prompts), then slug. */
export function sddOrder(a: { dir: TierDir; slug: string }, b: { dir: TierDir; slug: string }): number {
  const t = TIER_DIRS.indexOf(a.dir) - TIER_DIRS.indexOf(b.dir);
  return t || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}
