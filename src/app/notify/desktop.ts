// Desktop delivery of new notifications ([notify] desktop = true): notify-send
// or osascript when present, never required. (To be built: see the Axe issue.)
import type { Notification } from '../../core/notifications/model.ts';
import type { Store } from '../../store/store.ts';

/** Shows new notifications on the desktop when the configuration asks and a way is present; never fails. */
export async function deliverDesktop(_store: Store, _made: Notification[]): Promise<void> {}
