// Agent transcripts for people: the event lines agent CLIs print (claude's
// stream-json, codex's exec --json, the example agent's events) turned into
// short readable lines for a terminal. Lines that are not an event we know
// are shown as they are. Pure.

type Ev = Record<string, any>;

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
  if (e.type === 'assistant' && Array.isArray(e.message?.content)) {
    const out: string[] = [];
    for (const c of e.message.content) {
      if (c?.type === 'text') out.push(...textLines(c.text));
      else if (c?.type === 'tool_use')
        out.push(
          `→ ${c.name}${c.input ? ` ${oneLine(c.input.command ?? c.input.file_path ?? c.input.pattern ?? JSON.stringify(c.input), 120)}` : ''}`,
        );
    }
    return out;
  }
  if (e.type === 'user') return [];
  if (e.type === 'result')
    return [
      `· ${e.is_error ? 'ended with an error' : 'finished'}${typeof e.total_cost_usd === 'number' ? ` ($${e.total_cost_usd.toFixed(4)})` : ''}`,
    ];
  return null;
}

function codex(e: Ev): string[] | null {
  if (e.type === 'thread.started') return [`· session ${e.thread_id ?? '?'}`];
  if (e.type === 'turn.started') return [];
  if (e.type === 'turn.completed')
    return [`· turn done${e.usage ? ` (${e.usage.input_tokens ?? '?'} in, ${e.usage.output_tokens ?? '?'} out)` : ''}`];
  if (e.type === 'turn.failed' || e.type === 'error') return [`error: ${oneLine(e.error?.message ?? e.message)}`];
  if (typeof e.type === 'string' && e.type.startsWith('item.') && e.item) {
    if (e.type !== 'item.completed') return [];
    const it = e.item;
    if (it.type === 'agent_message' || it.type === 'reasoning') return textLines(it.text);
    if (it.type === 'command_execution')
      return [
        `→ ${oneLine(it.command, 160)}${it.exit_code !== undefined && it.exit_code !== null ? ` (exit ${it.exit_code})` : ''}`,
      ];
    if (it.type === 'file_change') return (it.changes ?? []).map((c: Ev) => `→ ${c.kind ?? 'edit'} ${c.path}`);
    return [`→ ${it.type}`];
  }
  return null;
}

function example(e: Ev): string[] | null {
  if (e.type === 'say') return textLines(e.text);
  if (e.type === 'start') return [`· started${e.resumed ? ' (resumed)' : ''}`];
  if (e.type === 'done')
    return [
      `· done${Array.isArray(e.commits) && e.commits.length ? `, ${e.commits.length} commit${e.commits.length === 1 ? '' : 's'}` : ''}`,
    ];
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
  if (!e || typeof e !== 'object' || Array.isArray(e)) return [line];
  return claude(e as Ev) ?? codex(e as Ev) ?? example(e as Ev) ?? [line];
}
