// ChangeSpecs: one CL/PR-sized change as a text record, changes/<name>.cs.
// This module owns the record: its fields, the text grammar (parse with
// line-numbered errors, canonical serialisation) and the JSON form. Pure.
import { FatalError, UsageError } from '../errors.ts';
import { clMessage } from './cl.ts';

export const CHANGE_STATUSES = ['WIP', 'Draft', 'Ready', 'Mailed', 'Submitted', 'Reverted', 'Archived'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export const CHANGES_DIR = 'changes';
const NAME_RE = /^[a-z0-9_]+$/;
const MAX_NAME = 100;
/** A ChangeSpec larger than this is refused. */
export const MAX_SPEC_BYTES = 1 << 20;

export interface CommitEntry {
  n: number;
  subject: string;
  sha: string;
  bead: string | null;
}

export type DeltaOp = '+' | '~' | '-';

export interface Delta {
  op: DeltaOp;
  path: string;
  added: number;
  changed: number;
  removed: number;
}

export interface HookRun {
  /** the number of the commit in COMMITS it ran against */
  commit: number;
  at: string;
  result: 'PASSED' | 'FAILED' | 'RUNNING';
  seconds: number;
}

export interface Hook {
  /** the command as the user wrote it; a leading '!' means its failure does not block */
  command: string;
  runs: HookRun[];
}

export interface Comment {
  /** its number in COMMENTS, from 1; comments are never removed, so ids are stable */
  id: number;
  author: string;
  path: string;
  line: number | null;
  text: string;
  resolved: boolean;
}

export interface Mentor {
  /** the entry as written: '(1) security[1/1]' */
  entry: string;
  /** drawer lines as written */
  runs: string[];
}

export interface TimestampEntry {
  at: string;
  event: string;
}

export interface ChangeSpec {
  name: string;
  description: string;
  parent: string | null;
  cl: string | null;
  status: ChangeStatus;
  commits: CommitEntry[];
  deltas: Delta[];
  hooks: Hook[];
  comments: Comment[];
  mentors: Mentor[];
  timestamps: TimestampEntry[];
}

export function isValidChangeName(name: string): boolean {
  return name.length <= MAX_NAME && NAME_RE.test(name);
}

export function checkChangeName(name: string): string {
  if (!isValidChangeName(name))
    throw new UsageError(
      `change name '${name}' is not lower-case letters, digits and '_' (at most ${MAX_NAME} characters)`,
    );
  return name;
}

export function changePath(name: string): string {
  return `${CHANGES_DIR}/${checkChangeName(name)}.cs`;
}

/** Where a hook run's output is kept, beside the change. */
export function hookLogPath(name: string, hook: number, commit: number): string {
  return `${CHANGES_DIR}/${checkChangeName(name)}/hooks/${hook}-${commit}.log`;
}

export function nameFromPath(path: string): string | null {
  const m = /^changes\/([a-z0-9_]+)\.cs$/.exec(path);
  return m && isValidChangeName(m[1]!) ? m[1]! : null;
}

/** The branch that holds a change's commits. */
export function changeBranch(name: string): string {
  return `sase/cs/${checkChangeName(name)}`;
}

// ---- durations ---------------------------------------------------------------

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${r}s`;
}

/** '12s', '2m15s', '1h0m3s' (a unit after a larger one stays under 60); null otherwise. */
function parseDuration(text: string): number | null {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(\d+)s$/.exec(text);
  if (!m) return null;
  const [h, min, sec] = [m[1], m[2], m[3]].map((x) => (x === undefined ? undefined : Number(x)));
  if (min !== undefined && h !== undefined && min >= 60) return null;
  if (sec! >= 60 && (min !== undefined || h !== undefined)) return null;
  return (h ?? 0) * 3600 + (min ?? 0) * 60 + sec!;
}

// ---- text -----------------------------------------------------------------

const FIELDS = [
  'NAME',
  'DESCRIPTION',
  'PARENT',
  'CL',
  'STATUS',
  'COMMITS',
  'DELTAS',
  'HOOKS',
  'COMMENTS',
  'MENTORS',
  'TIMESTAMPS',
] as const;
type Field = (typeof FIELDS)[number];
const SECTIONS: Field[] = ['DESCRIPTION', 'COMMITS', 'DELTAS', 'HOOKS', 'COMMENTS', 'MENTORS', 'TIMESTAMPS'];
const TS = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z';
const UNRESOLVED = ' - (!: unresolved)';

interface Entry {
  line: number;
  text: string;
  drawers: Array<{ line: number; text: string }>;
}

/**
 * Parses ChangeSpec text. `where` names it in errors:
 * `fatal: changes/x.cs:12: <what>`.
 */
export function parseChangeSpec(text: string, where: string): ChangeSpec {
  if (Buffer.byteLength(text) > MAX_SPEC_BYTES) throw new FatalError(`${where}: larger than ${MAX_SPEC_BYTES} bytes`);
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const fail = (n: number, what: string): never => {
    throw new FatalError(`${where}:${n}: ${what}`);
  };
  const bad = lines.findIndex((l) => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(l));
  if (bad >= 0) fail(bad + 1, 'control characters are not allowed');
  const values = new Map<Field, { line: number; value: string }>();
  const sections = new Map<Field, { line: number; body: Array<{ line: number; text: string }> }>();
  let order = -1;
  let current: Field | null = null;
  // where a missing STATUS should have been: the first field after it
  let afterStatus: { line: number; field: Field } | null = null;
  lines.forEach((raw, i) => {
    const n = i + 1;
    const bare = /^([A-Z]+)(:?)(.*)$/.exec(raw);
    if (bare && (FIELDS as readonly string[]).includes(bare[1]!)) {
      if (!bare[2]) fail(n, `${bare[1]} needs a ':' after it`);
      if (bare[3] !== '' && !bare[3]!.startsWith(' ')) fail(n, `a space goes between '${bare[1]}:' and its value`);
    }
    const top = /^([A-Z]+):(?: (.*))?$/.exec(raw);
    if (top && (FIELDS as readonly string[]).includes(top[1]!)) {
      const field = top[1] as Field;
      const at = FIELDS.indexOf(field);
      if (values.has(field) || sections.has(field)) fail(n, `${field} given twice`);
      if (at < order) fail(n, `${field} must come before ${FIELDS[order]}`);
      order = at;
      if (at > FIELDS.indexOf('STATUS') && !afterStatus) afterStatus = { line: n, field };
      if (SECTIONS.includes(field)) {
        if (top[2] !== undefined && top[2] !== '')
          fail(n, `${field} starts a section: its entries go on the lines below`);
        sections.set(field, { line: n, body: [] });
        current = field;
      } else {
        if (top[2] === undefined || top[2].trim() === '') fail(n, `${field} has no value`);
        values.set(field, { line: n, value: top[2]!.trim() });
        current = null;
      }
      return;
    }
    if (/^\S/.test(raw)) fail(n, `unknown field '${raw.split(':')[0]}' (expected one of ${FIELDS.join(', ')})`);
    if (current === null) {
      if (raw.trim() === '') return;
      fail(n, 'an indented line outside a section');
    }
    sections.get(current!)!.body.push({ line: n, text: raw });
  });
  const name = values.get('NAME');
  if (!name) fail(1, 'NAME is missing');
  if (!isValidChangeName(name!.value))
    fail(name!.line, `NAME '${name!.value}' is not lower-case letters, digits and '_'`);
  const status = values.get('STATUS');
  const after = afterStatus as { line: number; field: Field } | null; // set in the loop above
  if (!status)
    fail(
      after?.line ?? lines.length,
      after ? `STATUS is missing (it comes before ${after.field})` : 'STATUS is missing',
    );
  if (!CHANGE_STATUSES.includes(status!.value as ChangeStatus))
    fail(status!.line, `STATUS '${status!.value}' is not one of ${CHANGE_STATUSES.join(', ')}`);
  const parent = values.get('PARENT');
  if (parent && !isValidChangeName(parent.value)) fail(parent.line, `PARENT '${parent.value}' is not a change name`);
  if (parent && parent.value === name!.value) fail(parent.line, 'a change cannot be its own parent');
  const cl = values.get('CL');
  const clProblem = cl ? clMessage('CL', cl.value) : null;
  if (clProblem) fail(cl!.line, clProblem);

  const desc = sections.get('DESCRIPTION');
  let description = '';
  if (desc) {
    for (const l of desc.body)
      if (l.text !== '' && !l.text.startsWith('  ')) fail(l.line, 'description lines are indented by two spaces');
    description = desc.body
      .map((l) => l.text.slice(2).replace(/\s+$/, ''))
      .join('\n')
      .replace(/^(?:[ \t]*\n)+/, '')
      .replace(/\s+$/, '');
  }
  const entries = (field: Field): Entry[] => {
    const sec = sections.get(field);
    if (!sec) return [];
    const out: Entry[] = [];
    for (const l of sec.body) {
      if (l.text.trim() === '') continue;
      if (l.text.startsWith('      | ') || l.text === '      |') {
        const last = out[out.length - 1];
        if (!last) fail(l.line, `a drawer line before any ${field} entry`);
        // an editor may strip the blank after an empty drawer line's '|'
        last!.drawers.push({ line: l.line, text: l.text.slice(8) });
      } else if (/^ {2}\S/.test(l.text)) out.push({ line: l.line, text: l.text.slice(2), drawers: [] });
      else fail(l.line, `${field} entries are indented by two spaces, their drawer lines by six and '| '`);
    }
    return out;
  };

  const commits = entries('COMMITS').map((e, i): CommitEntry => {
    const m = /^\((\d+)\) (.+)$/.exec(e.text);
    if (!m) fail(e.line, "a commit is '(<n>) <subject>'");
    if (Number(m![1]) !== i + 1) fail(e.line, `commit (${m![1]}) is out of order; expected (${i + 1})`);
    let sha: string | null = null;
    let bead: string | null = null;
    for (const d of e.drawers) {
      const kv = /^(SHA|BEAD): (\S+)$/.exec(d.text);
      if (!kv) fail(d.line, "a commit's drawer lines are '| SHA: <sha>' and '| BEAD: <id>'");
      if (kv![1] === 'SHA') {
        if (sha !== null) fail(d.line, `commit (${i + 1}) has two SHA lines`);
        if (!/^[0-9a-f]{7,64}$/.test(kv![2]!)) fail(d.line, `'${kv![2]}' is not a commit id`);
        sha = kv![2]!;
      } else {
        if (bead !== null) fail(d.line, `commit (${i + 1}) has two BEAD lines`);
        bead = kv![2]!;
      }
    }
    if (!sha) fail(e.line, `commit (${i + 1}) has no SHA`);
    return { n: i + 1, subject: m![2]!, sha: sha!, bead };
  });

  const deltas = entries('DELTAS').map((e): Delta => {
    const m = /^([+~-]) (.+)$/.exec(e.text);
    if (!m) fail(e.line, "a delta is '+ <path>', '~ <path>' or '- <path>'");
    let counts: number[] = [0, 0, 0];
    if (e.drawers.length > 1) fail(e.drawers[1]!.line, `delta '${m![2]}' has more than one LINES line`);
    for (const d of e.drawers) {
      const c = /^LINES: \+(\d+) ~(\d+) -(\d+)$/.exec(d.text);
      if (!c) fail(d.line, "a delta's drawer line is '| LINES: +<added> ~<changed> -<removed>'");
      counts = [Number(c![1]), Number(c![2]), Number(c![3])];
    }
    return { op: m![1] as DeltaOp, path: m![2]!, added: counts[0]!, changed: counts[1]!, removed: counts[2]! };
  });

  const hooks = entries('HOOKS').map((e): Hook => {
    const runs = e.drawers.map((d): HookRun => {
      const m = new RegExp(`^\\((\\d+)\\) \\[(${TS})\\] (PASSED|FAILED|RUNNING)(?: \\(([0-9hms]+)\\))?$`).exec(d.text);
      if (!m) fail(d.line, "a hook run is '| (<commit>) [<time>] PASSED|FAILED|RUNNING (<duration>)'");
      // a run still going has no duration yet (one written anyway is dropped)
      const seconds = m![4] === undefined || m![3] === 'RUNNING' ? 0 : parseDuration(m![4]);
      if (seconds === null) fail(d.line, `'${m![4]}' is not a duration like 12s or 2m15s`);
      if (Number(m![1]) < 1) fail(d.line, 'commits are numbered from (1)');
      return { commit: Number(m![1]), at: m![2]!, result: m![3] as HookRun['result'], seconds: seconds! };
    });
    return { command: e.text, runs };
  });

  const comments = entries('COMMENTS').map((e, i): Comment => {
    const resolved = !e.text.endsWith(UNRESOLVED);
    const body = resolved ? e.text : e.text.slice(0, -UNRESOLVED.length);
    const m = /^\[([^\]]+)\] (\S+?)(?::(\d+))? (.*)$/.exec(body);
    if (!m) fail(e.line, "a comment is '[<author>] <path>[:<line>] <text>', with ' - (!: unresolved)' while open");
    const more = e.drawers.map((d) => d.text);
    return {
      id: i + 1,
      author: m![1]!,
      path: m![2]!,
      line: m![3] === undefined ? null : Number(m![3]),
      text: [m![4]!, ...more].join('\n'),
      resolved,
    };
  });

  const mentors = entries('MENTORS').map((e): Mentor => ({ entry: e.text, runs: e.drawers.map((d) => d.text) }));

  const timestamps = entries('TIMESTAMPS').map((e): TimestampEntry => {
    const m = new RegExp(`^\\[(${TS})\\] (.+)$`).exec(e.text);
    if (!m) fail(e.line, "a timestamp is '[<time>] <event>'");
    if (e.drawers.length) fail(e.drawers[0]!.line, 'timestamps have no drawer lines');
    return { at: m![1]!, event: m![2]! };
  });

  return {
    name: name!.value,
    description,
    parent: parent?.value ?? null,
    cl: cl?.value ?? null,
    status: status!.value as ChangeStatus,
    commits,
    deltas,
    hooks,
    comments,
    mentors,
    timestamps,
  };
}

/** The canonical text: fields in order, empty sections left out. */
export function serializeChangeSpec(c: ChangeSpec): string {
  const out: string[] = [`NAME: ${c.name}`];
  if (c.description) {
    out.push('DESCRIPTION:');
    for (const l of c.description.split('\n')) out.push(l.trim() === '' ? '' : `  ${l.replace(/\s+$/, '')}`);
  }
  if (c.parent) out.push(`PARENT: ${c.parent}`);
  if (c.cl) out.push(`CL: ${c.cl}`);
  out.push(`STATUS: ${c.status}`);
  const section = (title: string, items: string[][]) => {
    if (items.length) out.push(`${title}:`, ...items.flat());
  };
  const drawer = (t: string) => `      | ${t}`;
  section(
    'COMMITS',
    c.commits.map((k, i) => [
      `  (${i + 1}) ${k.subject}`,
      drawer(`SHA: ${k.sha}`),
      ...(k.bead ? [drawer(`BEAD: ${k.bead}`)] : []),
    ]),
  );
  section(
    'DELTAS',
    c.deltas.map((d) => [`  ${d.op} ${d.path}`, drawer(`LINES: +${d.added} ~${d.changed} -${d.removed}`)]),
  );
  section(
    'HOOKS',
    c.hooks.map((h) => [
      `  ${h.command}`,
      ...h.runs.map((r) =>
        drawer(`(${r.commit}) [${r.at}] ${r.result}${r.result === 'RUNNING' ? '' : ` (${formatDuration(r.seconds)})`}`),
      ),
    ]),
  );
  section(
    'COMMENTS',
    c.comments.map((k) => {
      const [first, ...more] = k.text.split('\n');
      return [
        `  [${k.author}] ${k.path}${k.line === null ? '' : `:${k.line}`} ${first}${k.resolved ? '' : UNRESOLVED}`,
        ...more.map(drawer),
      ];
    }),
  );
  section(
    'MENTORS',
    c.mentors.map((m) => [`  ${m.entry}`, ...m.runs.map(drawer)]),
  );
  section(
    'TIMESTAMPS',
    c.timestamps.map((t) => [`  [${t.at}] ${t.event}`]),
  );
  return out.join('\n') + '\n';
}

/** A one-line text field of a change (subject, hook command, comment author): no newlines or control characters. */
export function checkOneLine(field: string, value: string, max = 1000): string {
  if (value.trim() === '') throw new UsageError(`${field} must not be empty`);
  if (/[\n\r\u0000-\u001f\u007f]/.test(value))
    throw new UsageError(`${field} must be one line without control characters`);
  if (value.length > max) throw new UsageError(`${field} is too long (${value.length} characters, at most ${max})`);
  return value;
}
