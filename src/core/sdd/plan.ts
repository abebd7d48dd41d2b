// SDD plans: tales, epics and legends as Markdown with YAML front matter, and
// the prompt artifacts beside them. This module owns the record: its paths,
// slugs, parsing (with diagnostics instead of exceptions, so one pass reports
// every problem) and the canonical text. Pure: no I/O.
import { dump as yamlDump } from 'js-yaml';
import { SIZES, type Size } from '../beads/model.ts';
import { frontMatter } from '../front-matter.ts';
import { type Diagnostic, diag } from './diagnostics.ts';
import {
  isValidSlug,
  MAX_PLAN_BYTES,
  MAX_SLUG,
  PLAN_STATUSES,
  PLAN_TIERS,
  type PlanStatus,
  type PlanTier,
  slugify,
} from './paths.ts';

export interface Phase {
  id: string;
  title: string;
  size: Size;
  depends_on: string[];
  description: string | null;
  model: string | null;
  scope: string[];
}

export interface Plan {
  tier: PlanTier;
  title: string;
  goal: string;
  slug: string;
  status: PlanStatus;
  created_at: string | null;
  prompt: string | null;
  bead: string | null;
  model: string | null;
  /** tales only */
  size: Size | null;
  /** epics only */
  phases: Phase[];
  /** legends only: slugs of the epics it coordinates */
  epics: string[];
  body: string;
}

export interface PromptArtifact {
  plan: string | null;
  created_at: string | null;
  body: string;
}

// ---- front matter ---------------------------------------------------------

const COMMON_KEYS = ['tier', 'title', 'goal', 'slug', 'status', 'created_at', 'prompt', 'bead', 'model'];
const TIER_KEYS: Record<PlanTier, string[]> = { tale: ['size'], epic: ['phases'], legend: ['epics'] };
const PHASE_KEYS = ['id', 'title', 'size', 'depends_on', 'description', 'model', 'scope'];
const PROMPT_KEYS = ['kind', 'plan', 'created_at'];

interface Split {
  attrs: Record<string, unknown> | null;
  body: string;
  /** the front matter's YAML text, for finding a key's line */
  yaml: string;
  /** the line of the closing --- */
  endLine: number;
}

/** Splits front matter from body; problems are diagnostics, never exceptions. */
function splitFrontMatter(text: string, path: string, out: Diagnostic[]): Split | null {
  const src = text.replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
  if (!/^---[ \t]*\n/.test(src)) {
    out.push(
      diag('frontmatter-missing', path, 1, 'the file must start with a YAML front matter block between --- lines'),
    );
    return null;
  }
  if (!/\n(---|\.\.\.)[ \t]*(\n|$)/.test(src.slice(3))) {
    out.push(diag('frontmatter-unclosed', path, 1, 'the front matter is not closed by a --- line'));
    return null;
  }
  let parsed: { attributes: unknown; body: string; bodyBegin: number; frontmatter?: string };
  try {
    parsed = frontMatter(src);
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string; message?: string };
    const line = typeof e.mark?.line === 'number' ? e.mark.line + 2 : 1;
    out.push(
      diag(
        'yaml-invalid',
        path,
        line,
        `the front matter is not valid YAML: ${String(e.reason ?? e.message ?? err).split('\n')[0]}`,
      ),
    );
    return null;
  }
  // an empty block parses as {}: report it as what it is, not as every field missing
  const attrs = (parsed.frontmatter ?? '').trim() === '' ? null : parsed.attributes;
  if (
    attrs === undefined ||
    attrs === null ||
    typeof attrs !== 'object' ||
    Array.isArray(attrs) ||
    attrs instanceof Date
  ) {
    const what = Array.isArray(attrs)
      ? 'a list'
      : attrs === undefined || attrs === null
        ? 'empty'
        : `a ${typeof attrs}`;
    out.push(
      diag('frontmatter-not-mapping', path, 2, `the front matter is ${what}; expected a mapping of keys to values`),
    );
    return null;
  }
  return {
    attrs: attrs as Record<string, unknown>,
    body: parsed.body,
    yaml: parsed.frontmatter ?? '',
    endLine: (parsed.frontmatter ?? '').split('\n').length + 2,
  };
}

/** The line of a top-level key in the file (front matter starts on line 2). */
function keyLine(yaml: string, key: string): number | null {
  const i = yaml
    .split('\n')
    .findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`) || l.startsWith(`'${key}':`));
  return i < 0 ? null : i + 2;
}

/** The line of the n-th item of a top-level list (`phases:` then `- ...`). */
function itemLine(yaml: string, key: string, index: number): number | null {
  const start = keyLine(yaml, key);
  if (start === null) return null;
  const lines = yaml.split('\n');
  let indent = -1;
  let n = -1;
  for (let i = start - 1; i < lines.length; i++) {
    const m = /^(\s*)- /.exec(lines[i]!);
    if (!m && /^\S/.test(lines[i]!)) break; // the next top-level key
    if (m && (indent < 0 || m[1]!.length === indent)) {
      indent = m[1]!.length;
      if (++n === index) return i + 2;
    }
  }
  return start;
}

/** YAML turns unquoted timestamps into Dates; sase keeps ISO 8601 UTC text. */
function isoText(v: unknown): unknown {
  return v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().replace(/\.000Z$/, 'Z') : v;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface FieldChecker {
  path: string;
  out: Diagnostic[];
  line: (key: string) => number | null;
}

/** 'title' quoted; "phase 'b' title" as it is. */
function q(where: string): string {
  return where.includes(' ') ? where : `'${where}'`;
}

function typeName(v: unknown): string {
  return v === null
    ? 'null'
    : v instanceof Date
      ? 'a date (quote it to keep it as text)'
      : Array.isArray(v)
        ? 'a list'
        : typeof v === 'object'
          ? 'a mapping'
          : `a ${typeof v}`;
}

/** A required, non-empty one-line string; null when missing or wrong. */
function requiredText(c: FieldChecker, where: string, v: unknown, line: number | null): string | null {
  if (v === undefined || v === null) {
    c.out.push(diag('required-missing', c.path, line, `${q(where)} is required`));
    return null;
  }
  if (typeof v !== 'string' && typeof v !== 'number') {
    c.out.push(diag('type-mismatch', c.path, line, `${q(where)} must be text, not ${typeName(v)}`));
    return null;
  }
  const s = String(v);
  if (s.trim() === '') {
    c.out.push(diag('value-empty', c.path, line, `${q(where)} must not be empty`));
    return null;
  }
  if (/[\u0000-\u001f\u007f]/.test(s) && where !== 'goal' && !where.endsWith('description')) {
    c.out.push(diag('type-mismatch', c.path, line, `${q(where)} must be one line without control characters`));
    return null;
  }
  return s;
}

/** An optional string (null when absent). */
function optionalText(c: FieldChecker, where: string, v: unknown, line: number | null): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' && typeof v !== 'number') {
    c.out.push(diag('type-mismatch', c.path, line, `${q(where)} must be text or null, not ${typeName(v)}`));
    return null;
  }
  return String(v);
}

function sizeOf(c: FieldChecker, where: string, v: unknown, line: number | null, required: boolean): Size | null {
  if (v === undefined || v === null) {
    if (required)
      c.out.push(diag('required-missing', c.path, line, `${q(where)} is required (one of ${SIZES.join(', ')})`));
    return null;
  }
  if (!SIZES.includes(v as Size)) {
    c.out.push(
      diag('size-invalid', c.path, line, `${q(where)} is ${JSON.stringify(v)}; expected one of ${SIZES.join(', ')}`),
    );
    return null;
  }
  return v as Size;
}

function stringList(c: FieldChecker, where: string, v: unknown, line: number | null): string[] | null {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    c.out.push(diag('type-mismatch', c.path, line, `${q(where)} must be a list of names, not ${typeName(v)}`));
    return null;
  }
  return v.map(String);
}

function checkPhases(c: FieldChecker, yaml: string, raw: unknown): Phase[] {
  const line = c.line('phases');
  if (raw === undefined || raw === null) {
    c.out.push(diag('required-missing', c.path, line, "an epic needs 'phases', a list of phases"));
    return [];
  }
  if (!Array.isArray(raw)) {
    c.out.push(diag('type-mismatch', c.path, line, `'phases' must be a list, not ${typeName(raw)}`));
    return [];
  }
  if (raw.length === 0) {
    c.out.push(diag('phases-empty', c.path, line, 'an epic needs at least one phase'));
    return [];
  }
  const phases: Phase[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item, i) => {
    const at = itemLine(yaml, 'phases', i);
    const label = `phases[${i + 1}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      c.out.push(diag('type-mismatch', c.path, at, `${label} must be a mapping with id, title, size and depends_on`));
      return;
    }
    const p = item as Record<string, unknown>;
    for (const k of Object.keys(p)) {
      if (!PHASE_KEYS.includes(k))
        c.out.push(
          diag('unknown-key', c.path, at, `${label} has an unknown key '${k}' (known: ${PHASE_KEYS.join(', ')})`),
        );
    }
    const rawId = p.id === undefined || p.id === null ? null : String(p.id);
    const name = rawId ? `phase '${rawId}'` : label;
    if (rawId === null) c.out.push(diag('required-missing', c.path, at, `${label} needs an 'id'`));
    else if (!isValidSlug(rawId))
      c.out.push(
        diag(
          'phase-id-invalid',
          c.path,
          at,
          `${label} id '${rawId}' is not a slug (lower-case letters and digits joined by single '-')`,
        ),
      );
    else if (seen.has(rawId))
      c.out.push(
        diag('phase-id-duplicate', c.path, at, `${label} repeats the id '${rawId}' of phases[${seen.get(rawId)! + 1}]`),
      );
    const title = requiredText(c, `${name} title`, p.title, at);
    const size = sizeOf(c, `${name} size`, p.size, at, true);
    const deps = stringList(c, `${name} depends_on`, p.depends_on, at) ?? [];
    const seenDeps = new Set<string>();
    for (const d of deps) {
      if (d === rawId) c.out.push(diag('dep-self', c.path, at, `${name} depends on itself`));
      else if (seenDeps.has(d))
        c.out.push(diag('dep-duplicate', c.path, at, `${name} names '${d}' twice in depends_on`));
      else if (!seen.has(d)) {
        const later = raw.some(
          (q, j) => j > i && q && typeof q === 'object' && String((q as Record<string, unknown>).id) === d,
        );
        if (later)
          c.out.push(
            diag(
              'dep-forward',
              c.path,
              at,
              `${name} depends on '${d}', a later phase; a phase may depend on earlier phases only`,
            ),
          );
        else c.out.push(diag('dep-unknown', c.path, at, `${name} depends on '${d}', which is no phase of this epic`));
      }
      seenDeps.add(d);
    }
    const description = optionalText(c, `${name} description`, p.description, at);
    const model = optionalText(c, `${name} model`, p.model, at);
    const scope = stringList(c, `${name} scope`, p.scope, at) ?? [];
    if (rawId !== null && !seen.has(rawId)) seen.set(rawId, i);
    if (rawId && title && size) phases.push({ id: rawId, title, size, depends_on: deps, description, model, scope });
  });
  return phases;
}

/** Whether a plan's or prompt's text is over the size limit (said in `out`). */
function tooLarge(text: string, where: string, what: 'plan' | 'prompt', out: Diagnostic[]): boolean {
  const size = Buffer.byteLength(text);
  if (size <= MAX_PLAN_BYTES) return false;
  out.push(diag('too-large', where, null, `the ${what} is ${size} bytes; at most ${MAX_PLAN_BYTES} are accepted`));
  return true;
}

/**
 * Parses a plan's text. Returns the plan when it has no errors, and every
 * diagnostic found; `where` names the file in messages.
 */
export function parsePlan(text: string, where: string): { plan: Plan | null; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  if (tooLarge(text, where, 'plan', out)) return { plan: null, diagnostics: out };
  const split = splitFrontMatter(text, where, out);
  if (!split) return { plan: null, diagnostics: out };
  const a = split.attrs!;
  const c: FieldChecker = { path: where, out, line: (k) => keyLine(split.yaml, k) };
  let tier: PlanTier | null = null;
  if (a.tier === undefined || a.tier === null)
    out.push(diag('required-missing', where, c.line('tier'), `'tier' is required (one of ${PLAN_TIERS.join(', ')})`));
  else if (!PLAN_TIERS.includes(a.tier as PlanTier))
    out.push(
      diag(
        'tier-invalid',
        where,
        c.line('tier'),
        `tier ${JSON.stringify(a.tier)} is not one of ${PLAN_TIERS.join(', ')}`,
      ),
    );
  else tier = a.tier as PlanTier;
  const known = [...COMMON_KEYS, ...Object.values(TIER_KEYS).flat()];
  for (const k of Object.keys(a)) {
    if (!known.includes(k))
      out.push(
        diag(
          'unknown-key',
          where,
          c.line(k),
          `unknown key '${k}' (known: ${COMMON_KEYS.join(', ')}, and size, phases or epics by tier)`,
        ),
      );
    else if (tier && !COMMON_KEYS.includes(k) && !TIER_KEYS[tier].includes(k)) {
      out.push(diag('inert-field', where, c.line(k), `'${k}' has no meaning for a ${tier}; it is ignored`, 'warning'));
    }
  }
  const title = requiredText(c, 'title', a.title, c.line('title'));
  const goal = requiredText(c, 'goal', a.goal, c.line('goal'));
  let slug: string | null = null;
  if (a.slug !== undefined && a.slug !== null) {
    const s = String(a.slug);
    if (!isValidSlug(s))
      out.push(
        diag(
          'slug-invalid',
          where,
          c.line('slug'),
          `slug '${s}' is not lower-case letters and digits joined by single '-' (at most ${MAX_SLUG} characters)`,
        ),
      );
    else slug = s;
  } else if (title) {
    slug = slugify(title);
    if (!slug)
      out.push(diag('slug-invalid', where, c.line('title'), `the title '${title}' gives an empty slug; give 'slug'`));
  }
  let status: PlanStatus = 'draft';
  if (a.status !== undefined && a.status !== null) {
    if (!PLAN_STATUSES.includes(a.status as PlanStatus))
      out.push(
        diag(
          'status-invalid',
          where,
          c.line('status'),
          `status ${JSON.stringify(a.status)} is not one of ${PLAN_STATUSES.join(', ')}`,
        ),
      );
    else status = a.status as PlanStatus;
  }
  const createdAt = isoText(a.created_at);
  if (createdAt !== undefined && createdAt !== null && (typeof createdAt !== 'string' || !ISO_RE.test(createdAt))) {
    out.push(
      diag(
        'type-mismatch',
        where,
        c.line('created_at'),
        `'created_at' must be an ISO 8601 UTC time like 2026-11-25T10:00:00Z`,
      ),
    );
  }
  const prompt = optionalText(c, 'prompt', a.prompt, c.line('prompt'));
  const bead = optionalText(c, 'bead', a.bead, c.line('bead'));
  const model = optionalText(c, 'model', a.model, c.line('model'));
  const size = tier === 'tale' ? sizeOf(c, 'size', a.size, c.line('size'), false) : null;
  const phases = tier === 'epic' ? checkPhases(c, split.yaml, a.phases) : [];
  let epics: string[] = [];
  if (tier === 'legend') {
    const list = stringList(c, 'epics', a.epics, c.line('epics'));
    if (list !== null && list.length === 0)
      out.push(
        diag('epics-empty', where, c.line('epics'), "a legend needs 'epics', the slugs of the epics it coordinates"),
      );
    for (const e of list ?? []) {
      if (!isValidSlug(e)) out.push(diag('slug-invalid', where, c.line('epics'), `epic '${e}' is not a slug`));
    }
    if (list && new Set(list).size !== list.length)
      out.push(diag('dep-duplicate', where, c.line('epics'), 'an epic is named twice in epics'));
    epics = list ?? [];
  }
  const body = split.body.replace(/^\s*\n/, '').replace(/\s+$/, '');
  if (body.trim() === '')
    out.push(diag('body-empty', where, split.endLine, 'the plan has no body after its front matter'));
  const errors = out.some((d) => d.severity === 'error');
  if (errors || !tier || !title || !goal || !slug) return { plan: null, diagnostics: out };
  return {
    plan: {
      tier,
      title,
      goal,
      slug,
      status,
      created_at: (createdAt as string) ?? null,
      prompt,
      bead,
      model,
      size,
      phases,
      epics,
      body: body + '\n',
    },
    diagnostics: out,
  };
}

/**
 * YAML for a mapping, one key at a time, so lists stay on one line
 * (`depends_on: [a, b]`) while a text of several lines is a `|` block a
 * person can edit, at any depth.
 */
function dump(attrs: Record<string, unknown>): string {
  return Object.entries(attrs)
    .map(([k, v]) => yamlDump({ [k]: v }, { lineWidth: -1, noRefs: true, flowLevel: Array.isArray(v) ? 1 : -1 }))
    .join('');
}

/** A list of mappings as block items (`- id: ...`), each mapping dumped as above. */
function dumpItems(key: string, items: Array<Record<string, unknown>>): string {
  const lines = [`${key}:`];
  for (const item of items) {
    const text = dump(item).replace(/\n$/, '').split('\n');
    for (const [i, l] of text.entries()) lines.push(`${i === 0 ? '  - ' : '    '}${l}`);
  }
  return lines.join('\n') + '\n';
}

/** The canonical text of a plan: front matter keys in a fixed order, the body ending in one newline. */
export function serializePlan(p: Plan): string {
  const attrs: Record<string, unknown> = {
    tier: p.tier,
    title: p.title,
    goal: p.goal,
    slug: p.slug,
    status: p.status,
    created_at: p.created_at,
    prompt: p.prompt,
    bead: p.bead,
    model: p.model,
  };
  if (p.tier === 'tale') attrs.size = p.size;
  if (p.tier === 'legend') attrs.epics = p.epics;
  let yaml = dump(attrs);
  if (p.tier === 'epic') {
    const phases = p.phases.map((ph) => {
      const o: Record<string, unknown> = { id: ph.id, title: ph.title, size: ph.size, depends_on: ph.depends_on };
      if (ph.description !== null) o.description = ph.description;
      if (ph.model !== null) o.model = ph.model;
      if (ph.scope.length) o.scope = ph.scope;
      return o;
    });
    yaml += phases.length ? dumpItems('phases', phases) : 'phases: []\n';
  }
  return `---\n${yaml}---\n${p.body.replace(/^\s*\n/, '').replace(/\s+$/, '')}\n`;
}

/** Parses a prompt artifact: front matter naming its plan, the prompt as the body. */
export function parsePrompt(text: string, where: string): { prompt: PromptArtifact | null; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  if (tooLarge(text, where, 'prompt', out)) return { prompt: null, diagnostics: out };
  const split = splitFrontMatter(text, where, out);
  if (!split) return { prompt: null, diagnostics: out };
  const a = split.attrs!;
  const c: FieldChecker = { path: where, out, line: (k) => keyLine(split.yaml, k) };
  for (const k of Object.keys(a))
    if (!PROMPT_KEYS.includes(k))
      out.push(diag('unknown-key', where, c.line(k), `unknown key '${k}' (known: ${PROMPT_KEYS.join(', ')})`));
  if (a.kind !== 'prompt')
    out.push(diag('type-mismatch', where, c.line('kind'), "a prompt artifact has 'kind: prompt'"));
  const plan = optionalText(c, 'plan', a.plan, c.line('plan'));
  const createdAt = isoText(a.created_at);
  if (out.some((d) => d.severity === 'error')) return { prompt: null, diagnostics: out };
  return {
    prompt: {
      plan,
      created_at: typeof createdAt === 'string' ? createdAt : null,
      body: split.body.replace(/^\s*\n/, '').replace(/\s+$/, '') + '\n',
    },
    diagnostics: out,
  };
}

export function serializePrompt(p: PromptArtifact): string {
  return `---\n${dump({ kind: 'prompt', plan: p.plan, created_at: p.created_at })}---\n${p.body.replace(/^\s*\n/, '').replace(/\s+$/, '')}\n`;
}

/** The body a new plan starts with, per tier, for the author (or agent) to fill in. */
export function skeletonBody(tier: PlanTier, goal: string): string {
  const sections: Record<PlanTier, string[]> = {
    tale: ['Context', 'Approach', 'Verification'],
    epic: ['Context', 'Approach', 'Phases', 'Verification'],
    legend: ['Context', 'Epics', 'Coordination'],
  };
  return sections[tier].map((s, i) => `## ${s}\n\n${i === 0 ? goal : 'TODO'}\n`).join('\n');
}
