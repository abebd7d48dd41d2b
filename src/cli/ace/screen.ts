// The ACE screen: the terminal taken over (alternate buffer, raw keys, no
// cursor) and given back exactly on every way out (Esc, Ctrl-C, SIGTERM,
// SIGHUP, a crash); the lists loaded and refiltered on each key; the state
// ref watched (one rev-parse a second) so the lists follow what others do;
// actions run as the commands they are; Axe ticks in the background.
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import { type AceList, DEFAULT_FILTERS, loadAceList } from '../../app/ace/sources.ts';
import { type AceAction, type AceKeys, actionArgs, actionsOf, SHOW } from '../../core/ace/actions.ts';
import { matchAce, parseAceQuery, prepareAce, warmSteps } from '../../core/ace/query.ts';
import { ACE_TABS, type AceTab } from '../../core/ace/tabs.ts';
import { tmpdirOf } from '../../core/tmpdir.ts';
import { ownCommandPath, runOnTerminal } from '../../proc/terminal.ts';
import type { Store } from '../../store/store.ts';
import type { NamedRecord } from '../../wire/record.ts';
import { editorArgv, editorCommand } from '../editor.ts';
import { drawFrame, listHeight } from './draw.ts';
import {
  type AceModel,
  current,
  move,
  newModel,
  selectedKey,
  setMatches,
  switchTab,
  targetKeys,
  toggleMark,
} from './model.ts';

/** Runs a command in this process (as its launcher would), its output kept: how actions and cards run. */
export type RunCaptured = (
  command: string,
  args: string[],
  format?: 'text' | 'id' | 'json',
) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface ScreenOptions {
  store: Store;
  tab: AceTab;
  query: string;
  pick: boolean;
  /** run `sase axe tick` in the background every this many ms; null: never */
  axeEveryMs: number | null;
  tickAxe(): Promise<string>;
  run: RunCaptured;
  nowMs(): number;
  /** a monotonic clock (ms), and where to append how long each key took to draw ($SASE_ACE_TRACE, for the benchmark) */
  monoMs(): number;
  traceFile?: string;
  /** the keys of the actions ([ace.keys]) */
  keys: AceKeys;
  /** the providers an agent can be run with, the default first */
  providers: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

const LEAVE = '\x1b[0m\x1b[?25h\x1b[?1049l';
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
const POLL_MS = 1000;
const PREVIEW_REST_MS = 60;

/** A command's output without colour codes (commands run here have NO_COLOR; a card from elsewhere may not). */
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

interface Terminal {
  input: ReadStream;
  output: WriteStream;
  fd: number;
  /** a new input stream: the old one is closed while another program has the terminal, so it cannot take that program's keys */
  reopenInput(): ReadStream;
  closeInput(): void;
  close(): void;
}

/** Opens the terminal: /dev/tty, so stdout may be a pipe (--pick). */
function openTerminal(): Terminal {
  const outFd = openSync('/dev/tty', 'w');
  const output = new WriteStream(outFd);
  const t: Terminal = {
    input: new ReadStream(openSync('/dev/tty', 'r')),
    output,
    fd: outFd,
    reopenInput() {
      t.input = new ReadStream(openSync('/dev/tty', 'r'));
      return t.input;
    },
    closeInput() {
      t.input.destroy();
    },
    close() {
      t.input.destroy();
      try {
        closeSync(outFd);
      } catch {
        // closed with its stream
      }
    },
  };
  return t;
}

/** Runs the screen until the person leaves; returns the records picked (--pick), else []. */
export async function runScreen(o: ScreenOptions): Promise<NamedRecord[]> {
  const term = openTerminal();
  const m: AceModel = newModel(o.tab, o.keys);
  m.tabs[o.tab].query = o.query;
  const lists = new Map<AceTab, AceList>();
  const previews = new Map<string, string[]>();
  let tip = await o.store.tip();
  let axe: string | null = o.axeEveryMs === null ? null : 'axe: starting';
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      writeSync(term.fd, LEAVE);
    } catch {
      // the terminal is gone
    }
    try {
      term.input.setRawMode(false);
    } catch {
      // the terminal is gone
    }
  };
  // every way out gives the terminal back as it was
  const onExit = () => restore();
  const onSignal = (sig: NodeJS.Signals) => {
    restore();
    process.kill(process.pid, sig);
  };
  process.on('exit', onExit);
  for (const s of ['SIGTERM', 'SIGHUP'] as const) process.once(s, onSignal);
  const size = () => {
    try {
      const [cols, rows] = term.output.getWindowSize();
      return { rows: rows || 24, cols: cols || 80 };
    } catch {
      return { rows: 24, cols: 80 };
    }
  };

  const refilter = (tab: AceTab, typed = false) => {
    const list = lists.get(tab);
    if (!list) return;
    const t = m.tabs[tab];
    // a new query starts at its best match, as fzf does; a refresh keeps the record under the cursor
    if (typed) t.cursor = 0;
    let matches: ReturnType<typeof matchAce>;
    try {
      matches = matchAce(list.items, parseAceQuery(tab, t.query), DEFAULT_FILTERS[tab]);
    } catch (err) {
      m.message = { text: (err as Error).message, kind: 'error' };
      matches = { items: [], positions: () => [] };
    }
    if (typed) t.matches = [];
    setMatches(m, tab, matches, list.items.length, listHeight(size().rows));
    if (tab === 'notifications') t.unread = list.items.filter((it) => it.fields.status === 'unread').length;
  };
  const load = async (tab: AceTab) => {
    const list = await loadAceList(o.store, tab, { nowMs: o.nowMs(), lean: true });
    lists.set(tab, list);
    refilter(tab);
    // the lines are folded for searching while the person reads, not at the first key, and the matcher warmed a step at a time (keys come first)
    setImmediate(() => {
      prepareAce(list.items);
      const steps = warmSteps(list.items);
      const next = () => {
        if (lists.get(tab) !== list) return;
        steps.shift()?.();
        if (steps.length) setImmediate(next);
      };
      setImmediate(next);
    });
  };

  let shownPreview: string[] = [];
  let previewFor = '';
  const preview = async (): Promise<string[]> => {
    const key = selectedKey(m);
    if (!key) return [];
    const id = `${m.tab} ${key} ${tip}`;
    const had = previews.get(id);
    if (had) return had;
    const r = await o.run(SHOW[m.tab], [key]);
    const lines = plain(r.code === 0 ? r.stdout : r.stderr).split('\n');
    previews.set(id, lines);
    return lines;
  };

  let drawing = Promise.resolve();
  // while another program has the terminal (an editor, a pager, a shell) nothing is drawn
  let aside = false;
  const draw = () => {
    drawing = drawing.then(async () => {
      if (aside) return;
      const { rows, cols } = size();
      // the record and the state it is shown at: a new tip (an action, a sync) reads the card again
      const key = `${m.tab} ${selectedKey(m)} ${tip}`;
      // the list is drawn at once; a card not read yet follows when it is (a keystroke never waits for it)
      const cached = previews.get(key);
      if (cached) {
        shownPreview = cached;
        previewFor = key;
      } else if (previewFor !== key && !m.card && !m.help && cols >= 70) {
        // another record: a placeholder; the same one at a new tip keeps its card until the new one is read
        if (!previewFor.startsWith(`${m.tab} ${selectedKey(m)} `)) shownPreview = ['…'];
        previewFor = key;
        // read once the cursor rests (typing or scrolling on does not read a card for every row it passes)
        setTimeout(() => {
          if (previewFor !== key || `${m.tab} ${selectedKey(m)} ${tip}` !== key) return;
          void preview()
            .catch((err: Error) => [err.message])
            .then((lines) => {
              if (previewFor === key && `${m.tab} ${selectedKey(m)} ${tip}` === key) {
                shownPreview = lines;
                void draw();
              }
            });
        }, PREVIEW_REST_MS);
      }
      term.output.write(drawFrame(m, { rows, cols, preview: cols >= 70 ? shownPreview : [], axe, pick: o.pick }));
    });
    return drawing;
  };

  term.output.write(ENTER);
  term.input.setRawMode(true);
  emitKeypressEvents(term.input);
  // the first screen: the tab asked for first, the others' counts after
  await load(o.tab);
  await draw();
  for (const t of ACE_TABS) if (t !== o.tab) await load(t);
  await draw();

  // the state moved: reload every list in place, keeping the selection
  const poll = setInterval(async () => {
    const now = await o.store.tip().catch(() => tip);
    if (now === tip) return;
    tip = now;
    previews.clear();
    for (const t of ACE_TABS) await load(t).catch(() => {});
    await draw();
  }, POLL_MS);
  let ticking = false;
  const tickAxe = async () => {
    if (ticking) return;
    ticking = true;
    try {
      axe = await o.tickAxe();
    } catch (err) {
      axe = `axe: ${(err as Error).message.split('\n')[0]}`;
    } finally {
      ticking = false;
    }
    await draw();
  };
  const axeTimer = o.axeEveryMs === null ? null : setInterval(tickAxe, o.axeEveryMs);
  if (o.axeEveryMs !== null) void tickAxe();
  // node tells only its own stdout of a resize: a stream on /dev/tty reads its size again when told
  const onResize = () => {
    (term.output as unknown as { _refreshSize?: () => void })._refreshSize?.();
    void draw();
  };
  process.on('SIGWINCH', onResize);

  // another program has the terminal: the screen steps aside (its keys not read, Ctrl-C theirs) and comes back after
  let onKeypress: ((str: string | undefined, key: Record<string, unknown> | undefined) => void) | null = null;
  const listen = () => {
    emitKeypressEvents(term.input);
    term.input.setRawMode(true);
    if (onKeypress) term.input.on('keypress', onKeypress);
  };
  const ignoreInterrupt = () => {};
  const stepAside = async <T>(fn: () => Promise<T>, pause: boolean): Promise<T> => {
    await drawing.catch(() => {});
    aside = true;
    writeSync(term.fd, LEAVE);
    term.input.setRawMode(false);
    term.closeInput();
    process.on('SIGINT', ignoreInterrupt);
    try {
      const r = await fn();
      if (pause) await waitForEnter();
      return r;
    } finally {
      process.off('SIGINT', ignoreInterrupt);
      term.reopenInput();
      writeSync(term.fd, ENTER);
      aside = false;
      listen();
    }
  };
  const waitForEnter = () =>
    new Promise<void>((resolve) => {
      writeSync(term.fd, '\r\n[Enter: back to sase ace] ');
      const input = term.reopenInput();
      input.setRawMode(true);
      input.on('data', (d: Buffer) => {
        if (d.includes(13) || d.includes(10) || d.includes(27) || d.includes(3) || d.includes(113)) {
          input.setRawMode(false);
          term.closeInput();
          resolve();
        }
      });
    });
  const onTerminal = (argv: string[], opts: { pager?: string; cwd?: string; pause?: boolean } = {}) =>
    stepAside(
      () => runOnTerminal(argv, { cwd: opts.cwd ?? o.cwd, env: o.env, pager: opts.pager }),
      opts.pause ?? false,
    );

  /** A text written in $EDITOR (the question at the top, as a comment line taken out); null when left empty. */
  const editText = async (question: string): Promise<string | null> => {
    const dir = mkdtempSync(join(tmpdirOf(o.env), 'sase-ace-'));
    const file = join(dir, 'PROMPT.md');
    try {
      writeFileSync(file, `\n<!-- ${question} -->\n`);
      const editor = await editorCommand(o);
      const code = await onTerminal(editorArgv(editor, file));
      if (code !== 0) throw new Error(`the editor '${editor}' exited ${code}`);
      const text = readFileSync(file, 'utf8')
        .replace(/<!--[\s\S]*?-->/g, '')
        .trim();
      return text || null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  /** A record as its show command prints it now (the lists may be a poll behind an action just run). */
  const freshRecord = async (key: string): Promise<Record<string, unknown>> => {
    const r = await o.run(SHOW[m.tab], [key], 'json');
    const line = r.code === 0 ? r.stdout.split('\n').find((l) => l.startsWith('{')) : undefined;
    return line ? (JSON.parse(line) as Record<string, unknown>) : {};
  };

  /** The answers an action's question takes for a record. */
  const choicesFor = async (a: AceAction, key: string): Promise<string[]> => {
    const ask = a.ask!;
    if (ask.choices) return [...ask.choices];
    if (ask.choicesFrom === 'providers') return o.providers;
    const r = (await freshRecord(key)) as {
      comments?: Array<{ id: number; resolved: boolean }>;
      waiting_on?: string | null;
    };
    if (ask.choicesFrom === 'comments') return (r.comments ?? []).filter((c) => !c.resolved).map((c) => String(c.id));
    if (ask.choicesFrom === 'waiting') return r.waiting_on ? [r.waiting_on] : [];
    return [];
  };

  const said = (text: string) =>
    plain(text)
      .split('\n')
      .find((l) => l.trim());

  /** Runs an action on its targets once everything it asks is answered. */
  const runAction = async (a: AceAction, keys: string[], given: { input?: string; text?: string } = {}) => {
    const targets = a.single ? keys.slice(0, 1) : keys;
    const args = actionArgs(a, targets, given);
    const mode = a.mode ?? 'captured';
    tip = null; // reload at the next poll, whatever the tip says
    if (mode === 'path' || mode === 'shell') {
      const rec = await freshRecord(targets[0]!);
      const path = (rec as { workspace?: { path?: string } | null }).workspace?.path;
      if (!path) {
        m.message = { text: `${targets[0]} has no workspace`, kind: 'error' };
        return;
      }
      if (mode === 'path') {
        term.output.write(`\x1b]52;c;${Buffer.from(path).toString('base64')}\x07`);
        m.message = { text: `${path} (copied)`, kind: 'info' };
        return;
      }
      const shell = o.env.SHELL || 'sh';
      const code = await onTerminal([shell], { cwd: path });
      m.message = { text: `back from ${shell} in ${path}${code ? ` (exit ${code})` : ''}`, kind: 'info' };
      return;
    }
    if (mode === 'terminal' || mode === 'pager') {
      const pager = mode === 'pager' ? o.env.SASE_PAGER || o.env.PAGER || 'less -R' : undefined;
      const code = await onTerminal([ownCommandPath(a.command), ...args], {
        pager,
        pause: mode === 'terminal' && a.name === 'log',
      });
      m.message =
        code === 0
          ? { text: `${a.label}: done`, kind: 'info' }
          : { text: `sase ${a.command.replace('-', ' ')} exited ${code}`, kind: 'error' };
      return;
    }
    m.message = { text: `running ${a.label} on ${targets.join(' ')}`, kind: 'info' };
    await draw();
    const r = await o.run(a.command, args, mode === 'view' ? 'text' : 'id');
    if (mode === 'view' && r.code === 0) {
      m.card = plain(r.stdout).split('\n');
      m.cardOffset = 0;
      m.message = null;
      return;
    }
    const line = said(r.code === 0 ? r.stdout : r.stderr);
    m.message =
      r.code === 0
        ? { text: `${a.label}: ${line ?? 'done'}`, kind: 'info' }
        : { text: line ?? `${a.command} exited ${r.code}`, kind: 'error' };
    current(m).marked.clear();
  };

  /** An action's key: its questions first (y/N, a value, a text in $EDITOR), then the command. */
  const startAction = async (a: AceAction, keys: string[]) => {
    let text: string | undefined;
    if (a.editor) {
      const written = await editText(a.editor);
      if (written === null) {
        m.message = { text: 'nothing started: the text was empty', kind: 'info' };
        return;
      }
      text = written;
    }
    if (a.ask) {
      const choices = await choicesFor(a, keys[0]!);
      if (a.ask.choicesFrom && a.ask.required && !choices.length) {
        m.message = {
          text: `${a.label}: nothing to choose (${a.ask.choicesFrom === 'comments' ? 'no open comments' : a.ask.choicesFrom === 'waiting' ? 'no step waits for approval' : 'no providers'})`,
          kind: 'error',
        };
        return;
      }
      m.input = { action: a, keys, text, answer: choices.length === 1 ? choices[0]! : '', choices };
      return;
    }
    if (a.confirm) {
      m.pending = { action: a, keys };
      m.message = { text: `${a.label} ${keys.join(' ')}? [y/N]`, kind: 'ask' };
      return;
    }
    await runAction(a, keys, { text });
  };

  const picked = await new Promise<string[] | null>((resolve) => {
    const onKey = async (
      str: string | undefined,
      key: { name?: string; ctrl?: boolean; meta?: boolean; shift?: boolean; sequence?: string },
    ) => {
      const h = listHeight(size().rows);
      const name = key?.name ?? '';
      const t = current(m);
      if (m.pending) {
        const { action, keys } = m.pending;
        m.pending = null;
        m.message = null;
        if (str === 'y' || str === 'Y') await runAction(action, keys);
        else m.message = { text: 'not done', kind: 'info' };
        return draw();
      }
      if (m.input) {
        const inp = m.input;
        m.message = null;
        if (name === 'escape' || (key.ctrl && name === 'c')) {
          m.input = null;
          m.message = { text: 'not done', kind: 'info' };
        } else if (name === 'return') {
          const answer = inp.answer.trim();
          if (inp.choices.length && answer && !inp.choices.includes(answer))
            m.message = { text: `'${answer}' is not one of: ${inp.choices.join(', ')}`, kind: 'error' };
          else if (inp.action.ask!.required && !answer)
            m.message = { text: `${inp.action.label} needs an answer (Esc cancels)`, kind: 'error' };
          else {
            m.input = null;
            await runAction(inp.action, inp.keys, { input: answer, text: inp.text });
          }
        } else if (name === 'tab' && inp.choices.length) {
          const at = inp.choices.indexOf(inp.answer);
          inp.answer = inp.choices[(at + (key.shift ? inp.choices.length - 1 : 1)) % inp.choices.length]!;
        } else if (name === 'backspace') inp.answer = [...inp.answer].slice(0, -1).join('');
        else if (key.ctrl && name === 'u') inp.answer = '';
        else if (str && !key.ctrl && !key.meta && !/[\x00-\x1f\x7f]/.test(str)) inp.answer += str;
        return draw();
      }
      if (m.help) {
        m.help = false;
        return draw();
      }
      if (m.card) {
        if (name === 'escape' || name === 'return' || str === 'q') m.card = null;
        else if (name === 'down' || (key.ctrl && (name === 'n' || name === 'j'))) m.cardOffset++;
        else if (name === 'up' || (key.ctrl && (name === 'p' || name === 'k')))
          m.cardOffset = Math.max(0, m.cardOffset - 1);
        else if (name === 'pagedown') m.cardOffset += h;
        else if (name === 'pageup') m.cardOffset = Math.max(0, m.cardOffset - h);
        return draw();
      }
      // (two Escapes in a row come as one meta-Escape)
      if ((key.ctrl && name === 'c') || name === 'escape') return resolve(null);
      m.message = null;
      // an action's key: Alt and a letter, or a Ctrl key [ace.keys] gave it
      const chord = key.meta && name ? `alt-${name}` : key.ctrl && name ? `ctrl-${name}` : null;
      const action = chord ? actionsOf(m.tab, m.keys).find((x) => x.key === chord) : undefined;
      if (action || (chord && key.meta)) {
        const keys = targetKeys(m);
        if (!action) m.message = { text: `${chord} does nothing on ${m.tab} ('?' shows the keys)`, kind: 'error' };
        else if (!keys.length) m.message = { text: `nothing to ${action.label}: the list is empty`, kind: 'error' };
        else await startAction(action, keys);
        return draw();
      }
      if (name === 'return') {
        if (o.pick) {
          const keys = targetKeys(m);
          return resolve(keys);
        }
        const k = selectedKey(m);
        if (k) {
          m.card = (await preview()).slice();
          m.cardOffset = 0;
        }
        return draw();
      }
      if (name === 'tab') switchTab(m, key.shift ? -1 : 1);
      else if (name === 'up' || (key.ctrl && (name === 'p' || name === 'k'))) move(m, -1, h);
      else if (name === 'down' || (key.ctrl && (name === 'n' || name === 'j'))) move(m, 1, h);
      else if (name === 'pageup') move(m, -h, h);
      else if (name === 'pagedown') move(m, h, h);
      else if (name === 'home') move(m, -t.matches.length, h);
      else if (name === 'end') move(m, t.matches.length, h);
      else if (str === '\x00' || (key.ctrl && name === 'space')) toggleMark(m);
      // Space marks while the query is empty; in a query it is fzf's 'and'
      else if (name === 'space' && !key.ctrl && !key.meta && !t.query) toggleMark(m);
      else if (key.ctrl && name === 'r') {
        for (const x of ACE_TABS) await load(x).catch(() => {});
        m.message = { text: 'refreshed', kind: 'info' };
      } else if (key.ctrl && name === 'y') {
        const k = selectedKey(m);
        if (k) {
          term.output.write(`\x1b]52;c;${Buffer.from(k).toString('base64')}\x07`);
          m.message = { text: `copied ${k}`, kind: 'info' };
        }
      } else if (key.ctrl && name === 'u') {
        t.query = '';
        refilter(m.tab, true);
      } else if (name === 'backspace') {
        t.query = [...t.query].slice(0, -1).join('');
        refilter(m.tab, true);
      } else if (str === '?' && !t.query.endsWith('\\')) m.help = true;
      else if (str && !key.ctrl && !key.meta && str.length >= 1 && !/[\x00-\x1f\x7f]/.test(str)) {
        t.query += str;
        refilter(m.tab, true);
      }
      return draw();
    };
    onKeypress = (str, key) => {
      const began = o.monoMs();
      onKey(str, (key ?? {}) as Parameters<typeof onKey>[1])
        .then(() => {
          if (o.traceFile)
            appendFileSync(o.traceFile, `${JSON.stringify({ key: str ?? null, ms: o.monoMs() - began })}\n`);
        })
        .catch((err: Error) => {
          m.message = { text: err.message.split('\n')[0]!, kind: 'error' };
          void draw();
        });
    };
    term.input.on('keypress', onKeypress);
  });

  clearInterval(poll);
  if (axeTimer) clearInterval(axeTimer);
  process.off('SIGWINCH', onResize);
  await drawing.catch(() => {});
  restore();
  process.off('exit', onExit);
  for (const s of ['SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
  term.close();
  if (!picked?.length) return [];
  return lists.get(m.tab)!.records(picked);
}
