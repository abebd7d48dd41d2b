// A real terminal for screen tests: a tmux server of the test's own (its own
// socket), one window of a given size running a shell in a repository, keys
// sent and the screen read back (capture-pane).
import { execFileSync } from 'node:child_process';
import type { TestRepo } from './gitdir.ts';
import { BIN } from './run.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Tmux {
  keys(...keys: string[]): void;
  /** text typed as it is (tmux send-keys -l) */
  type(text: string): void;
  screen(): string;
  /** waits until the screen shows `what` (a string or a pattern); fails after 15 s with the screen */
  waitFor(what: string | RegExp, timeoutMs?: number): Promise<string>;
  resize(cols: number, rows: number): void;
  /** the pid of the pane's shell (what it runs are its children) */
  panePid(): number;
  kill(): void;
}

export function tmuxIn(repo: TestRepo, cols = 120, rows = 24): Tmux {
  const socket = `sase-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: { ...repo.env, TERM: 'xterm-256color' } });
  const env = `PS1='$ ' PATH=${BIN}:${repo.env.PATH} HOME=${repo.home} XDG_CONFIG_HOME=${repo.env.XDG_CONFIG_HOME} TERM=xterm-256color LANG=C.UTF-8`;
  tmux(
    'new-session',
    '-d',
    '-s',
    't',
    '-x',
    String(cols),
    '-y',
    String(rows),
    '-c',
    repo.dir,
    `env ${env} bash --norc --noprofile`,
  );
  const t: Tmux = {
    keys: (...keys) => void tmux('send-keys', '-t', 't', ...keys),
    type: (text) => void tmux('send-keys', '-t', 't', '-l', text),
    screen: () => tmux('capture-pane', '-p', '-t', 't'),
    async waitFor(what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = t.screen();
        if (typeof what === 'string' ? s.includes(what) : what.test(s)) return s;
        if (Date.now() > deadline) throw new Error(`the screen never showed ${String(what)}:\n${s}`);
        await sleep(100);
      }
    },
    resize: (c, r) => void tmux('resize-window', '-t', 't', '-x', String(c), '-y', String(r)),
    panePid: () => Number(tmux('display-message', '-p', '-t', 't', '#{pane_pid}').trim()),
    kill: () => {
      try {
        tmux('kill-server');
      } catch {
        // gone already
      }
    },
  };
  return t;
}

/** A shell in a tmux pane of the repository, `fn` run once its prompt shows, the server killed after. */
export async function withScreen(
  repo: TestRepo,
  fn: (tm: Tmux) => Promise<void>,
  cols = 120,
  rows = 24,
): Promise<void> {
  const tm = tmuxIn(repo, cols, rows);
  try {
    await tm.waitFor('$');
    await fn(tm);
  } finally {
    tm.kill();
  }
}
