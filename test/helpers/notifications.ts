// Notifications in tests: made through the store API other services use
// (createNotifications, as sase sync and Axe do), or written by hand with
// chosen ids as a notify.create operation (which replays, so sase-fsck still
// passes), or tampered with.
import { machineClock, machineRandom } from '../../src/cli/context.ts';
import {
  makeNotification,
  type Notification,
  type NotificationFields,
  notificationPath,
} from '../../src/core/notifications/model.ts';
import { createNotifications } from '../../src/store/notifications.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import type { TestRepo } from './gitdir.ts';
import { canonical, opMessage, writeStateCommit } from './state.ts';

export const T0 = '2026-12-01T10:00:00Z';
const ME = 'author@example.com';

/** Runs `fn` with a store of the repository (its clock pinned to `now` when given). */
export async function withStore<T>(repo: TestRepo, fn: (store: Store) => Promise<T>, now?: string): Promise<T> {
  const env = now ? { ...repo.env, SASE_NOW: now } : repo.env;
  const store = await openStore({ cwd: repo.dir, env }, { clock: machineClock(env), random: machineRandom });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Creates notifications in one notify.create commit, through the store API; returns the records. */
export function addNotifications(
  repo: TestRepo,
  fields: Array<Partial<NotificationFields> & { title?: string }>,
  now = T0,
): Promise<Notification[]> {
  return withStore(
    repo,
    (store) =>
      createNotifications(
        store,
        fields.map((f) => ({ type: 'run.failed' as const, title: 'a run failed', ...f })),
      ),
    now,
  );
}

/** A notification record with a chosen id: a failed run at T0 unless `fields` say otherwise. */
export function notificationRecord(id: string, fields: Partial<Notification> = {}): Notification {
  return { ...makeNotification({ type: 'run.failed', title: `notification ${id}`, created_at: T0 }, id), ...fields };
}

/** Writes records by hand as one notify.create operation (which replays); returns the commit. */
export function plantNotifications(repo: TestRepo, records: Notification[]): string {
  const files: Record<string, string> = {};
  for (const n of records) files[notificationPath(n.id)] = canonical(n);
  const ids = records.map((n) => n.id);
  return writeStateCommit(
    repo,
    files,
    opMessage(`notify create ${ids.join(' ')}`, {
      op: 'notify.create',
      ids,
      notifications: records,
      at: T0,
      actor: ME,
    }),
  );
}
