// Desktop delivery of new notifications ([notify] desktop = true): shown with
// notify-send or osascript when one is on PATH (src/proc/desktop.ts), never
// required. The Axe calls it with what createNotificationsOnce made.
import { desktopEnabled, desktopMessages } from '../../core/notifications/desktop.ts';
import type { Notification } from '../../core/notifications/model.ts';
import { showOnDesktop } from '../../proc/desktop.ts';
import type { Store } from '../../store/store.ts';
import { loadConfig } from '../config/config.ts';

/** Shows new notifications on the desktop when the configuration asks and a way is present; never fails. */
export async function deliverDesktop(store: Store, made: Notification[]): Promise<void> {
  if (!made.length) return;
  try {
    if (!desktopEnabled(await loadConfig(store.repo))) return;
    await showOnDesktop(desktopMessages(made), store.repo.env);
  } catch {
    // a desktop notification is a courtesy: a configuration that does not load is said by the commands that need it
  }
}
