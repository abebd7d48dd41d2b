// Times as a person reads them on a terminal: local time with its zone
// (`2026-01-02 14:30:00 +0100`, as git's --date=iso) on cards, or how long ago
// (`3 min ago`) in tables. Records (JSON) keep ISO 8601 UTC: this is for text.
import type { Ctx } from './context.ts';

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter for the zone TZ names (the process's when it names none Intl knows). */
function formatFor(tz: string | undefined): Intl.DateTimeFormat {
  const key = tz ?? '';
  let f = formats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...opts, timeZone: tz || undefined });
    } catch {
      f = new Intl.DateTimeFormat('en-US', opts); // a POSIX TZ ('CET-1') Intl does not take
    }
    formats.set(key, f);
  }
  return f;
}

/** `iso` in the local time of `env` (its TZ), with the zone's offset; the text itself when it is no time. */
export function localTime(iso: string, env: Ctx['env']): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p: Parts = {};
  for (const part of formatFor(env.TZ).formatToParts(ms)) p[part.type] = part.value;
  // 'GMT+01:00' -> '+0100'; 'GMT' is UTC
  const m = /([+-])(\d\d):?(\d\d)/.exec(p.timeZoneName ?? '');
  const zone = m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zone}`;
}

/** How long ago `iso` was at `nowMs` ('3 min ago'; 'in 5 min' for a time to come), in git's steps. */
export function relativeTime(iso: string, nowMs: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const ago = nowMs >= ms;
  const s = Math.floor(Math.abs(nowMs - ms) / 1000);
  const say = (v: number, one: string, many = `${one}s`) => {
    const unit = v === 1 ? one : many;
    return ago ? `${v} ${unit} ago` : `in ${v} ${unit}`;
  };
  if (s < 5) return ago ? 'just now' : 'in a moment';
  if (s < 60) return say(s, 's', 's');
  if (s < 3600) return say(Math.floor(s / 60), 'min', 'min');
  if (s < 86400) return say(Math.floor(s / 3600), 'h', 'h');
  const days = Math.floor(s / 86400);
  if (days < 14) return say(days, 'day');
  if (days < 70) return say(Math.floor(days / 7), 'week');
  if (days < 365) return say(Math.floor(days / 30), 'month');
  return say(Math.floor(days / 365), 'year');
}

/** A time on a card: local, with the zone. */
export function cardTime(ctx: Ctx, iso: string): string {
  return localTime(iso, ctx.env);
}

/** A time in a table: how long ago, against the one clock. */
export function tableTime(ctx: Ctx, iso: string): string {
  return relativeTime(iso, ctx.clock.now().getTime());
}
