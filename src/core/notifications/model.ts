// Notifications: what sase (Axe, an agent run, a sync) wants a person to see,
// one record a notification at notifications/<id>.json in the state ref. This
// module owns the record: its vocabulary, ids and paths, the checks a stored
// one must pass, the canonical text, the builder other services call, which
// ones a list shows, and resolving a typed id. Pure: the id's random bytes,
// the time and the host are given.
import { parseDuration } from '../axe/duration.ts';
import { canonicalJson } from '../canonical.ts';
import { isoSeconds } from '../clock.ts';
import { AmbiguousError, checkIdentity, FatalError, NotFoundError, UsageError, withHint } from '../errors.ts';

export const NOTIFICATIONS_DIR = 'notifications';

export const NOTIFICATION_TYPES = [
  'run.failed',
  'phase.failed',
  'plan.waiting',
  'workflow.waiting',
  'change.comments',
  'change.submitted',
  'sync.overwritten',
  'sync.left_out',
  'axe.digest',
] as const;
export const SEVERITIES = ['info', 'warning', 'error'] as const;
export const NOTIFICATION_STATES = ['unread', 'read', 'dismissed'] as const;
export const ACTION_VERBS = ['approve', 'retry', 'resume', 'show'] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type NotificationState = (typeof NOTIFICATION_STATES)[number];
export type ActionVerb = (typeof ACTION_VERBS)[number];

/** The families of types: the part before the dot ('sync' for sync.overwritten and sync.left_out). */
export const NOTIFICATION_FAMILIES = ['run', 'phase', 'plan', 'workflow', 'change', 'sync', 'axe'] as const;

/** What a notification is about: a record, by its kind and id ({kind: 'bead', id: 'sase-k3f9abcd'}). */
export interface About {
  kind: string;
  id: string;
}

/** The one thing a person may do about it (`sase notify act` will know the verbs). */
export interface Action {
  verb: ActionVerb;
  target: string;
}

export interface Notification {
  v: 1;
  kind: 'notification';
  id: string;
  type: NotificationType;
  severity: Severity;
  /** one line */
  title: string;
  /** any number of lines; '' when there is nothing more to say */
  body: string;
  about: About[];
  action: Action | null;
  created_at: string;
  /** the machine it was made on, or null when unknown */
  host: string | null;
  state: NotificationState;
  /** hidden from the default list until this time; null when not snoozed */
  snoozed_until: string | null;
}

export const LIMITS = {
  title: 500,
  body: 64 * 1024,
  about: 100,
  /** an about id, an action's target */
  ref: 200,
  host: 255,
};

const ID_RE = /^n-[0-9a-z]{8}$/;
const FILE_RE = /^(n-[0-9a-z]{8})\.json$/;
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const ABOUT_KIND_RE = /^[a-z][a-z0-9_-]{0,39}$/;
/** as sase writes times: ISO 8601 UTC to the second, so string order is time order */
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const LINE_BAD = /[\u0000-\u001f\u007f]/;
const TEXT_BAD = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function isNotificationId(text: string): boolean {
  return ID_RE.test(text);
}

/** Whether `name` is a notification's file name (<id>.json), as the layout of notifications/ requires. */
export function isNotificationFile(name: string): boolean {
  return FILE_RE.test(name);
}

/** A new id from random bytes (at least 8): 'n-' and 8 base36 characters, as bead ids are minted. */
export function notificationIdFrom(random: Uint8Array): string {
  if (random.length < 8) throw new Error('notificationIdFrom needs 8 bytes');
  let out = 'n-';
  for (let i = 0; i < 8; i++) out += BASE36[random[i]! % 36];
  return out;
}

/** Where a notification is stored: notifications/<id>.json. */
export function notificationPath(id: string): string {
  if (!isNotificationId(id)) throw new UsageError(`'${id}' is not a notification id`);
  return `${NOTIFICATIONS_DIR}/${id}.json`;
}

/** The id a path names (notifications/<id>.json), or null for any other path. */
export function idFromNotificationPath(path: string): string | null {
  const slash = path.indexOf('/');
  if (path.slice(0, slash) !== NOTIFICATIONS_DIR) return null;
  return FILE_RE.exec(path.slice(slash + 1))?.[1] ?? null;
}

/** An ISO 8601 UTC time to the second, as sase writes times ('2026-12-01T10:00:00Z'). */
export function isNotificationTime(v: unknown): v is string {
  return typeof v === 'string' && TIME_RE.test(v) && !Number.isNaN(Date.parse(v));
}

function lineProblem(field: string, v: unknown, max: number): string | null {
  if (typeof v !== 'string') return `${field} is not a string`;
  if (v.trim() === '') return `${field} is empty`;
  if (LINE_BAD.test(v)) return `${field} is not one line without control characters`;
  if (v.length > max) return `${field} is too long (${v.length} characters, at most ${max})`;
  return null;
}

const oneOf = (list: readonly string[], v: unknown) => typeof v === 'string' && list.includes(v);
const quoted = (v: unknown) => (JSON.stringify(v) ?? String(v)).slice(0, 60);

/** What is wrong with a value as a notification record (the first problem found), or null. */
export function notificationProblem(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (r.kind !== 'notification') return `kind is not 'notification'`;
  if (r.v !== 1) return `unsupported version ${quoted(r.v)}`;
  if (typeof r.id !== 'string' || !isNotificationId(r.id)) return `id ${quoted(r.id)} is not n- and 8 of a-z, 0-9`;
  if (!oneOf(NOTIFICATION_TYPES, r.type))
    return `type ${quoted(r.type)} is not one of ${NOTIFICATION_TYPES.join(', ')}`;
  if (!oneOf(SEVERITIES, r.severity)) return `severity ${quoted(r.severity)} is not one of ${SEVERITIES.join(', ')}`;
  const title = lineProblem('title', r.title, LIMITS.title);
  if (title) return title;
  if (typeof r.body !== 'string') return 'body is not a string';
  if (TEXT_BAD.test(r.body.replace(/\r\n/g, '\n'))) return 'body has control characters';
  if (r.body.length > LIMITS.body) return `body is too long (${r.body.length} characters, at most ${LIMITS.body})`;
  if (!Array.isArray(r.about)) return 'about is not a list';
  if (r.about.length > LIMITS.about) return `about has ${r.about.length} entries, at most ${LIMITS.about}`;
  for (const a of r.about as unknown[]) {
    const x = a as Record<string, unknown> | null;
    if (!x || typeof x !== 'object' || Array.isArray(x)) return 'an entry of about is not an object {kind, id}';
    if (typeof x.kind !== 'string' || !ABOUT_KIND_RE.test(x.kind))
      return `an entry of about has kind ${quoted(x.kind)}, not a lower-case word`;
    const id = lineProblem('an id in about', x.id, LIMITS.ref);
    if (id) return id;
  }
  if (r.action !== null) {
    const x = r.action as Record<string, unknown> | undefined;
    if (!x || typeof x !== 'object' || Array.isArray(x)) return 'action is not null or an object {verb, target}';
    if (!oneOf(ACTION_VERBS, x.verb))
      return `the action's verb ${quoted(x.verb)} is not one of ${ACTION_VERBS.join(', ')}`;
    const target = lineProblem("the action's target", x.target, LIMITS.ref);
    if (target) return target;
  }
  if (!isNotificationTime(r.created_at)) return 'created_at is not an ISO 8601 UTC time like 2026-12-01T10:00:00Z';
  if (r.host !== null) {
    const host = lineProblem('host', r.host, LIMITS.host);
    if (host) return `${host} (or null)`;
  }
  if (!oneOf(NOTIFICATION_STATES, r.state))
    return `state ${quoted(r.state)} is not one of ${NOTIFICATION_STATES.join(', ')}`;
  if (r.snoozed_until !== null && !isNotificationTime(r.snoozed_until))
    return 'snoozed_until is not null or an ISO 8601 UTC time like 2026-12-01T10:00:00Z';
  return null;
}

/** A notification record read from `where`: fatal, naming `where` and the first problem, when it is not one. */
export function validateNotification(value: unknown, where: string): Notification {
  const problem = notificationProblem(value);
  if (problem) throw new FatalError(`${where}: ${problem}`);
  return value as Notification;
}

/** Parses a stored notification; fields a newer sase added are kept. */
export function parseNotification(text: string, where: string): Notification {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FatalError(`${where}: not valid JSON`);
  }
  return validateNotification(value, where);
}

/** A notification as stored at `path` (notifications/<id>.json): refused, naming the path, when it holds another. */
export function parseStoredNotification(text: string, path: string): Notification {
  const n = parseNotification(text, path);
  checkIdentity(path, n.id, idFromNotificationPath(path));
  return n;
}

export function serializeNotification(n: Notification): string {
  return canonicalJson(n);
}

/** The severity a type gets when its maker names none. */
const DEFAULT_SEVERITY: Record<NotificationType, Severity> = {
  'run.failed': 'error',
  'phase.failed': 'error',
  'plan.waiting': 'info',
  'workflow.waiting': 'info',
  'change.comments': 'info',
  'change.submitted': 'info',
  'sync.overwritten': 'warning',
  'sync.left_out': 'warning',
  'axe.digest': 'warning',
};

/** What a maker of a notification gives; the rest takes its default. */
export interface NotificationFields {
  type: NotificationType;
  title: string;
  created_at: string;
  /** default: by type (failures error, sync and digests warning, the rest info) */
  severity?: Severity;
  body?: string;
  about?: About[];
  action?: Action | null;
  host?: string | null;
  state?: NotificationState;
  snoozed_until?: string | null;
}

/**
 * The record of a new notification with the id given (mint one with
 * notificationIdFrom; the store's newNotificationId does it with the store's
 * randomness): unread, not snoozed, severity by type unless given. Every
 * field is checked as a stored one is: a bad one is a usage error naming it.
 */
export function makeNotification(fields: NotificationFields, id: string): Notification {
  const n: Notification = {
    v: 1,
    kind: 'notification',
    id,
    type: fields.type,
    severity: fields.severity ?? DEFAULT_SEVERITY[fields.type] ?? 'info',
    title: fields.title,
    body: fields.body ?? '',
    about: (fields.about ?? []).map((a) => ({ kind: a.kind, id: a.id })),
    action: fields.action ? { verb: fields.action.verb, target: fields.action.target } : null,
    created_at: fields.created_at,
    host: fields.host ?? null,
    state: fields.state ?? 'unread',
    snoozed_until: fields.snoozed_until ?? null,
  };
  const problem = notificationProblem(n);
  if (problem) throw new UsageError(`notification: ${problem}`);
  return n;
}

/** Snoozed at `nowMs`: its snoozed_until is still to come. */
export function isSnoozed(n: Notification, nowMs: number): boolean {
  return n.snoozed_until !== null && Date.parse(n.snoozed_until) > nowMs;
}

// a date, or a date and time with its zone (Z or an offset): a time without a zone would be read as local
const UNTIL_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * When a snooze given as a duration from `nowMs` (2h, 1d, 1h30m) or as a
 * time (2026-12-02T09:00:00Z, 2026-12-02T09:00+01:00, 2026-12-02 for its
 * midnight UTC) ends, as records write times; a usage error, naming the value,
 * for anything else or a time not after now.
 */
export function snoozeEnd(given: { for: string } | { until: string }, nowMs: number): string {
  let ms: number;
  if ('for' in given) {
    const d = parseDuration(given.for);
    if (d === null)
      throw new UsageError(`'${given.for}' is not a duration: a number and a unit, ms s m h d (30m, 2h, 1d, 1h30m)`);
    ms = nowMs + d;
  } else {
    ms = UNTIL_RE.test(given.until) ? Date.parse(given.until) : Number.NaN;
    if (Number.isNaN(ms))
      throw new UsageError(`'${given.until}' is not a time like 2026-12-02T09:00:00Z (or with an offset, or a date)`);
    if (ms <= nowMs) throw new UsageError(`'${given.until}' is not in the future`);
  }
  // to the second, as records write times: a snooze never ends before the time asked
  return isoSeconds(Math.ceil(ms / 1000) * 1000);
}

/** What the default list shows: not dismissed, not snoozed now. */
export function isShown(n: Notification, nowMs: number): boolean {
  return n.state !== 'dismissed' && !isSnoozed(n, nowMs);
}

/** Whether a notification's type is `kind`, a type or a family of types ('sync'). */
export function isOfKind(n: Notification, kind: string): boolean {
  return n.type === kind || n.type.startsWith(`${kind}.`);
}

/** Newest first; equal times by id. */
export function compareNewestFirst(a: Notification, b: Notification): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The id a person typed names, among `ids`: the id itself, or any unique
 * prefix of the part after 'n-', with or without 'n-'. Malformed or
 * ambiguous (naming the candidates) is a usage error, none a not-found.
 */
export function resolveNotificationId(input: string, ids: readonly string[]): string {
  const text = input.trim().toLowerCase();
  const hash = text.startsWith('n-') ? text.slice(2) : text;
  if (!/^[0-9a-z]{1,8}$/.test(hash)) throw new UsageError(`'${input}' is not a notification id`);
  const exact = `n-${hash}`;
  if (ids.includes(exact)) return exact;
  const hits = ids.filter((id) => id.startsWith(exact)).sort();
  if (hits.length > 1) throw new AmbiguousError(input, hits);
  if (!hits.length) throw withHint(new NotFoundError(`no notification '${input}'`), "try 'sase notify list --all'");
  return hits[0]!;
}
