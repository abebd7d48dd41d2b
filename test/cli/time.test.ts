// Times for people: on a terminal, cards give local time with the zone and
// tables say how long ago; records on a pipe (JSON) stay ISO 8601 UTC.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { localTime, relativeTime } from '../../src/cli/time.ts';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { addNotifications, T0 } from '../helpers/notifications.ts';
import { ok, sase, tableRows } from '../helpers/run.ts';

const t = suite('times');

t('local time with the zone, as git --date=iso shows it', () => {
  const at = '2026-01-01T00:00:00Z';
  assert.is(localTime(at, { TZ: 'UTC' }), '2026-01-01 00:00:00 +0000');
  assert.is(localTime(at, { TZ: 'Asia/Tokyo' }), '2026-01-01 09:00:00 +0900');
  assert.is(localTime(at, { TZ: 'Asia/Kolkata' }), '2026-01-01 05:30:00 +0530');
  assert.is(localTime(at, { TZ: 'America/New_York' }), '2025-12-31 19:00:00 -0500');
  assert.is(localTime('2026-07-01T12:00:00Z', { TZ: 'Europe/Paris' }), '2026-07-01 14:00:00 +0200');
  assert.is(localTime('not a time', { TZ: 'UTC' }), 'not a time');
});

t('how long ago, and how long until', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const ago = (s: number) => relativeTime(new Date(now - s * 1000).toISOString(), now);
  assert.is(ago(0), 'just now');
  assert.is(ago(30), '30 s ago');
  assert.is(ago(60), '1 min ago');
  assert.is(ago(3 * 60 + 10), '3 min ago');
  assert.is(ago(5 * 3600), '5 h ago');
  assert.is(ago(86400), '1 day ago');
  assert.is(ago(3 * 86400), '3 days ago');
  assert.is(ago(21 * 86400), '3 weeks ago');
  assert.is(ago(100 * 86400), '3 months ago');
  assert.is(ago(800 * 86400), '2 years ago');
  assert.is(ago(-300), 'in 5 min');
});

t('a card on a terminal: local time with its zone; the record stays UTC', async () => {
  const repo = await initedRepo();
  const b = await createBead(repo, ['--title', 'timed'], '2026-01-01T00:00:00Z');
  const text = await sase(repo, 'bead-show', [b.id, '--format', 'text'], { env: { TZ: 'Asia/Tokyo' } });
  assert.is(text.code, 0, text.stderr);
  // broken before: 'created:    2026-01-01T00:00:00Z'
  assert.match(text.stdout, /^created: +2026-01-01 09:00:00 \+0900/m);
  assert.match(text.stdout, /^updated: +2026-01-01 09:00:00 \+0900$/m);
  const [json] = await ok(repo, 'bead-show', [b.id], { env: { TZ: 'Asia/Tokyo' } });
  assert.is(json!.created_at, '2026-01-01T00:00:00Z');
});

t('a table on a terminal: how long ago', async () => {
  const repo = await initedRepo();
  await addNotifications(repo, [{ title: 'later' }]);
  const at = new Date(Date.parse(T0) + 3 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await sase(repo, 'notify-list', ['--format', 'text'], { env: { SASE_NOW: at } });
  assert.is(r.code, 0, r.stderr);
  // broken before: '2026-12-01T10:00:00Z'
  assert.is(tableRows(r.stdout)[0]!.CREATED, '3 min ago');
  const [json] = await ok(repo, 'notify-list', [], { env: { SASE_NOW: at } });
  assert.is(json!.created_at, T0);
});

t.run();
