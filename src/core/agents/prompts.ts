// The prompts sase writes around a user's prompt (a retry's, a follow-up's on
// a change, a mentor's), and what it reads back from an agent's transcript:
// its session id, its token usage, a mentor's comments. Pure.
import type { ChangeSpec } from '../changes/spec.ts';

/** How much of a failed attempt's output a retry's prompt quotes. */
export const RETRY_TAIL_BYTES = 4096;

function fence(text: string): string {
  // a fence longer than any run of backticks inside, so the quote cannot end early
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}\n${text.replace(/\n+$/, '')}\n${f}`;
}

/** The prompt of a retry: the original, then what the failed attempt printed last. */
export function retryPrompt(
  original: string,
  failed: { id: string; status: string; exit_code: number | null; error: string | null },
  tail: string,
): string {
  const how = failed.error ?? (failed.exit_code !== null ? `exit code ${failed.exit_code}` : failed.status);
  const parts = [
    original.replace(/\n+$/, ''),
    '',
    `## An earlier attempt (run ${failed.id}) ${failed.status === 'killed' ? 'was killed' : 'failed'}: ${how}`,
    'Its work is still in this workspace. The end of what it printed:',
    '',
    fence(tail || '(nothing)'),
    '',
    'Carry on from where it stopped.',
  ];
  return parts.join('\n') + '\n';
}

/** A follow-up's prompt: the user's, then the change's description and its unresolved comments. */
export function followUpPrompt(prompt: string, change: ChangeSpec): string {
  const open = change.comments.filter((k) => !k.resolved);
  const parts = [
    prompt.replace(/\n+$/, ''),
    '',
    `## The change '${change.name}'`,
    '',
    change.description.trim() || '(no description)',
  ];
  if (open.length) {
    parts.push('', '## Unresolved comments', '');
    for (const k of open)
      parts.push(`- [${k.id}] ${k.path}${k.line !== null ? `:${k.line}` : ''} (${k.author}): ${k.text}`);
  }
  parts.push('', `Commit your work on this branch; each commit is added to the change '${change.name}'.`);
  return parts.join('\n') + '\n';
}

/** A mentor's prompt: its profile's text, the change, and how to answer. */
export function mentorPrompt(profileText: string, change: ChangeSpec, sha: string, diff: string): string {
  return (
    [
      profileText.replace(/\n+$/, ''),
      '',
      `## The change '${change.name}' at commit ${sha}`,
      '',
      change.description.trim() || '(no description)',
      '',
      '## Its diff',
      '',
      fence(diff || '(empty)'),
      '',
      '## How to answer',
      'Print each comment as one JSON object on a line of its own, of this form',
      "(the path from the repository's root; the line a number, or null for the whole file):",
      '{"path": <path>, "line": <line>, "text": <what is wrong and why>, "severity": <"error", "warning" or "info">}',
      'Print nothing of that form when you have no comment.',
    ].join('\n') + '\n'
  );
}

export interface MentorComment {
  path: string;
  line: number | null;
  text: string;
  severity: string;
}

const SEVERITIES = ['error', 'warning', 'info'];

function asComment(v: unknown): MentorComment | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.path !== 'string' || !o.path.trim() || typeof o.text !== 'string' || !o.text.trim()) return null;
  const line = typeof o.line === 'number' && Number.isInteger(o.line) && o.line > 0 ? o.line : null;
  const severity = typeof o.severity === 'string' && SEVERITIES.includes(o.severity) ? o.severity : 'info';
  return {
    path: o.path.trim().slice(0, 1000),
    line,
    text: o.text.replace(/\s+/g, ' ').trim().slice(0, 1000),
    severity,
  };
}

/** Text an agent printed: its own lines, and the text inside stream events that carry it. */
function textsOf(line: string): string[] {
  const t = line.trim();
  if (!t.startsWith('{')) return [t];
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return [t];
  }
  const out: string[] = [t];
  // what tools printed (claude's tool results, in 'user' events) is not the agent's answer:
  // a mentor reading a file of such lines must not comment with them
  const toolOutput = (o: Record<string, unknown>) => o.type === 'tool_result' || o.type === 'user';
  const walk = (x: unknown, depth: number): void => {
    if (depth > 6 || !x) return;
    if (typeof x === 'string') out.push(...x.split('\n'));
    else if (Array.isArray(x)) for (const y of x) walk(y, depth + 1);
    else if (typeof x === 'object' && !toolOutput(x as Record<string, unknown>)) {
      for (const [k, y] of Object.entries(x))
        if (k === 'text' || k === 'result' || k === 'content' || k === 'message' || k === 'item') walk(y, depth + 1);
    }
  };
  walk(v, 0);
  return out;
}

/** The comments a mentor printed: JSON objects with path and text, alone on a line or inside its transcript's text; repeats dropped. */
export function mentorComments(transcript: string): MentorComment[] {
  const seen = new Set<string>();
  const out: MentorComment[] = [];
  for (const line of transcript.split('\n')) {
    for (const t of textsOf(line)) {
      const s = t.trim();
      if (!s.startsWith('{') || !s.endsWith('}')) continue;
      let v: unknown;
      try {
        v = JSON.parse(s);
      } catch {
        continue;
      }
      const k = asComment(v);
      if (!k) continue;
      const key = `${k.path}\0${k.line}\0${k.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(k);
    }
  }
  return out;
}

function jsonLines(transcript: string, limit: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of transcript.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const v = JSON.parse(t);
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v);
    } catch {
      // not an event
    }
    if (out.length >= limit) break;
  }
  return out;
}

const SESSION_KEYS = ['session_id', 'sessionId', 'thread_id', 'sessionID', 'session'];

/** The session id a provider reported in its transcript (claude, codex, gemini and opencode events name it differently). */
export function sessionFromTranscript(transcript: string): string | null {
  for (const e of jsonLines(transcript, 200)) {
    for (const k of SESSION_KEYS) {
      const v = e[k];
      if (typeof v === 'string' && /^[A-Za-z0-9._:-]{1,200}$/.test(v)) return v;
    }
  }
  return null;
}

/** Token counts and cost from the last event that reports them (claude's result event, codex's turn.completed). */
export function usageFromTranscript(
  transcript: string,
): { input_tokens: number | null; output_tokens: number | null; cost: number | null } | null {
  let found: { input_tokens: number | null; output_tokens: number | null; cost: number | null } | null = null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  for (const e of jsonLines(transcript, Infinity)) {
    const u = (e.usage ?? null) as Record<string, unknown> | null;
    const cost = num(e.total_cost_usd) ?? num(e.cost_usd) ?? num(e.cost);
    if ((u && typeof u === 'object') || cost !== null) {
      found = { input_tokens: u ? num(u.input_tokens) : null, output_tokens: u ? num(u.output_tokens) : null, cost };
    }
  }
  return found;
}

/**
 * A workspace reference opening a prompt (`#cd:<path>`, `#git:<ref>`,
 * `#cs:<name>`, `#gh:<owner>/<repo>[#<pr>]`, `#<n>`), and the prompt
 * without it.
 */
export function leadingWorkspaceRef(prompt: string): { ref: string | null; text: string } {
  const m = /^\s*(#(?:cd|git|cs|gh):\S+|#\d+)(?=\s|$)[ \t]*\r?\n?/.exec(prompt);
  if (!m) return { ref: null, text: prompt };
  return { ref: m[1]!, text: prompt.slice(m[0].length) };
}

/** The last `max` bytes of a text, from a line start where one is near. */
export function tailOf(text: string, max = RETRY_TAIL_BYTES): string {
  const buf = Buffer.from(text);
  if (buf.length <= max) return text;
  let s = buf
    .subarray(buf.length - max)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
  const nl = s.indexOf('\n');
  if (nl >= 0 && nl < 200) s = s.slice(nl + 1);
  return s;
}
