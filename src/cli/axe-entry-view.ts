// How `sase axe install` and `sase axe uninstall` show a schedule entry on a
// terminal: each file (or the crontab line) after a line naming it.
import type { EntryPart } from '../core/axe/schedule.ts';
import type { Ctx } from './context.ts';
import { warn } from './io.ts';

/** Each part as it is (or would be) written, after "# <path>" ("# crontab" for the line). */
export function axeEntryText(parts: EntryPart[]): string {
  return parts.map((p) => `# ${p.path ?? 'crontab'}\n${p.text.endsWith('\n') ? p.text : `${p.text}\n`}`).join('\n');
}

export function axeWarnings(ctx: Ctx, warnings: string[]): void {
  for (const w of warnings) warn(ctx, w);
}
