import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkConfig, syncConfig } from '../../src/core/config.ts';
import { SaseError } from '../../src/core/errors.ts';
import { applyInitOp, newSettings, parseSettings, serializeSettings } from '../../src/core/settings.ts';

const t = suite('core settings');
const AT = '2026-01-01T00:00:00Z';

const failure = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof SaseError) return err.message;
    throw err;
  }
  throw new Error('did not fail');
};

t('settings.json: canonical, round-trips, and what a later sase adds is kept', () => {
  const s = newSettings('web', AT);
  const text = serializeSettings(s);
  assert.is(text, `{\n  "created_at": "${AT}",\n  "prefix": "web",\n  "v": 1\n}\n`);
  assert.equal(parseSettings(text), s);
  assert.equal(parseSettings('{"v":1,"prefix":"a","created_at":"2026-01-01T00:00:00Z","later":true}').prefix, 'a');
});

t('malformed settings are refused, naming what is wrong', () => {
  const cases: Array<[string, string]> = [
    ['{', 'settings.json: not valid JSON'],
    ['[]', 'settings.json: not a JSON object'],
    ['{"prefix":"a","created_at":"2026-01-01T00:00:00Z"}', 'settings.json: unsupported version null'],
    [
      '{"v":1,"prefix":"A","created_at":"2026-01-01T00:00:00Z"}',
      `settings.json: prefix "A" is not lower-case letters, digits, '_' and inner '-'`,
    ],
    [
      '{"v":1,"prefix":"a","created_at":"yesterday"}',
      'settings.json: created_at "yesterday" is not an ISO 8601 UTC time',
    ],
  ];
  for (const [text, message] of cases)
    assert.is(
      failure(() => parseSettings(text)),
      message,
      text,
    );
});

t('an init operation writes its settings once; an older one writes nothing', () => {
  const op = { op: 'init', version: '1', at: AT, actor: 'a@b', settings: newSettings('ts', AT) };
  assert.is(applyInitOp(op, null), serializeSettings(newSettings('ts', AT)));
  assert.is(
    failure(() => applyInitOp(op, serializeSettings(newSettings('other', AT)))),
    'settings.json exists already: the settings are written once',
  );
  assert.is(applyInitOp({ op: 'init', version: '1', at: AT, actor: 'a@b' }, null), null);
  assert.is(
    failure(() => applyInitOp({ op: 'init', settings: 'ts' }, null)),
    "malformed operation: 'settings': not a JSON object",
  );
});

t('[sync]: remote, auto and claims, checked, with their defaults', () => {
  assert.equal(syncConfig(checkConfig({}, 'c.toml')), { remote: null, auto: false, claims: 'local' });
  assert.equal(syncConfig(checkConfig({ sync: { remote: 'up', auto: true, claims: 'remote' } }, 'c.toml')), {
    remote: 'up',
    auto: true,
    claims: 'remote',
  });
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ remote: '' }, `c.toml: 'sync.remote' must be the name of a git remote (got "")`],
    [{ remote: '-x' }, `c.toml: 'sync.remote' must be the name of a git remote (got "-x")`],
    [{ remote: 'a b' }, `c.toml: 'sync.remote' must be the name of a git remote (got "a b")`],
    [{ remote: 3 }, `c.toml: 'sync.remote' must be the name of a git remote (got 3)`],
    [{ auto: 'yes' }, `c.toml: 'sync.auto' must be true or false (got "yes")`],
    [{ claims: 'both' }, `c.toml: 'sync.claims' must be "local" or "remote" (got "both")`],
    [{ interval: 1 }, "c.toml: unknown key 'sync.interval'"],
  ];
  for (const [sync, message] of bad)
    assert.is(
      failure(() => checkConfig({ sync }, 'c.toml')),
      message,
    );
});

t.run();
