// The ACE screen: the terminal taken over (alternate buffer, raw keys, no
// cursor) and given back exactly on every way out (Esc, Ctrl-C, SIGTERM,
// SIGHUP, a crash); the lists loaded and refiltered on each key; the state
// ref watched (one rev-parse a second) so the lists follow what others do;
// actions run as the commands they are; Axe ticks in the background.
import { closeSync, openSync, writeSync } from 'node:fs';
import { emitKeypressEvents } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import { type AceList, DEFAULT_FILTERS, loadAceList } from '../../app/ace/sources.ts';
import { ACE_TABS, type AceTab, matchAce, parseAceQuery, prepareAce } from '../../core/ace/query.ts';
import type { Store } from '../../store/store.ts';
import type { NamedRecord } from '../../wire/record.ts';
import { type AceAction, actionsOf, SHOW } from './actions.ts';
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
  format?: 'text' | 'id',
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
}

const LEAVE = '\x1b[0m\x1b[?25h\x1b[?1049l';
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
const POLL_MS = 1000;

/** Opens the terminal: /dev/tty, so stdout may be a pipe (--pick). */
function openTerminal(): { input: ReadStream; output: WriteStream; fd: number; close(): void } {
  const inFd = openSync('/dev/tty', 'r');
  const outFd = openSync('/dev/tty', 'w');
  const input = new ReadStream(inFd);
  const output = new WriteStream(outFd);
  return {
    input,
    output,
    fd: outFd,
    close() {
      input.destroy();
      try {
        closeSync(outFd);
      } catch {
        // closed with its stream
      }
    },
  };
}

/** Runs the screen until the person leaves; returns the records picked (--pick), else []. */
export async function runScreen(o: ScreenOptions): Promise<NamedRecord[]> {
  const term = openTerminal();
  const m: AceModel = newModel(o.tab);
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
  };
  const load = async (tab: AceTab) => {
    const list = await loadAceList(o.store, tab, { nowMs: o.nowMs(), lean: true });
    lists.set(tab, list);
    refilter(tab);
    // the lines are folded for searching while the person reads, not at the first key
    setImmediate(() => prepareAce(list.items));
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
    const lines = (r.code === 0 ? r.stdout : r.stderr).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    previews.set(id, lines);
    return lines;
  };

  let drawing = Promise.resolve();
  const draw = () => {
    drawing = drawing.then(async () => {
      const { rows, cols } = size();
      const key = `${m.tab} ${selectedKey(m)}`;
      // the list is drawn at once; a card not read yet follows when it is (a keystroke never waits for it)
      const cached = previews.get(`${m.tab} ${selectedKey(m)} ${tip}`);
      if (cached) {
        shownPreview = cached;
        previewFor = key;
      } else if (previewFor !== key && !m.card && !m.help && cols >= 70) {
        previewFor = key;
        shownPreview = ['…'];
        void preview()
          .catch((err: Error) => [err.message])
          .then((lines) => {
            if (previewFor === key && `${m.tab} ${selectedKey(m)}` === key) {
              shownPreview = lines;
              void draw();
            }
          });
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

  const runAction = async (a: AceAction, keys: string[]) => {
    const targets = a.single ? keys.slice(0, 1) : keys;
    m.message = { text: `running ${a.label} on ${targets.join(' ')}`, kind: 'info' };
    await draw();
    const r = await o.run(a.command, [...targets, ...(a.args ?? [])], 'id');
    const said = (r.code === 0 ? r.stdout : r.stderr)
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .find((l) => l.trim());
    m.message =
      r.code === 0
        ? { text: `${a.label}: ${said ?? 'done'}`, kind: 'info' }
        : { text: said ?? `${a.command} exited ${r.code}`, kind: 'error' };
    current(m).marked.clear();
    tip = null; // reload at the next poll, whatever the tip says
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
        const a = actionsOf(m.tab).find((x) => x.name === action);
        if (a && (str === 'y' || str === 'Y')) await runAction(a, keys);
        else m.message = { text: 'not done', kind: 'info' };
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
      if (key.meta && name) {
        const a = actionsOf(m.tab).find((x) => x.key === `alt-${name}`);
        const keys = targetKeys(m);
        if (!a) m.message = { text: `alt-${name} does nothing on ${m.tab} ('?' shows the keys)`, kind: 'error' };
        else if (!keys.length) m.message = { text: `nothing to ${a.label}: the list is empty`, kind: 'error' };
        else if (a.confirm) {
          m.pending = { action: a.name, keys };
          m.message = { text: `${a.label} ${keys.join(' ')}? [y/N]`, kind: 'ask' };
        } else await runAction(a, keys);
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
    term.input.on('keypress', (str, key) => {
      onKey(str, key ?? {}).catch((err: Error) => {
        m.message = { text: err.message.split('\n')[0]!, kind: 'error' };
        void draw();
      });
    });
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
