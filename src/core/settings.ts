// Repository settings every clone shares: settings.json at the top of the
// state tree ({"v":1,"prefix":..,"created_at":..}, canonical JSON). The first
// `sase init` writes it in the state's first commit, and its operation carries
// the settings, so replaying the log rebuilds the file; a state made before
// settings.json existed gets it from a later `sase init`, in a commit of its
// own. Written once: an init operation that finds the file already there does
// not apply (a second clone's init, replayed by a sync, loses to the first).
import { isValidPrefix } from './beads/model.ts';
import { canonicalJson } from './canonical.ts';
import { FatalError, RefusedError } from './errors.ts';
import type { Op } from './oplog.ts';

export const SETTINGS_PATH = 'settings.json';

export interface Settings {
  v: 1;
  /** the bead id prefix every clone mints ids with */
  prefix: string;
  created_at: string;
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function newSettings(prefix: string, at: string): Settings {
  return { v: 1, prefix, created_at: at };
}

/**
 * Checks a settings value read from the ref or from an operation (untrusted).
 * Fields a later sase adds are kept: adding a field is free, as for every record.
 */
export function checkSettings(value: unknown, where: string): Settings {
  const bad = (what: string) => new FatalError(`${where}: ${what}`);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('not a JSON object');
  const r = value as Record<string, unknown>;
  if (r.v !== 1) throw bad(`unsupported version ${JSON.stringify(r.v ?? null)}`);
  if (typeof r.prefix !== 'string' || !isValidPrefix(r.prefix))
    throw bad(`prefix ${JSON.stringify(r.prefix ?? null)} is not lower-case letters, digits, '_' and inner '-'`);
  if (typeof r.created_at !== 'string' || !ISO_SECONDS.test(r.created_at))
    throw bad(`created_at ${JSON.stringify(r.created_at ?? null)} is not an ISO 8601 UTC time`);
  return r as unknown as Settings;
}

export function parseSettings(text: string, where = SETTINGS_PATH): Settings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FatalError(`${where}: not valid JSON`);
  }
  return checkSettings(value, where);
}

export function serializeSettings(s: Settings): string {
  return canonicalJson(s);
}

/** The settings an init operation records, or null for an init from before settings.json. */
export function initOpSettings(op: Op): Settings | null {
  if (!Object.hasOwn(op, 'settings')) return null;
  return checkSettings(op.settings, "malformed operation: 'settings'");
}

/**
 * What an init operation writes on a state whose settings.json holds
 * `existing` (null when it has none): settings.json, or nothing for an init
 * that records no settings. Refused when the state has its settings already.
 */
export function applyInitOp(op: Op, existing: string | null): string | null {
  const settings = initOpSettings(op);
  if (!settings) return null;
  if (existing !== null) throw new RefusedError(`${SETTINGS_PATH} exists already: the settings are written once`);
  return serializeSettings(settings);
}
