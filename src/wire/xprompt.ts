// The JSON forms of XPrompts and of an expanded prompt on pipes (version 1).
import type { Directives, Expansion } from '../core/xprompts/expand.ts';
import type { InputType, XPrompt, XPromptEntry, XPromptSource } from '../core/xprompts/xprompt.ts';

export interface XPromptRecord {
  v: 1;
  kind: 'xprompt';
  id: string;
  name: string;
  /** the file */
  path: string;
  source: XPromptSource;
  description: string | null;
  inputs: Array<{ name: string; type: InputType; default: string | null; required: boolean }>;
  tags: string[];
  /** with `body`: the text after the front matter (sase xprompt show) */
  body?: string;
}

export function xpromptToWire(e: XPromptEntry, x: XPrompt, opts: { body?: boolean } = {}): XPromptRecord {
  const rec: XPromptRecord = {
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

export interface DirectivesWire {
  model: string | null;
  name: string | null;
  wait: string[];
  provider: string | null;
}

function directivesToWire(d: Directives): DirectivesWire {
  return { model: d.model, name: d.name, wait: d.wait, provider: d.provider };
}

export interface ExpansionRecord {
  v: 1;
  kind: 'expansion';
  id: '-';
  text: string;
  directives: DirectivesWire;
  segments: Array<{ text: string; directives: DirectivesWire }>;
  trace: Array<{ name: string; args: Record<string, string>; depth: number; parent: string | null; line: number }>;
}

export function expansionToWire(x: Expansion): ExpansionRecord {
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
