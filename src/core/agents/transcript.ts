// Agent transcripts for people: the event lines agent CLIs print (claude's
// stream-json, codex's exec --json, the example agent's events) turned into
// short readable lines for a terminal. Lines that are not an event we know
// are shown as they are. Pure.

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
    const what = e.path ?? e.command ?? e.message ?? (e.seconds !== undefined ? `${e.seconds}s` : '');
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
  return claude(event) ?? codex(event) ?? example(event) ?? [line];
}
