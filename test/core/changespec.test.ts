// The ChangeSpec text format against its corpus (test/fixtures/changes):
// every valid record parses, serialises to its canonical text (itself, or
// <name>.canonical.cs beside it), the canonical text is a fixed point, and
// the JSON form carries every field back; every invalid one fails with
// exactly its `fatal: <path>:<line>: <what>`. The status moves are checked
// pair by pair against the table in FORMATS.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CHANGE_STATUSES,
  type ChangeSpec,
  type ChangeStatus,
  parseChangeSpec,
  serializeChangeSpec,
} from '../../src/core/changes/spec.ts';
import {
  ancestors,
  changeQuery,
  checkParent,
  descendants,
  stackPlace,
  treeOrder,
} from '../../src/core/changes/stack.ts';
import { allowedMoves, canMove, moveStatus, TERMINAL } from '../../src/core/changes/status.ts';
import { FatalError, NotFoundError, RefusedError, type SaseError, UsageError } from '../../src/core/errors.ts';
import { changeFromWire, changeToWire } from '../../src/wire/change.ts';
import { ROOT } from '../helpers/run.ts';

const CORPUS = join(ROOT, 'test', 'fixtures', 'changes');
const t = suite('changespec');

const valid = readdirSync(join(CORPUS, 'valid'))
  .filter((f) => f.endsWith('.cs') && !f.endsWith('.canonical.cs'))
  .sort();
const invalid = readdirSync(join(CORPUS, 'invalid'))
  .filter((f) => f.endsWith('.cs'))
  .sort();
const expected: Record<string, string> = JSON.parse(readFileSync(join(CORPUS, 'invalid', 'expected.json'), 'utf8'));

function parseError(text: string, where: string): string {
  try {
    parseChangeSpec(text, where);
  } catch (err) {
    assert.instance(err, FatalError);
    return `${(err as SaseError).prefix}: ${(err as Error).message}`;
  }
  return 'parsed';
}

t('the corpus is there', () => {
  assert.ok(valid.length >= 6, valid.join(' '));
  assert.ok(invalid.length >= 30, invalid.join(' '));
  assert.equal(Object.keys(expected).sort(), invalid, 'every invalid record has its expected error, and only those');
});

for (const file of valid) {
  t(`valid/${file}: parses, serialises to its canonical text, which is a fixed point; JSON round trip`, () => {
    const text = readFileSync(join(CORPUS, 'valid', file), 'utf8');
    const canonicalFile = join(CORPUS, 'valid', file.replace(/\.cs$/, '.canonical.cs'));
    const canonical = existsSync(canonicalFile) ? readFileSync(canonicalFile, 'utf8') : text;
    const c = parseChangeSpec(text, `changes/${file}`);
    assert.is(serializeChangeSpec(c), canonical);
    const again = parseChangeSpec(canonical, `changes/${file}`);
    assert.equal(again, c);
    assert.is(serializeChangeSpec(again), canonical, 'the canonical text is a fixed point');
    const wire = JSON.parse(JSON.stringify(changeToWire(c)));
    assert.is(wire.kind, 'changespec');
    assert.is(wire.v, 1);
    assert.is(wire.id, c.name);
    assert.is(wire.unresolved, c.comments.filter((k) => !k.resolved).length);
    assert.equal(changeFromWire(wire, 'stdin:1'), c, 'the JSON form carries every field');
  });
}

t('valid/full.cs: every section read field by field', () => {
  const c = parseChangeSpec(readFileSync(join(CORPUS, 'valid', 'full.cs'), 'utf8'), 'changes/full.cs');
  assert.is(c.name, 'ready_cache_store');
  assert.is(
    c.description,
    'Cache bead snapshots by tree id\n\nLonger body, any number of lines.\n\n    indented code stays indented\n\n\nafter two blank lines',
  );
  assert.is(c.parent, 'ready_cache_base');
  assert.is(c.cl, 'local:refs/sase/review/ready_cache_store');
  assert.is(c.status, 'Mailed');
  assert.equal(c.commits[1], {
    n: 2,
    subject: 'Read through the cache: a subject with (parens) and: colons',
    sha: '9e8d7c6',
    bead: null,
  });
  assert.equal(c.deltas[2], { op: '-', path: 'src/old name with spaces.ts', added: 0, changed: 0, removed: 37 });
  assert.equal(
    c.hooks.map((h) => h.command),
    ['npm test', '!npm run lint -- --max-warnings 0', './scripts/soak.sh', 'make check'],
  );
  assert.equal(
    c.hooks[0]!.runs.map((r) => r.seconds),
    [12, 135, 3603],
  );
  assert.equal(c.hooks[2]!.runs, [
    { commit: 2, at: '2026-11-25T10:32:00Z', result: 'PASSED', seconds: 26 * 3600 + 3 * 60 + 9 },
    { commit: 2, at: '2026-11-26T12:40:00Z', result: 'RUNNING', seconds: 0 },
  ]);
  assert.equal(c.hooks[3]!.runs, []);
  assert.equal(
    c.comments.map((k) => [k.id, k.author, k.path, k.line, k.resolved]),
    [
      [1, 'mentor:security', 'src/store/cache.ts', 42, false],
      [2, 'alice@example.com', 'src/core/beads/ready.ts', 7, true],
      [3, 'github:bob', 'README.md', null, false],
      [4, 'bob', 'src/a.ts', 1, true],
    ],
  );
  assert.is(c.comments[2]!.text, 'A general remark\nspanning lines\n\nwith a blank one');
  assert.is(c.comments[3]!.text, 'Resolved one with - (dash) inside');
  assert.equal(c.mentors, [
    { entry: '(1) security[1/1]', runs: ['[2026-11-25T10:17:00Z] security - COMMENTED - (2m15s)'] },
    { entry: '(2) perf[0/1]', runs: [] },
  ]);
  assert.equal(c.timestamps.at(-1), { at: '2026-11-25T10:40:00Z', event: 'STATUS Ready -> Mailed' });
  const wire = changeToWire(c);
  assert.equal(
    (wire.hooks as any[]).map((h) => h.blocking),
    [true, false, true, true],
  );
  assert.is(wire.unresolved, 2);
});

for (const file of invalid) {
  t(`invalid/${file}: ${expected[file]}`, () => {
    const text = readFileSync(join(CORPUS, 'invalid', file), 'utf8');
    assert.is(parseError(text, `changes/${file}`), expected[file]);
  });
}

t('a record larger than the limit is refused before it is read', () => {
  const big = 'NAME: a\nDESCRIPTION:\n' + '  x\n'.repeat(300_000) + 'STATUS: WIP\n';
  assert.is(parseError(big, 'changes/a.cs'), 'fatal: changes/a.cs: larger than 1048576 bytes');
});

t('the JSON form: malformed records are refused, naming what is wrong', () => {
  const c = parseChangeSpec(readFileSync(join(CORPUS, 'valid', 'full.cs'), 'utf8'), 'changes/full.cs');
  const wire = JSON.parse(JSON.stringify(changeToWire(c)));
  const refuse = (rec: Record<string, unknown>, line: string | RegExp) => {
    try {
      changeFromWire(rec, 'stdin:3');
      assert.unreachable('accepted');
    } catch (err) {
      assert.instance(err, FatalError);
      if (typeof line === 'string') assert.is((err as Error).message, line);
      else assert.match((err as Error).message, line);
    }
  };
  refuse({ ...wire, name: 7 }, "stdin:3: 'name' is not a string");
  refuse({ ...wire, commits: 'x' }, "stdin:3: 'commits' is not a list of objects");
  refuse(
    { ...wire, deltas: [{ op: '+', path: 'a', added: -1, changed: 0, removed: 0 }] },
    "stdin:3: 'deltas.added' is not a whole number",
  );
  refuse(
    { ...wire, status: 'Done' },
    "stdin:3:13: STATUS 'Done' is not one of WIP, Draft, Ready, Mailed, Submitted, Reverted, Archived",
  );
  refuse({ ...wire, cl: 'a\nb' }, /^stdin:3:\d+: unknown field 'b'/);
  refuse(
    {
      ...wire,
      description: 'x',
      comments: [{ author: 'a', path: 'p', line: 1, text: 'ends - (!: unresolved)', resolved: true }],
    },
    'stdin:3: fields that the text form would read back differently (a newline or blanks around a value, a comment ending in its own marker)',
  );
});

// ---- status moves --------------------------------------------------------------

// FORMATS.md: WIP->Draft|Ready, Draft->Ready, Ready->Mailed|Draft, Mailed->Submitted;
// any non-terminal -> Archived; Submitted -> Reverted; Submitted, Reverted and Archived are terminal otherwise.
const TABLE = new Set([
  'WIP Draft',
  'WIP Ready',
  'Draft Ready',
  'Ready Mailed',
  'Ready Draft',
  'Mailed Submitted',
  'Submitted Reverted',
  'WIP Archived',
  'Draft Archived',
  'Ready Archived',
  'Mailed Archived',
]);

t('the terminal statuses', () => {
  assert.equal(TERMINAL, ['Submitted', 'Reverted', 'Archived']);
  assert.equal(CHANGE_STATUSES, ['WIP', 'Draft', 'Ready', 'Mailed', 'Submitted', 'Reverted', 'Archived']);
});

const base: ChangeSpec = parseChangeSpec(
  'NAME: a\nSTATUS: WIP\nTIMESTAMPS:\n  [2026-11-25T10:00:00Z] CREATE WIP\n',
  'changes/a.cs',
);
for (const from of CHANGE_STATUSES) {
  t(`moves from ${from}: every target against the table`, () => {
    assert.equal([...allowedMoves(from)].sort(), CHANGE_STATUSES.filter((to) => TABLE.has(`${from} ${to}`)).sort());
    for (const to of CHANGE_STATUSES) {
      const c = { ...base, status: from as ChangeStatus };
      const allowed = TABLE.has(`${from} ${to}`);
      assert.is(canMove(from, to), allowed, `${from} -> ${to}`);
      if (from === to) {
        assert.is(moveStatus(c, to, '2026-11-26T00:00:00Z'), c, 'staying is no move and logs nothing');
        continue;
      }
      if (allowed) {
        const moved = moveStatus(c, to, '2026-11-26T00:00:00Z');
        assert.is(moved.status, to);
        assert.equal(moved.timestamps.at(-1), { at: '2026-11-26T00:00:00Z', event: `STATUS ${from} -> ${to}` });
        assert.is(parseChangeSpec(serializeChangeSpec(moved), 'changes/a.cs').status, to);
      } else {
        try {
          moveStatus(c, to, '2026-11-26T00:00:00Z');
          assert.unreachable(`${from} -> ${to} was allowed`);
        } catch (err) {
          assert.instance(err, RefusedError);
          const names = allowedMoves(from);
          assert.is(
            (err as Error).message,
            `change 'a' is ${from}; it can move to ${names.length ? names.join(', ') : 'nothing (it is final)'}, not ${to}`,
          );
        }
      }
    }
  });
}

// ---- stacks ----------------------------------------------------------------------

const mk = (name: string, parent: string | null, extra: Partial<ChangeSpec> = {}): ChangeSpec => ({
  ...base,
  name,
  parent,
  ...extra,
});

t('stacks: place, ancestors, descendants, tree order (filtered too), cycles', () => {
  const all = [
    mk('top', 'mid'),
    mk('mid', 'base'),
    mk('base', null),
    mk('side', 'base'),
    mk('lone', null),
    mk('orphan', 'gone'),
  ];
  assert.equal(ancestors(all, 'top'), ['mid', 'base']);
  assert.equal(ancestors(all, 'orphan'), [], 'a missing parent ends the chain');
  assert.equal(descendants(all, 'base'), ['mid', 'top', 'side']);
  assert.equal(stackPlace(all, 'mid'), { position: 2, size: 3, below: ['base'], above: ['top'] });
  assert.equal(stackPlace(all, 'base'), { position: 1, size: 3, below: [], above: ['mid', 'side'] });
  assert.equal(
    treeOrder(all).map((r) => `${r.depth}${r.change.name}`),
    ['0base', '1mid', '2top', '1side', '0lone', '0orphan'],
  );
  const shown = all.filter((c) => c.name !== 'mid');
  assert.equal(
    treeOrder(all, shown).map((r) => `${r.depth}${r.change.name}`),
    ['0base', '1side', '1top', '0lone', '0orphan'],
  );
  const looped = [mk('x', 'y'), mk('y', 'x')];
  assert.equal(ancestors(looped, 'x'), ['y'], 'a loop in stored records ends the chain');
  assert.equal(treeOrder(looped).length, 0, 'a loop has no root; nothing hangs forever');
  const threw = (f: () => void): SaseError => {
    try {
      f();
    } catch (err) {
      return err as SaseError;
    }
    throw new Error('no error');
  };
  assert.instance(
    threw(() => checkParent(all, 'base', 'gone')),
    NotFoundError,
  );
  assert.is(
    threw(() => checkParent(all, 'base', 'top')).message,
    "parent 'top' would make a cycle: base -> top -> mid -> base",
  );
  assert.is(threw(() => checkParent(all, 'base', 'base')).message, "change 'base' cannot stack on itself");
  checkParent(all, 'lone', 'top');
});

t('queries', () => {
  const c = parseChangeSpec(readFileSync(join(CORPUS, 'valid', 'full.cs'), 'utf8'), 'changes/full.cs');
  const plain = mk('plain', null, { description: 'Nothing here' });
  assert.ok(changeQuery('unresolved')(c));
  assert.not.ok(changeQuery('unresolved')(plain));
  assert.ok(changeQuery('failing')(c), "the lint hook's latest run failed");
  assert.not.ok(
    changeQuery('failing')(
      parseChangeSpec(readFileSync(join(CORPUS, 'valid', 'submitted.cs'), 'utf8'), 'changes/s.cs'),
    ),
  );
  assert.ok(changeQuery('text:TREE ID')(c));
  assert.ok(changeQuery('text:plai')(plain));
  assert.not.ok(changeQuery('text:cache')(plain));
  assert.throws(
    () => changeQuery('open'),
    (err: unknown) =>
      err instanceof UsageError &&
      err.message === "unknown query 'open' (known: unresolved, failing, text:<substring>)",
  );
});

t.run();
