// Agent transcripts for people: the event lines agent CLIs print (claude's
// stream-json, codex's exec --json, the example agent's events) turned into
// short readable lines for a terminal. Lines that are not an event we know
// are shown as they are. Pure.

import { looksLikeError, plainLine } from '../failure-text.ts';

/** One event: a JSON object whose fields are read with care, as an agent may print anything. */
type Ev = { readonly [key: string]: unknown };

/** `v` as an event (a JSON object), or null. */
function ev(v: unknown): Ev | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Ev) : null;
}

function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

function oneLine(text: unknown, max = 200): string {
  const s = String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function textLines(text: unknown): string[] {
  return String(text ?? '')
    .replace(/\n+$/, '')
    .split('\n');
}

function claude(e: Ev): string[] | null {
  if (e.type === 'system')
    return e.subtype === 'init' ? [`· session ${e.session_id ?? '?'}${e.model ? ` (${e.model})` : ''}`] : [];
  const content = ev(e.message)?.content;
  if (e.type === 'assistant' && isList(content)) {
    const out: string[] = [];
    for (const item of content) {
      const c = ev(item);
      if (c?.type === 'text') out.push(...textLines(c.text));
      else if (c?.type === 'tool_use') {
        const input = ev(c.input);
        out.push(
          `→ ${c.name}${c.input ? ` ${oneLine(input?.command ?? input?.file_path ?? input?.pattern ?? JSON.stringify(c.input), 120)}` : ''}`,
        );
      }
    }
    return out;
  }
  if (e.type === 'user') return [];
  if (e.type === 'result') {
    const cost = e.total_cost_usd;
    return [
      `· ${e.is_error ? 'ended with an error' : 'finished'}${typeof cost === 'number' ? ` ($${cost.toFixed(4)})` : ''}`,
    ];
  }
  return null;
}

function codex(e: Ev): string[] | null {
  const type = e.type;
  if (type === 'thread.started') return [`· session ${e.thread_id ?? '?'}`];
  if (type === 'turn.started') return [];
  if (type === 'turn.completed') {
    const usage = ev(e.usage);
    return [`· turn done${e.usage ? ` (${usage?.input_tokens ?? '?'} in, ${usage?.output_tokens ?? '?'} out)` : ''}`];
  }
  if (type === 'turn.failed' || type === 'error') return [`error: ${oneLine(ev(e.error)?.message ?? e.message)}`];
  if (typeof type === 'string' && type.startsWith('item.') && e.item) {
    if (type !== 'item.completed') return [];
    const it = ev(e.item) ?? {};
    if (it.type === 'agent_message' || it.type === 'reasoning') return textLines(it.text);
    if (it.type === 'command_execution')
      return [
        `→ ${oneLine(it.command, 160)}${it.exit_code !== undefined && it.exit_code !== null ? ` (exit ${it.exit_code})` : ''}`,
      ];
    if (it.type === 'file_change')
      return (isList(it.changes) ? it.changes : []).map((x) => {
        const c = ev(x);
        return `→ ${c?.kind ?? 'edit'} ${c?.path}`;
      });
    return [`→ ${it.type}`];
  }
  return null;
}

function example(e: Ev): string[] | null {
  if (e.type === 'say') return textLines(e.text);
  if (e.type === 'start') return [`· started${e.resumed ? ' (resumed)' : ''}`];
  if (e.type === 'done') {
    const commits = e.commits;
    return [
      `· done${isList(commits) && commits.length ? `, ${commits.length} commit${commits.length === 1 ? '' : 's'}` : ''}`,
    ];
  }
  if (e.type === 'error') return [`error: ${oneLine(e.message)}`];
  if (e.type === 'step') {
    const what = e.path ?? e.command ?? e.message ?? e.reason ?? (e.seconds !== undefined ? `${e.seconds}s` : '');
    return [`→ ${e.action}${what ? ` ${oneLine(what, 160)}` : ''}${e.exit_code ? ` (exit ${e.exit_code})` : ''}`];
  }
  return null;
}

/** The readable lines for one line of a transcript. */
export function renderTranscriptLine(line: string): string[] {
  const t = line.trim();
  if (!t.startsWith('{')) return [line];
  let e: unknown;
  try {
    e = JSON.parse(t);
  } catch {
    return [line];
  }
  const event = ev(e);
  if (!event) return [line];
  if (event.sase === 'noop') return [`· no change needed: ${oneLine(event.reason)}`];
  return claude(event) ?? codex(event) ?? example(event) ?? [line];
}

/** The message of an event that reports an error (the example agent's, codex's, claude's result, opencode's), or null. */
function eventError(e: Ev): string | null {
  const err = e.error;
  const msg =
    typeof e.message === 'string'
      ? e.message
      : typeof err === 'string'
        ? err
        : (ev(err)?.message ?? ev(ev(err)?.data)?.message ?? null);
  if (e.type === 'error' || e.type === 'turn.failed') return msg === null ? 'error' : oneLine(msg, 300);
  if (e.type === 'result' && e.is_error)
    return oneLine(typeof e.result === 'string' && e.result.trim() ? e.result : (e.subtype ?? 'error'), 300);
  return null;
}

/**
 * Why an agent failed, in its own words: the last error in its output (an
 * error event, else the last line that reads as an error, else the last
 * line it printed that is not an event), or null when it printed nothing.
 */
export function lastErrorLine(log: string): string | null {
  const lines = log.split('\n');
  let fallback: string | null = null;
  // the tail is where an agent says why it stopped; a long log's head is not read
  for (let i = lines.length - 1, seen = 0; i >= 0 && seen < 200; i--) {
    const l = plainLine(lines[i]!).trim();
    if (!l) continue;
    seen++;
    if (l.startsWith('{')) {
      let e: Ev | null = null;
      try {
        e = ev(JSON.parse(l));
      } catch {
        // not an event after all: a line like any other
      }
      if (e) {
        const msg = eventError(e);
        if (msg) return msg;
        continue;
      }
    }
    if (looksLikeError(l)) return oneLine(l, 300);
    fallback ??= oneLine(l, 300);
  }
  return fallback;
}

/** `text` as the no-change marker `{"sase":"noop","reason":"..."}`: its reason, or null. */
function noopOf(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith('{') || !t.includes('"sase"')) return null;
  try {
    const e = ev(JSON.parse(t));
    if (e?.sase !== 'noop') return null;
    return typeof e.reason === 'string' && e.reason.trim() ? oneLine(e.reason, 300) : 'no reason given';
  } catch {
    return null;
  }
}

/** What an event says in words (an agent's message, its final result), or null for one that says nothing. */
function eventText(e: Ev): string | null {
  if (e.type === 'result' && typeof e.result === 'string') return e.result;
  if (e.type === 'assistant') {
    const content = ev(e.message)?.content;
    const texts = (isList(content) ? content : []).map(ev).filter((c) => c?.type === 'text');
    return texts.length ? texts.map((c) => String(c?.text ?? '')).join('\n') : null;
  }
  if (e.type === 'item.completed' && ev(e.item)?.type === 'agent_message') return String(ev(e.item)?.text ?? '');
  if (e.type === 'say') return String(e.text ?? '');
  return null;
}

/**
 * The reason an agent gave for making no change: its output's final line is
 * `{"sase":"noop","reason":"..."}`, printed as it is or as the last line of
 * its final message (agents that print events: claude's result, codex's last
 * message). Null when it did not say so.
 */
export function noopReason(log: string): string | null {
  const lines = log.split('\n');
  for (let i = lines.length - 1, seen = 0; i >= 0 && seen < 20; i--) {
    const l = plainLine(lines[i]!).trim();
    if (!l) continue;
    seen++;
    const own = noopOf(l);
    if (own) return own;
    if (!l.startsWith('{')) return null;
    let e: Ev | null = null;
    try {
      e = ev(JSON.parse(l));
    } catch {
      return null;
    }
    if (!e) return null;
    const text = eventText(e);
    // an event that says nothing (done, usage, a turn's end) comes after the final message
    if (text === null) continue;
    const last = text.trimEnd().split('\n').pop() ?? '';
    return noopOf(last);
  }
  return null;
}
