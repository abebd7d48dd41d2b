// What a workflow step leaves for the steps after it: a script's stdout read
// as a JSON object, else `key=value` lines, else text; an agent's last JSON
// object in what it said, else its final text. Pure.

export type Outputs = Record<string, unknown>;

/** Text outputs are kept up to this many characters (the rest is cut, with a note). */
export const MAX_OUTPUT_TEXT = 256 * 1024;

function cut(text: string): string {
  return text.length > MAX_OUTPUT_TEXT
    ? `${text.slice(0, MAX_OUTPUT_TEXT)}\n[... ${text.length - MAX_OUTPUT_TEXT} characters cut ...]`
    : text;
}

function asObject(text: string): Outputs | null {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return null;
  try {
    const v = JSON.parse(t);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Outputs) : null;
  } catch {
    return null;
  }
}

const KEY_VALUE = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/;

/** A script's outputs from its stdout: a JSON object, else key=value lines (every non-blank line one), else {text}; {} when it printed nothing. */
export function parseOutputs(stdout: string): Outputs {
  const json = asObject(stdout);
  if (json) return json;
  const lines = stdout
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim());
  if (!lines.length) return {};
  if (lines.every((l) => KEY_VALUE.test(l))) {
    const out: Outputs = {};
    for (const l of lines) {
      const m = KEY_VALUE.exec(l)!;
      out[m[1]!] = m[2]!;
    }
    return out;
  }
  return { text: cut(stdout.replace(/\n+$/, '')) };
}

/**
 * What an agent said, in order: the text of the events agent CLIs print
 * (claude's assistant text and result, codex's agent messages, the example
 * agent's say), and its own lines: a JSON object that is no known event, or
 * plain text. What its tools printed and the events' bookkeeping are not.
 */
export function agentTexts(transcript: string): string[] {
  const out: string[] = [];
  // consecutive plain lines are one text (a CLI that prints its answer as it is)
  let plain: string[] = [];
  const flush = () => {
    if (plain.length) out.push(plain.join('\n'));
    plain = [];
  };
  for (const raw of transcript.split('\n')) {
    const line = raw.trim();
    const e = line ? asObject(line) : null;
    if (!e) {
      if (line || plain.length) plain.push(raw.replace(/\r$/, ''));
      continue;
    }
    flush();
    const type = typeof e.type === 'string' ? e.type : null;
    if (type === 'assistant' && e.message && typeof e.message === 'object') {
      const content = (e.message as { content?: unknown }).content;
      if (Array.isArray(content))
        for (const c of content) if (c && c.type === 'text' && typeof c.text === 'string') out.push(c.text);
    } else if (type === 'result') {
      if (typeof e.result === 'string') out.push(e.result);
    } else if (type === 'item.completed' && e.item && typeof e.item === 'object') {
      const it = e.item as { type?: unknown; text?: unknown };
      if (it.type === 'agent_message' && typeof it.text === 'string') out.push(it.text);
    } else if (type === 'say') {
      if (typeof e.text === 'string') out.push(e.text);
    } else if (
      type &&
      (['system', 'user', 'start', 'step', 'done', 'error'].includes(type) || /^(thread|turn|item)\./.test(type))
    ) {
      // an event without the agent's words
    } else out.push(line);
  }
  flush();
  return out.map((t) => t.trim()).filter(Boolean);
}

/** A JSON object in one piece of text: the whole of it (a ```json fence allowed), else its last line that is one. */
function objectIn(text: string): Outputs | null {
  const t = text.trim();
  const fenced = /^```[A-Za-z]*\n([\s\S]*?)\n```$/.exec(t);
  const whole = asObject(fenced ? fenced[1]! : t);
  if (whole) return whole;
  const lines = t.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const o = asObject(lines[i]!);
    if (o) return o;
  }
  return null;
}

/** An agent step's outputs: the last JSON object it said, else {text: its final text}; {} when it said nothing. */
export function agentOutput(transcript: string): Outputs {
  const texts = agentTexts(transcript);
  for (let i = texts.length - 1; i >= 0; i--) {
    const o = objectIn(texts[i]!);
    if (o) return o;
  }
  const last = [...texts].reverse().find((t) => t.trim());
  return last === undefined ? {} : { text: cut(last.trim()) };
}
