// The JSON forms of XPrompts and of an expanded prompt on pipes (version 1).
import type { Expansion } from '../core/xprompts/expand.ts';
import type { XPrompt } from '../core/xprompts/xprompt.ts';
import { type XPromptEntry } from '../core/xprompts/xprompt.ts';

export function xpromptToWire(e: XPromptEntry, x: XPrompt, opts: { body?: boolean } = {}): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    v: 1,
    kind: 'xprompt',
    id: x.name,
    name: x.name,
    path: e.path,
    source: e.source,
    description: x.description,
    inputs: x.inputs.map((i) => ({ name: i.name, type: i.type, default: i.default, required: i.required })),
    tags: x.tags,
  };
  if (opts.body) rec.body = x.body;
  return rec;
}

function directivesToWire(d: Expansion['directives']): Record<string, unknown> {
  return { model: d.model, name: d.name, wait: d.wait, provider: d.provider };
}

export function expansionToWire(x: Expansion): Record<string, unknown> {
  return {
    v: 1,
    kind: 'expansion',
    id: '-',
    text: x.text,
    directives: directivesToWire(x.directives),
    segments: x.segments.map((s) => ({ text: s.text, directives: directivesToWire(s.directives) })),
    trace: x.trace.map((t) => ({ name: t.name, args: t.args, depth: t.depth, parent: t.parent, line: t.line })),
  };
}
