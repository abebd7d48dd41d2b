// Drawing ACE's frame: a header with the tabs and their counts, the query
// line, the list (matched characters highlighted, marks, the cursor) beside a
// preview, and a footer with the keys or the last result. Widths are display
// widths (string-width), so wide characters keep the columns straight.
import stringWidth from 'string-width';
import { actionsOf } from '../../core/ace/actions.ts';
import { ACE_TABS } from '../../core/ace/tabs.ts';
import { type AceModel, current } from './model.ts';

const ESC = '\x1b[';
const bold = (s: string) => `${ESC}1m${s}${ESC}22m`;
const dim = (s: string) => `${ESC}2m${s}${ESC}22m`;
const rev = (s: string) => `${ESC}7m${s}${ESC}27m`;
const red = (s: string) => `${ESC}31m${s}${ESC}39m`;
const green = (s: string) => `${ESC}32m${s}${ESC}39m`;
const yellow = (s: string) => `${ESC}33m${s}${ESC}39m`;
const hl = (s: string) => `${ESC}1;36m${s}${ESC}22;39m`;

// control and invisible format characters (C0, DEL, C1, soft hyphen, zero
// widths, bidi overrides, line and paragraph separators): each drawn as spaces
// of its own length, so positions still index the text and no terminal wraps
// on a character it draws wider than string-width counts it
const UNSHOWN = /[\x00-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}]/gu;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const widthOf = (ch: string) => {
  const c = ch.charCodeAt(0);
  return c >= 32 && c < 127 ? 1 : stringWidth(ch);
};

/** Characters without control codes, cut to `width` display columns (an ellipsis where cut), then padded to it. */
export function fit(text: string, width: number, positions?: readonly number[]): string {
  if (width <= 0) return '';
  const clean = text.replace(UNSHOWN, (c) => ' '.repeat(c.length));
  const marks = positions?.length ? new Set(positions) : null;
  // cut: leave a column for the ellipsis
  const total = PRINTABLE_ASCII.test(clean) ? clean.length : stringWidth(clean);
  const room = total > width ? width - 1 : width;
  let out = '';
  let used = 0;
  let i = 0;
  for (const ch of clean) {
    const w = widthOf(ch);
    if (used + w > room) break;
    out += marks?.has(i) ? hl(ch) : ch;
    used += w;
    i += ch.length;
  }
  if (room < width) {
    out += '…';
    used += 1;
  }
  return out + ' '.repeat(Math.max(0, width - used));
}

export interface Frame {
  rows: number;
  cols: number;
  preview: string[];
  axe: string | null;
  pick: boolean;
}

/** The rows the list has on a screen of `rows` lines. */
export function listHeight(rows: number): number {
  return Math.max(1, rows - 3);
}

export function drawFrame(m: AceModel, f: Frame): string {
  const { rows, cols } = f;
  const out: string[] = [];
  // header: the tabs and how many each matches, the Axe at the right
  let header = '';
  let used = 0;
  const right = f.axe ? ` ${f.axe} ` : '';
  const room = Math.max(0, cols - right.length);
  for (const t of ACE_TABS) {
    const s = m.tabs[t];
    const unread = t === 'notifications' && s.unread ? ` (${s.unread} unread)` : '';
    const label = ` ${t} ${s.matches.length}${s.matches.length !== s.total ? `/${s.total}` : ''}${unread} `;
    if (used + label.length > room) break;
    header += t === m.tab ? rev(bold(label)) : label;
    used += label.length;
  }
  out.push(`${header}${' '.repeat(room - used)}${dim(fit(right, cols - room))}`);
  const t = current(m);
  out.push(fit(`> ${t.query}`, cols));
  const h = listHeight(rows);
  if (m.card) {
    for (let r = 0; r < h; r++) out.push(fit(m.card[m.cardOffset + r] ?? '', cols));
    out.push(dim(fit('Esc, q or Enter: back   arrows, PgUp/PgDn: scroll', cols)));
    return paint(out);
  }
  if (m.help) {
    const lines = helpLines(m);
    for (let r = 0; r < h; r++)
      out.push(r === 0 || lines[r] === lines[10] ? bold(fit(lines[r] ?? '', cols)) : fit(lines[r] ?? '', cols));
    out.push(dim(fit('any key: back', cols)));
    return paint(out);
  }
  const narrow = cols < 70;
  const listW = narrow ? cols : Math.floor(cols * 0.5);
  const prevW = narrow ? 0 : cols - listW - 1;
  for (let r = 0; r < h; r++) {
    const at = t.offset + r;
    const x = t.matches[at];
    let left: string;
    if (!x) left = r === 0 && !t.matches.length ? dim(fit(emptyText(m), listW)) : ' '.repeat(listW);
    else {
      const mark = t.marked.has(x.key) ? green('*') : ' ';
      const body = fit(x.line, listW - 2, t.positions(x));
      left = at === t.cursor ? `${rev('>')}${mark}${rev(body)}` : ` ${mark}${body}`;
    }
    out.push(narrow ? left : `${left}${dim('│')}${fit(f.preview[r] ?? '', prevW)}`);
  }
  out.push(footer(m, f.pick, cols));
  return paint(out);
}

function emptyText(m: AceModel): string {
  const t = current(m);
  return t.total ? `no ${m.tab} match '${t.query}'` : `no ${m.tab} here yet`;
}

function footer(m: AceModel, pick: boolean, cols: number): string {
  if (m.input) {
    const { action, answer, choices } = m.input;
    const ask = action.ask!;
    const offer = choices.length ? ` [${choices.join(' ')}]` : ask.default ? ` (Enter: ${ask.default})` : '';
    const line = `${ask.question}${offer}: ${answer}▏  Tab: next choice  Esc: cancel`;
    // a refused answer says why, with the question still open
    return m.message?.kind === 'error' ? red(fit(`${m.message.text}. ${line}`, cols)) : yellow(fit(line, cols));
  }
  if (m.message) {
    const { text, kind } = m.message;
    const line = fit(text, cols);
    return kind === 'error' ? red(line) : kind === 'ask' ? yellow(line) : green(line);
  }
  const keys = actionsOf(m.tab, m.keys).map((a) => `${a.key} ${a.label}`);
  return dim(
    fit(
      [
        pick ? 'Enter pick' : 'Enter card',
        'Tab list',
        'Space mark',
        ...keys,
        'ctrl-y copy id',
        '? keys',
        'Esc quit',
      ].join('  '),
      cols,
    ),
  );
}

export function helpLines(m: AceModel): string[] {
  return [
    'Keys',
    "  type            filter (fzf: words, 'exact, ^prefix, suffix$, !not, a | b; field:value filters)",
    '  Backspace       delete the last character    ctrl-u  clear the query',
    '  ↑ ↓ ctrl-p/n ctrl-k/j   move    PgUp PgDn  a page    Home End  first, last',
    '  Tab Shift-Tab   next, previous list',
    '  Space ctrl-space  mark (actions apply to the marked records, else the one under the cursor)',
    "  Enter           the record's card (with --pick: choose and leave)",
    '  ctrl-y          copy the id (OSC 52)          ctrl-r  refresh now',
    '  Esc ctrl-c      leave',
    '',
    `Actions on ${m.tab}`,
    ...actionsOf(m.tab, m.keys).map(
      (a) =>
        `  ${a.key.padEnd(15)} ${a.label}${a.confirm ? ' (asks y/N)' : a.ask ? ` (asks: ${a.ask.question.split(':')[0]})` : ''}  (sase ${a.command.replace('-', ' ')})`,
    ),
    '',
    'Keys move under [ace.keys] in the configuration (see sase-ace(1)).',
  ];
}

function paint(lines: string[]): string {
  return `${ESC}H${lines.map((l) => `${l}${ESC}0m${ESC}K`).join('\r\n')}`;
}
