// Agent transcripts for people: the event lines agent CLIs print (claude's
// and qwen's stream-json, codex's exec --json, gemini's stream-json,
// opencode's run --format json, the example agent's events) turned into short
// readable lines for a terminal. Lines that are not an event we know are shown
// as they are. Pure.

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

/** What a tool call acts on, in one line: its command, file, pattern, ... (the CLIs name them differently). */
function toolInput(input: unknown): string {
  const i = ev(input);
  if (!i) return '';
  const key = ['command', 'file_path', 'filePath', 'absolute_path', 'path', 'dir_path', 'pattern', 'url', 'query'].find(
    (k) => typeof i[k] === 'string' && i[k],
  );
  const shown = key ? i[key] : Object.keys(i).length ? JSON.stringify(i) : '';
  return shown ? ` ${oneLine(shown, 120)}` : '';
}

/** An error's message wherever the CLI put it: `message`, `error` as text, `error.message`, `error.data.message`, `error.name`. */
function errorText(e: Ev): string {
  if (typeof e.message === 'string' && e.message) return oneLine(e.message);
  if (typeof e.error === 'string') return oneLine(e.error);
  const err = ev(e.error);
  const text = err?.message ?? ev(err?.data)?.message ?? err?.name;
  return text === undefined || text === null || text === '' ? 'unknown error' : oneLine(text);
}

// claude's stream-json; qwen's is the same shape (its result's error in error.message)
function claude(e: Ev): string[] | null {
  if (e.type === 'system')
    return e.subtype === 'init' ? [`· session ${e.session_id ?? '?'}${e.model ? ` (${e.model})` : ''}`] : [];
  const content = ev(e.message)?.content;
  if (e.type === 'assistant' && isList(content)) {
    const out: string[] = [];
    for (const item of content) {
      const c = ev(item);
      if (c?.type === 'text') out.push(...textLines(c.text));
      else if (c?.type === 'tool_use') out.push(`→ ${c.name}${toolInput(c.input)}`);
    }
    return out;
  }
  if (e.type === 'user') {
    // a tool that failed says why; results that went well are the agent's to read
    const failed = (isList(content) ? content : []).map(ev).filter((c) => c?.type === 'tool_result' && c.is_error);
    return failed.map((c) => `✗ ${oneLine(isList(c!.content) ? ev(c!.content[0])?.text : c!.content, 160)}`);
  }
  if (e.type === 'result' && (e.is_error !== undefined || e.subtype !== undefined)) {
    const cost = e.total_cost_usd;
    const why = e.is_error ? (e.error ? errorText(e) : typeof e.result === 'string' ? oneLine(e.result) : '') : '';
    return [
      `· ${e.is_error ? 'ended with an error' : 'finished'}${why ? `: ${why}` : ''}${typeof cost === 'number' ? ` ($${cost.toFixed(4)})` : ''}`,
    ];
  }
  return null;
}

const tokens = (u: Ev | null) =>
  u && (typeof u.input_tokens === 'number' || typeof u.output_tokens === 'number')
    ? ` (${u.input_tokens ?? '?'} in, ${u.output_tokens ?? '?'} out)`
    : '';

// gemini's stream-json: init, message (the assistant's text comes in pieces, delta: true), tool_use, tool_result, error, result
function gemini(e: Ev): string[] | null {
  if (e.type === 'init' && e.session_id !== undefined)
    return [`· session ${e.session_id}${e.model ? ` (${e.model})` : ''}`];
  if (e.type === 'message' && typeof e.role === 'string')
    return e.role === 'assistant' ? textLines(typeof e.content === 'string' ? e.content : '') : [];
  if (e.type === 'tool_use' && typeof e.tool_name === 'string') return [`→ ${e.tool_name}${toolInput(e.parameters)}`];
  if (e.type === 'tool_result' && e.tool_id !== undefined)
    return e.status === 'error' ? [`✗ ${errorText(ev(e.error) ?? {})}`] : [];
  if (e.type === 'error' && typeof e.severity === 'string')
    return [`${e.severity === 'warning' ? 'warning' : 'error'}: ${errorText(e)}`];
  if (e.type === 'result' && typeof e.status === 'string')
    return [
      e.status === 'success'
        ? `· finished${tokens(ev(e.stats))}`
        : `· ended with an error${e.error ? `: ${errorText(e)}` : ''}`,
    ];
  return null;
}

// opencode's run --format json: {type, timestamp, sessionID, part | error}
function opencode(e: Ev): string[] | null {
  const part = ev(e.part);
  if (part && typeof e.sessionID === 'string') {
    if (e.type === 'text' || e.type === 'reasoning') return textLines(part.text);
    if (e.type === 'tool_use') {
      const state = ev(part.state);
      const failed = state?.status === 'error';
      return [`→ ${part.tool ?? 'tool'}${toolInput(state?.input)}${failed ? ` (failed: ${errorText(state!)})` : ''}`];
    }
    if (e.type === 'step_start') return [];
    if (e.type === 'step_finish') {
      // a step that ends in tool calls goes on; 'stop' is the answer's end
      if (part.reason === 'tool-calls') return [];
      const t = ev(part.tokens);
      const used = tokens(t && { input_tokens: t.input, output_tokens: t.output });
      return [part.reason === 'stop' ? `· finished${used}` : `· step ended (${part.reason ?? '?'})${used}`];
    }
    return [];
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
  // opencode's error events are {type: 'error', error: {name, data: {message}}}
  if (type === 'turn.failed' || type === 'error') return [`error: ${errorText(e)}`];
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
  return gemini(event) ?? opencode(event) ?? claude(event) ?? codex(event) ?? example(event) ?? [line];
}

/**
 * A renderer for one transcript read in order: as renderTranscriptLine, but
 * the pieces of text that gemini streams (message events with delta: true)
 * are joined into whole lines, each shown once complete; `end()` gives what
 * is left.
 */
export function transcriptRenderer(): { line(line: string): string[]; end(): string[] } {
  let pending = '';
  const flush = () => {
    const out = pending ? [pending] : [];
    pending = '';
    return out;
  };
  return {
    line(line) {
      const t = line.trim();
      let e: Ev | null = null;
      if (t.startsWith('{')) {
        try {
          e = ev(JSON.parse(t));
        } catch {
          e = null;
        }
      }
      if (e?.type === 'message' && e.role === 'assistant' && e.delta === true && typeof e.content === 'string') {
        const parts = (pending + e.content).split('\n');
        pending = parts.pop()!;
        return parts;
      }
      return [...flush(), ...renderTranscriptLine(line)];
    },
    end: flush,
  };
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
