// YAML front matter (a block between --- lines at the top of a Markdown
// file), read as the front-matter package read it, with js-yaml 4's load
// (safe: no JavaScript types). Pure.
import { load } from 'js-yaml';

export interface FrontMatter<T> {
  attributes: T;
  body: string;
  /** the line the body starts on */
  bodyBegin: number;
  /** the YAML text (absent when the file has no front matter) */
  frontmatter?: string;
}

// front-matter 4's pattern: an opening '---' (or '= yaml ='), the YAML, and a closing line of the same or '...'
const BLOCK = /^(\ufeff?(= yaml =|---)$([\s\S]*?)^(?:\2|\.\.\.)\s*$(?:\n)?)/m;

/** The front matter of `text` and the body after it; YAML errors are thrown (js-yaml's, with `mark`). */
export function frontMatter<T = Record<string, unknown>>(text: string): FrontMatter<T> {
  const none = { attributes: {} as T, body: text, bodyBegin: 1 };
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (!/= yaml =|---/.test(first)) return none;
  const match = BLOCK.exec(text);
  if (!match) return none;
  const yaml = match[3]!.replace(/^\s+|\s+$/g, '');
  const attributes = (load(yaml) || {}) as T;
  const end = match.index + match[0].length;
  let line = 1;
  for (let pos = text.indexOf('\n'); pos !== -1 && pos < end; pos = text.indexOf('\n', pos + 1)) line++;
  return { attributes, body: text.replace(match[0], ''), bodyBegin: line, frontmatter: yaml };
}
