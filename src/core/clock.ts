// Time and chance are passed in: only src/cli/context.ts reads the machine's
// clocks and randomness, and everything below gets them from there (a
// command's context, a store, a service's environment). So a test or a demo
// can pin the time records carry, and no module hides a source of its own.

export interface Clock {
  /** The time records carry: the real time, unless SASE_NOW pins it (tests, demos). */
  now(): Date;
  /**
   * The machine's real time (ms since the epoch), never pinned: for what is
   * compared with other processes' clocks, file times, locks and process ages.
   */
  wallMs(): number;
  /** A monotonic count of milliseconds, for deadlines, durations and back-off within this process. */
  ms(): number;
}

/** Random bytes (node:crypto in a command; anything in a test). */
export type Random = (n: number) => Promise<Uint8Array>;

/** A time as every sase record writes it: ISO 8601 UTC to the second ('2026-11-25T21:30:00Z'). */
export function isoSeconds(t: Date | number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The clock's now, as records write it. */
export function nowIso(clock: Clock): string {
  return isoSeconds(clock.now());
}

/** A random (version 4) UUID made of 16 random bytes: a provider's session id. */
export function uuidFrom(bytes: Uint8Array): string {
  const b = [...bytes.subarray(0, 16)];
  if (b.length < 16) throw new Error('uuidFrom needs 16 bytes');
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A number in [0, 1) from random bytes, for jitter. */
export async function randomFraction(random: Random): Promise<number> {
  const [a = 0, b = 0] = await random(2);
  return (a * 256 + b) / 65536;
}
