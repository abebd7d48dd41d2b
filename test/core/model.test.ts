import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type Bead,
  beadPath,
  checkChoice,
  checkLine,
  checkPriority,
  checkText,
  idFromPath,
  idHashAt,
  isExternalRef,
  isValidId,
  isValidIdAt,
  isValidPrefix,
  newBead,
  parseBead,
  parseStoredBead,
  STATUSES,
  serializeBead,
  shardOf,
  splitId,
  validateBead,
  withOutside,
} from '../../src/core/beads/model.ts';
import { FatalError, UsageError } from '../../src/core/errors.ts';
import { prng } from '../helpers/kill.ts';

const t = suite('core/model');

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

function sample(): Bead {
  return newBead({
    id: 'ts-k3f9abcd.1',
    title: 'Cache store',
    issue_type: 'phase',
    parent_id: 'ts-k3f9abcd',
    priority: 1,
    labels: ['perf', 'store'],
    links: [{ kind: 'related', target: 'ts-zzzz0000' }],
    size: 'small',
    owner: 'ada@example.com',
    dependencies: [{ depends_on_id: 'ts-aaaa0000', created_at: '2026-01-01T00:00:00Z', created_by: 'ada@example.com' }],
    close_history: [
      {
        closed_at: '2026-01-02T00:00:00Z',
        close_reason: 'oops',
        resolution: 'done',
        reopened_at: '2026-01-03T00:00:00Z',
        reopened_by: null,
      },
    ],
    description: 'line one\nline two\ttabbed',
    created_at: '2026-01-01T00:00:00Z',
    created_by: 'ada@example.com',
  });
}

t('isValidId accepts top-level ids, children and prefixes with dashes', () => {
  for (const id of [
    'bd-kwro',
    'bd-kwro.1',
    'bd-kwro.1.12',
    'bd-wisp-0385z',
    'ts-1',
    'my_proj-abc',
    'a-b',
    'x'.repeat(49) + '-' + 'y'.repeat(50),
  ]) {
    assert.ok(isValidId(id), id);
  }
});

t('isValidId rejects paths, upper case, empty, no dash and junk', () => {
  for (const id of [
    '../x',
    'a/b',
    'bd-../x',
    'BD-KWRO',
    'bd-Kwro',
    '',
    'x',
    'bd-',
    '-kwro',
    'bd--kwro',
    'bd-kwro.',
    'bd-kwro.a',
    'bd-kwro..1',
    'bd-kw ro',
    'bd-kw\nro',
    'bd-kwro\u0000',
    '.bd-kwro',
    'bd-kw_ro',
    'x'.repeat(60) + '-' + 'y'.repeat(50),
  ]) {
    assert.not.ok(isValidId(id), JSON.stringify(id));
  }
});

t('isValidPrefix', () => {
  for (const p of ['ts', 'bd-wisp', 'my_proj', 'a1']) assert.ok(isValidPrefix(p), p);
  for (const p of ['', 'TS', '-ts', 'ts-', 'a/b', 'a.b', 'x'.repeat(41)]) assert.not.ok(isValidPrefix(p), p);
});

t('splitId and shardOf', () => {
  assert.equal(splitId('bd-wisp-0385z.1.2'), { prefix: 'bd-wisp', hash: '0385z', suffix: '.1.2' });
  assert.equal(splitId('ts-k3f9abcd'), { prefix: 'ts', hash: 'k3f9abcd', suffix: '' });
  assert.is(shardOf('bd-kwro.3'), 'kw');
  assert.is(shardOf('ts-1'), '1');
});

t('beadPath shards by the first two characters of the hash; idFromPath inverts it', () => {
  const cases: Array<[string, string]> = [
    ['bd-kwro', 'beads/kw/bd-kwro.json'],
    ['bd-kwro.1', 'beads/kw/bd-kwro.1.json'],
    ['bd-kwro.1.2', 'beads/kw/bd-kwro.1.2.json'],
    ['bd-wisp-0385z', 'beads/03/bd-wisp-0385z.json'],
    ['ts-1', 'beads/1/ts-1.json'],
  ];
  for (const [id, path] of cases) {
    assert.is(beadPath(id), path);
    assert.is(idFromPath(path), id);
  }
  for (const bad of ['../x', 'a/b', 'BD-X', '', 'x']) {
    const err = thrown(() => beadPath(bad));
    assert.instance(err, UsageError);
    assert.is(err.message, `'${bad}' is not a valid bead id`);
  }
  for (const p of [
    'beads/kw/bd-kwro.txt',
    'beads/kwx/bd-kwro.json',
    'other/kw/bd-kwro.json',
    'beads/kw/BAD.json',
    'beads/kw/sub/bd-kwro.json',
    'VERSION',
  ]) {
    assert.is(idFromPath(p), null, p);
  }
});

t('validateBead accepts a full bead and a fresh one', () => {
  const b = sample();
  assert.is(validateBead(b, 'x'), b);
  const fresh = newBead({ id: 'ts-abcd', title: 't', created_at: '2026-01-01T00:00:00Z' });
  assert.is(fresh.updated_at, '2026-01-01T00:00:00Z');
  assert.is(fresh.status, 'open');
  assert.is(fresh.priority, 2);
  assert.is(fresh.issue_type, 'task');
  validateBead(fresh, 'x');
});

t('external references, and the optional missing and satisfied lists', () => {
  assert.ok(isExternalRef('external:gastown:gt-5kjn'));
  assert.ok(isExternalRef('external:my.proj:cap:with:colons'));
  for (const bad of ['external:', 'external:p', 'external::c', 'external:p:', 'external:p q:c', 'ext:p:c', 'ts-abcd'])
    assert.not.ok(isExternalRef(bad), bad);
  const b = {
    ...sample(),
    dependencies: [{ depends_on_id: 'external:gastown:gt-5kjn', created_at: '2026-01-01T00:00:00Z', created_by: null }],
    missing: ['ts-gone'],
    satisfied: [{ ref: 'external:gastown:gt-5kjn', satisfied_at: '2026-01-02T00:00:00Z', satisfied_by: 'ann' }],
  };
  assert.is(validateBead(b, 'x'), b);
  // never stored empty: the same content has one form
  const plain = withOutside(sample(), { missing: [], satisfied: [] });
  assert.not.ok('missing' in plain || 'satisfied' in plain);
  assert.equal(withOutside(sample(), { missing: ['ts-b', 'ts-a', 'ts-b'] }).missing, ['ts-a', 'ts-b']);
});

t('validateBead rejects each kind of bad field, naming it, as a fatal error', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['null', null, /^w: not a JSON object$/],
    ['array', [], /^w: not a JSON object$/],
    ['string', 'bead', /^w: not a JSON object$/],
    ['kind', { kind: 'plan' }, /^w: kind is not 'bead'$/],
    ['v', { v: 2 }, /^w: unsupported version 2$/],
    ['v missing', { v: undefined }, /^w: unsupported version undefined$/],
    ['id', { id: '../x' }, /^w: invalid id "\.\.\/x"$/],
    ['id type', { id: 7 }, /^w: invalid id 7$/],
    ['title', { title: null }, /^w: title is not a string$/],
    ['issue_type', { issue_type: 'bug' }, /^w: issue_type "bug" is unknown$/],
    ['tier', { tier: 'saga' }, /^w: tier "saga" is unknown$/],
    ['status', { status: 'blocked' }, /^w: status "blocked" is unknown$/],
    ['priority high', { priority: 5 }, /^w: priority is not 0-4$/],
    ['priority low', { priority: -1 }, /^w: priority is not 0-4$/],
    ['priority fraction', { priority: 1.5 }, /^w: priority is not 0-4$/],
    ['priority string', { priority: '2' }, /^w: priority is not 0-4$/],
    ['parent_id', { parent_id: 'A/B' }, /^w: parent_id is invalid$/],
    ['parent_id type', { parent_id: 3 }, /^w: parent_id is invalid$/],
    ['dependencies', { dependencies: {} }, /^w: dependencies is not a list$/],
    ['dependency id', { dependencies: [{ depends_on_id: '../x' }] }, /^w: a dependency names an invalid id$/],
    ['dependency null', { dependencies: [null] }, /^w: a dependency names an invalid id$/],
    ['labels', { labels: 'a' }, /^w: labels, links or close_history is not a list$/],
    ['links', { links: null }, /^w: labels, links or close_history is not a list$/],
    ['close_history', { close_history: {} }, /^w: labels, links or close_history is not a list$/],
    ['size', { size: 'huge' }, /^w: size "huge" is unknown$/],
    ['resolution', { resolution: 'wontfix' }, /^w: resolution is unknown$/],
    ['created_at', { created_at: null }, /^w: created_at is not a string$/],
    ['updated_at', { updated_at: 5 }, /^w: updated_at is not a string$/],
    ['external ref', { dependencies: [{ depends_on_id: 'external:a b:c' }] }, /^w: a dependency names an invalid id$/],
    ['missing', { missing: 'ts-x' }, /^w: missing is not a list of bead ids$/],
    ['missing id', { missing: ['../x'] }, /^w: missing is not a list of bead ids$/],
    ['satisfied', { satisfied: {} }, /^w: satisfied is not a list of \{ref, satisfied_at, satisfied_by\}$/],
    [
      'satisfied ref',
      { satisfied: [{ ref: 'x y', satisfied_at: 'now', satisfied_by: null }] },
      /^w: satisfied is not a list of \{ref, satisfied_at, satisfied_by\}$/,
    ],
    [
      'satisfied by',
      { satisfied: [{ ref: 'ts-x', satisfied_at: '2026-01-01T00:00:00Z', satisfied_by: 5 }] },
      /^w: satisfied is not a list of \{ref, satisfied_at, satisfied_by\}$/,
    ],
  ];
  for (const [name, patch, re] of bad) {
    const value =
      patch !== null && typeof patch === 'object' && !Array.isArray(patch) ? { ...sample(), ...patch } : patch;
    const err = thrown(() => validateBead(value, 'w'));
    assert.instance(err, FatalError, name);
    assert.is((err as FatalError).exitCode, 128);
    assert.match(err.message, re, name);
  }
});

t('serializeBead is canonical: sorted keys at every level, 2-space indent, trailing newline', () => {
  const b = sample();
  const text = serializeBead(b);
  assert.ok(text.endsWith('}\n'));
  assert.not.ok(text.endsWith('\n\n'));
  const lines = text.split('\n');
  assert.is(lines[0], '{');
  assert.is(lines[1], '  "assignee": null,');
  const topKeys = lines.filter((l) => /^ {2}"/.test(l)).map((l) => /^ {2}"([^"]+)"/.exec(l)![1]!);
  assert.equal(topKeys, Object.keys(b).sort());
  assert.ok(
    text.includes(
      '    {\n      "created_at": "2026-01-01T00:00:00Z",\n      "created_by": "ada@example.com",\n      "depends_on_id": "ts-aaaa0000"\n    }',
    ),
  );
  assert.ok(text.includes('"kind": "related",\n      "target"'));
  // key order of the input does not matter
  const shuffled = Object.fromEntries(Object.entries(b).reverse()) as unknown as Bead;
  shuffled.dependencies = [
    {
      created_by: 'ada@example.com',
      depends_on_id: 'ts-aaaa0000',
      created_at: '2026-01-01T00:00:00Z',
    } as Bead['dependencies'][number],
  ];
  assert.is(serializeBead(shuffled), text);
});

t('parse(serialize(b)) equals b and serialize(parse(x)) is canonical', () => {
  const b = sample();
  const text = serializeBead(b);
  assert.equal(parseBead(text, 'x'), b);
  assert.is(serializeBead(parseBead(text, 'x')), text);
  const compact = JSON.stringify(b);
  assert.is(serializeBead(parseBead(compact, 'x')), text);
  for (const status of STATUSES) {
    const s = { ...b, status };
    assert.equal(parseBead(serializeBead(s), 'x'), s);
  }
});

t('parseBead: invalid JSON and invalid records are fatal and name where', () => {
  const err = thrown(() => parseBead('{"v":1,', 'beads/ab/ts-ab.json'));
  assert.instance(err, FatalError);
  assert.is(err.message, 'beads/ab/ts-ab.json: not valid JSON');
  const err2 = thrown(() => parseBead('{"v":1}', 'p'));
  assert.instance(err2, FatalError);
  assert.is(err2.message, "p: kind is not 'bead'");
});

t('checkLine, checkText, checkChoice, checkPriority', () => {
  assert.is(checkLine('title', 'ok', 10), 'ok');
  assert.is(thrown(() => checkLine('title', '  ', 10)).message, 'title must not be empty');
  assert.is(thrown(() => checkLine('title', 'a\nb', 10)).message, 'title must be one line without control characters');
  assert.is(
    thrown(() => checkLine('title', 'a\u001bb', 10)).message,
    'title must be one line without control characters',
  );
  assert.is(
    thrown(() => checkLine('title', 'x'.repeat(11), 10)).message,
    'title is too long (11 characters, at most 10)',
  );
  assert.is(checkText('d', 'a\nb\tc\r\nd'), 'a\nb\tc\r\nd');
  assert.instance(
    thrown(() => checkText('d', 'a\u0007b')),
    UsageError,
  );
  assert.is(thrown(() => checkText('d', 'xyz', 2)).message, 'd is too long (3 characters, at most 2)');
  assert.is(checkChoice('size', 'small', ['small', 'large'] as const), 'small');
  assert.is(
    thrown(() => checkChoice('size', 'huge', ['small', 'large'] as const)).message,
    "size 'huge' is not one of small, large",
  );
  assert.is(checkPriority(0), 0);
  assert.is(checkPriority('4'), 4);
  assert.is(checkPriority('p1'), 1);
  assert.is(checkPriority('P3'), 3);
  for (const bad of [5, -1, 2.5, '1.5', 'high', '', ' ', 'p', '0x2', '1e0', ' 2', '12']) {
    const err = thrown(() => checkPriority(bad));
    assert.instance(err, UsageError, String(bad));
    assert.is(err.message, `priority '${String(bad)}' is not a whole number from 0 to 4`);
  }
});

// the pattern isValidId scans by hand
const ID_RE = /^[a-z0-9][a-z0-9_]*(?:-[a-z0-9_]+)*-[a-z0-9]+(?:\.[0-9]+)*$/;
const byRegex = (id: string) => id.length <= 100 && ID_RE.test(id);

/** Strings near the id pattern: its pieces, and characters just outside its classes. */
function nearId(rnd: () => number): string {
  const GOOD = ['a', 'z', '0', '9', '_', '-', '.', '1', '12', 'bd', 'kwro', 'ts-', '-ab', '.3', '_x'];
  const ODD = ['/', 'A', '`', '{', ':', '@', ' ', '\n', '\u0000', '\u00e9', '..', '--', '.json', '/', '\u2028'];
  let s = '';
  const n = Math.floor(rnd() * 9);
  for (let i = 0; i < n; i++) {
    const list = rnd() < 0.1 ? ODD : GOOD;
    s += list[Math.floor(rnd() * list.length)];
  }
  if (rnd() < 0.05) s = `${'x'.repeat(40 + Math.floor(rnd() * 30))}-${'y'.repeat(Math.floor(rnd() * 40))}${s}`;
  return s;
}

t('isValidId is the id pattern (at most 100 characters), on edge cases and random strings', () => {
  const edge = [
    'a-b',
    'a-b.1',
    '0-0',
    '_-a',
    'a_-b',
    'a-_b',
    'a-b_',
    'a-b.',
    'a-b.1.',
    'a-.1',
    'a--b',
    '-a-b',
    'a-b-',
    'a.1-b',
    'a-b.1a',
    'a-b\n',
    '\na-b',
    'a-b.1\n',
  ];
  for (let len = 98; len <= 102; len++) edge.push(`${'a'.repeat(len - 2)}-b`, `a-${'b'.repeat(len - 4)}.1`);
  for (const id of edge) assert.is(isValidId(id), byRegex(id), JSON.stringify(id));
  const rnd = prng(3);
  let valid = 0;
  for (let k = 0; k < 100000; k++) {
    const id = nearId(rnd);
    assert.is(isValidId(id), byRegex(id), JSON.stringify(id));
    if (byRegex(id)) valid++;
  }
  assert.ok(valid > 5000, `only ${valid} valid ids drawn`);
});

t('isValidIdAt judges a part of a string; idHashAt finds where its hash starts', () => {
  const rnd = prng(5);
  for (let k = 0; k < 20000; k++) {
    const before = nearId(rnd);
    const id = nearId(rnd);
    const s = before + id + nearId(rnd);
    const at = before.length;
    assert.is(isValidIdAt(s, at, at + id.length), byRegex(id), JSON.stringify([s, at]));
    const hash = idHashAt(s, at, at + id.length);
    assert.is(hash, byRegex(id) ? at + id.length - splitId(id).suffix.length - splitId(id).hash.length : -1, id);
  }
});

function oldParseStoredBead(text: string, path: string): Bead {
  const bead = parseBead(text, path);
  const m = /^beads\/[a-z0-9_]{1,2}\/(.+)\.json$/.exec(path);
  const named = m && byRegex(m[1]!) ? m[1]! : null;
  if (bead.id !== named)
    throw new FatalError(`state: '${path}' holds the record of '${bead.id}', not of '${named ?? '?'}'`);
  return bead;
}

t('parseStoredBead takes and refuses the paths it did (the record of another bead, a path of another form)', () => {
  const rnd = prng(9);
  const ids = ['ts-abcd', 'ts-abcd.1', 'bd-wisp-0385z', 'a-b', 'ts-ab.json', 'ts-a_b', 'ts-abce'];
  for (let k = 0; k < 5000; k++) {
    const id = ids[Math.floor(rnd() * ids.length)]!;
    const named = rnd() < 0.6 ? id : rnd() < 0.5 ? ids[Math.floor(rnd() * ids.length)]! : nearId(rnd);
    const shard = ['ab', 'a', '03', 'a_', 'A', '', 'abc', 'a/', '.'][Math.floor(rnd() * 9)]!;
    const path = [
      `beads/${shard}/${named}.json`,
      `beads/${shard}/${named}.JSON`,
      `x/${shard}/${named}.json`,
      `beads/${shard}//${named}.json`,
      `beads/${shard}/${named}.json\n`,
    ][rnd() < 0.8 ? 0 : Math.floor(rnd() * 5)]!;
    const text = serializeBead({ ...sample(), id });
    let want: unknown;
    let got: unknown;
    try {
      want = oldParseStoredBead(text, path).id;
    } catch (err) {
      want = (err as Error).message;
    }
    try {
      got = parseStoredBead(text, path).id;
    } catch (err) {
      got = (err as Error).message;
    }
    assert.is(got, want, path);
  }
});

// validateBead as it was, kept as the oracle: the same beads taken, the same first problem named
function oldValidateBead(b: unknown, where: string): Bead {
  const bad = (what: string) => new FatalError(`${where}: ${what}`);
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw bad('not a JSON object');
  const r = b as Record<string, unknown>;
  if (r.kind !== 'bead') throw bad(`kind is not 'bead'`);
  if (r.v !== 1) throw bad(`unsupported version ${JSON.stringify(r.v)}`);
  if (typeof r.id !== 'string' || !byRegex(r.id)) throw bad(`invalid id ${JSON.stringify(r.id)}`);
  if (typeof r.title !== 'string') throw bad('title is not a string');
  if (!['plan', 'phase', 'task'].includes(r.issue_type as string))
    throw bad(`issue_type ${JSON.stringify(r.issue_type)} is unknown`);
  if (r.tier !== null && !['plan', 'epic', 'legend'].includes(r.tier as string))
    throw bad(`tier ${JSON.stringify(r.tier)} is unknown`);
  if (!['open', 'claimed', 'in_progress', 'closed'].includes(r.status as string))
    throw bad(`status ${JSON.stringify(r.status)} is unknown`);
  if (!Number.isInteger(r.priority) || (r.priority as number) < 0 || (r.priority as number) > 4)
    throw bad('priority is not 0-4');
  if (r.parent_id !== null && (typeof r.parent_id !== 'string' || !byRegex(r.parent_id)))
    throw bad('parent_id is invalid');
  if (!Array.isArray(r.dependencies)) throw bad('dependencies is not a list');
  for (const d of r.dependencies as { depends_on_id: unknown }[]) {
    if (!d || typeof d.depends_on_id !== 'string' || !(byRegex(d.depends_on_id) || isExternalRef(d.depends_on_id)))
      throw bad('a dependency names an invalid id');
  }
  if (
    r.missing !== undefined &&
    !(Array.isArray(r.missing) && r.missing.every((m) => typeof m === 'string' && byRegex(m)))
  )
    throw bad('missing is not a list of bead ids');
  if (
    r.satisfied !== undefined &&
    !(
      Array.isArray(r.satisfied) &&
      r.satisfied.every(
        (x: { ref: unknown; satisfied_at: unknown; satisfied_by: unknown }) =>
          x &&
          typeof x.ref === 'string' &&
          (byRegex(x.ref) || isExternalRef(x.ref)) &&
          typeof x.satisfied_at === 'string' &&
          (x.satisfied_by === null || typeof x.satisfied_by === 'string'),
      )
    )
  )
    throw bad('satisfied is not a list of {ref, satisfied_at, satisfied_by}');
  if (!Array.isArray(r.labels) || !Array.isArray(r.links) || !Array.isArray(r.close_history))
    throw bad('labels, links or close_history is not a list');
  if (r.size !== null && !['xsmall', 'small', 'medium', 'large', 'xlarge'].includes(r.size as string))
    throw bad(`size ${JSON.stringify(r.size)} is unknown`);
  if (r.resolution !== null && !['done', 'canceled', 'superseded'].includes(r.resolution as string))
    throw bad('resolution is unknown');
  for (const key of ['created_at', 'updated_at'] as const)
    if (typeof r[key] !== 'string') throw bad(`${key} is not a string`);
  return r as unknown as Bead;
}

t('validateBead takes and refuses what it did, naming the same first problem, on random damage', () => {
  const rnd = prng(13);
  const VALUES: unknown[] = [
    null,
    undefined,
    0,
    1,
    2,
    5,
    -1,
    1.5,
    '',
    'x',
    'ts-abcd',
    'external:p:c',
    'bead',
    'task',
    'epic',
    'open',
    'closed',
    'small',
    'done',
    [],
    ['ts-abcd'],
    ['x'],
    [null],
    [{ depends_on_id: 'ts-abcd' }],
    [{ depends_on_id: 'X' }],
    [{ ref: 'ts-a', satisfied_at: 't', satisfied_by: null }],
    [{ ref: 'ts-a', satisfied_at: 1, satisfied_by: null }],
    {},
    true,
  ];
  const KEYS = [
    'kind',
    'v',
    'id',
    'title',
    'issue_type',
    'tier',
    'status',
    'priority',
    'parent_id',
    'dependencies',
    'missing',
    'satisfied',
    'labels',
    'links',
    'close_history',
    'size',
    'resolution',
    'created_at',
    'updated_at',
  ];
  const outcome = (fn: () => Bead) => {
    try {
      return fn().id;
    } catch (err) {
      return (err as Error).message;
    }
  };
  let taken = 0;
  for (let k = 0; k < 20000; k++) {
    const b: Record<string, unknown> = { ...sample() };
    const n = Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const key = KEYS[Math.floor(rnd() * KEYS.length)]!;
      const value = VALUES[Math.floor(rnd() * VALUES.length)];
      if (value === undefined && rnd() < 0.5) delete b[key];
      else b[key] = value;
    }
    const want = outcome(() => oldValidateBead(b, 'p'));
    assert.is(
      outcome(() => validateBead(b, 'p')),
      want,
      JSON.stringify(b),
    );
    if (want === b.id) taken++;
  }
  assert.ok(taken > 1000, `only ${taken} taken`);
  for (const v of [null, 1, 'x', [], [1]])
    assert.is(
      outcome(() => validateBead(v, 'p')),
      outcome(() => oldValidateBead(v, 'p')),
    );
});

t.run();
