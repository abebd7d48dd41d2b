// Showing messages on the desktop: notify-send (Linux, any freedesktop
// notification daemon) or, without it, osascript (macOS). Never required and
// never failing: a missing program shows nothing, a failing or slow one is
// left (killed with its process group after a short limit). The texts are
// arguments, never pasted into a shell or a script.
import type { ChildProcess } from 'node:child_process';
import type { DesktopMessage } from '../core/notifications/desktop.ts';
import { childProcess } from './child-process.ts';
import { which } from './which.ts';

export const DESKTOP_TIMEOUT_MS = 3_000;

// AppleScript that reads its texts from its arguments (title, then body)
const OSASCRIPT = ['on run argv', 'display notification (item 2 of argv) with title (item 1 of argv)', 'end run'];

/** The program and arguments that show `m`, with the first of notify-send and osascript found on PATH; null when neither is. */
export function desktopCommand(
  m: DesktopMessage,
  env: Record<string, string | undefined>,
): { path: string; args: string[] } | null {
  const notifySend = which('notify-send', env);
  if (notifySend)
    return { path: notifySend, args: ['--app-name=sase', `--urgency=${m.urgency}`, '--', m.title, m.body] };
  const osascript = which('osascript', env);
  if (osascript) return { path: osascript, args: [...OSASCRIPT.flatMap((l) => ['-e', l]), '--', m.title, m.body] };
  return null;
}

/**
 * Shows each message, one after another; resolves when they are shown or
 * given up on (after one that did not answer in time, the rest are left),
 * never rejects.
 */
export async function showOnDesktop(
  messages: readonly DesktopMessage[],
  env: Record<string, string | undefined>,
  timeoutMs = DESKTOP_TIMEOUT_MS,
): Promise<void> {
  for (const m of messages) {
    const cmd = desktopCommand(m, env);
    if (!cmd) return;
    if (!(await runBriefly(cmd.path, cmd.args, env, timeoutMs))) return;
  }
}

/**
 * Runs a program with no input or output kept, killing its process group
 * after `timeoutMs`; whether it ended in time (whatever its exit). Never rejects.
 */
function runBriefly(
  path: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = childProcess().spawn(path, args, { env: env as NodeJS.ProcessEnv, stdio: 'ignore', detached: true });
    } catch {
      resolve(true);
      return;
    }
    let inTime = true;
    const timer = setTimeout(() => {
      inTime = false;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(inTime);
    };
    child.on('error', done);
    child.on('close', done);
  });
}
