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
  isExternalRef,
  isValidId,
  isValidPrefix,
  newBead,
  parseBead,
  STATUSES,
  serializeBead,
  shardOf,
  splitId,
  validateBead,
  withOutside,
} from '../../src/core/beads/model.ts';
import { FatalError, UsageError } from '../../src/core/errors.ts';

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

t.run();
