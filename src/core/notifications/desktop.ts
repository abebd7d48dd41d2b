// Desktop delivery of notifications ([notify] desktop = true): the setting,
// and what a desktop notification says (a title, a line or two, an urgency).
// Pure: src/proc/desktop.ts shows them.
import { FatalError } from '../errors.ts';
import type { Notification, Severity } from './model.ts';

/** Checks [notify]: desktop is true or false. */
export function checkNotifyConfig(body: Record<string, unknown>, file: string): void {
  if (body.desktop !== undefined && typeof body.desktop !== 'boolean')
    throw new FatalError(`${file}: 'notify.desktop' must be true or false (got ${JSON.stringify(body.desktop)})`);
}

/** Whether the configuration asks for desktop notifications (off unless [notify] desktop = true). */
export function desktopEnabled(config: { readonly [section: string]: unknown }): boolean {
  return (config.notify as { desktop?: unknown } | undefined)?.desktop === true;
}

export interface DesktopMessage {
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
}

/** At most this many are shown one by one; the rest are summed up in one more. */
export const MAX_DESKTOP = 5;
const MAX_BODY = 300;

const URGENCY: Record<Severity, DesktopMessage['urgency']> = { info: 'normal', warning: 'normal', error: 'critical' };

/** A desktop message a notification (the first MAX_DESKTOP), and one that counts the rest. */
export function desktopMessages(made: readonly Notification[]): DesktopMessage[] {
  const out = made.slice(0, MAX_DESKTOP).map((n) => {
    const first = n.body.split(/\r?\n/).find((l) => l.trim()) ?? '';
    const body = `${n.severity}: ${n.type}${n.action ? ` (sase notify act ${n.id})` : ''}${first ? `\n${first}` : ''}`;
    return { title: `sase: ${n.title}`, body: body.slice(0, MAX_BODY), urgency: URGENCY[n.severity] };
  });
  const rest = made.slice(MAX_DESKTOP);
  if (rest.length)
    out.push({
      title: `sase: ${rest.length} more notification${rest.length === 1 ? '' : 's'}`,
      body: "'sase notify list' lists them",
      urgency: rest.some((n) => n.severity === 'error') ? 'critical' : 'normal',
    });
  return out;
}
