// Reading the repository settings (settings.json, core/settings.ts) from a
// snapshot of the state ref; like every record read from the ref, untrusted.
import { SaseError, stateError } from '../core/errors.ts';
import { parseSettings, SETTINGS_PATH, type Settings } from '../core/settings.ts';
import type { Snapshot } from './snapshot.ts';

/** The state's settings, or null for a state made before settings.json (or no state); fatal when malformed. */
export async function readSettings(snap: Snapshot): Promise<Settings | null> {
  const text = await snap.readText(SETTINGS_PATH);
  if (text === null) return null;
  try {
    return parseSettings(text, SETTINGS_PATH);
  } catch (err) {
    if (!(err instanceof SaseError)) throw err;
    throw stateError(SETTINGS_PATH, `is malformed (${err.message.slice(SETTINGS_PATH.length + 2)})`);
  }
}
