import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/core/errors.ts';
import { applyListOps, compareValues, type ListShape, parseSort } from '../../src/core/list-ops.ts';

const t = suite('list-ops');

interface Row {
  id: string;
  priority: number;
  created_at: string | null;
  title: string;
  body?: string;
}

const SHAPE: ListShape<Row> = {
  fields: ['id', 'priority', 'created_at', 'title'],
  defaultSort: 'priority,created_at,id',
  text: (r) => [r.title, r.body],
};

const rows: Row[] = [
  { id: 'x.10', priority: 2, created_at: '2026-01-02T00:00:00Z', title: 'Ten' },
  { id: 'x.2', priority: 2, created_at: '2026-01-02T00:00:00Z', title: 'Two', body: 'fix the LOGIN page' },
  { id: 'x.1', priority: 1, created_at: '2026-01-03T00:00:00Z', title: 'One' },
  { id: 'y', priority: 2, created_at: null, title: 'Login' },
];
const ids = (rs: Row[]) => rs.map((r) => r.id);

t('the default order: priority, then age, then id in natural order (x.2 before x.10); absent values last', () => {
  assert.equal(ids(applyListOps(rows, SHAPE, {})), ['x.1', 'x.2', 'x.10', 'y']);
});

t("--sort: fields, '-' for descending; absent values stay last either way", () => {
  assert.equal(ids(applyListOps(rows, SHAPE, { sort: '-created_at,id' })), ['x.1', 'x.2', 'x.10', 'y']);
  assert.equal(ids(applyListOps(rows, SHAPE, { sort: 'created_at,-id' })), ['x.10', 'x.2', 'x.1', 'y']);
  assert.equal(ids(applyListOps(rows, SHAPE, { sort: '-id' })), ['y', 'x.10', 'x.2', 'x.1']);
});

t('a bad --sort field is a usage error naming the valid fields', () => {
  try {
    parseSort('priority,colour', SHAPE.fields);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UsageError);
    assert.is((e as Error).message, "option '--sort': unknown field 'colour' (valid: id, priority, created_at, title)");
  }
  assert.throws(() => parseSort(',', SHAPE.fields), /needs a field/);
});

t('--grep searches titles and bodies ignoring case; --limit cuts after sorting', () => {
  assert.equal(ids(applyListOps(rows, SHAPE, { grep: 'login' })), ['x.2', 'y']);
  assert.equal(ids(applyListOps(rows, SHAPE, { grep: 'LOGIN', limit: 1 })), ['x.2']);
  assert.equal(ids(applyListOps(rows, SHAPE, { limit: 0 })), []);
  assert.equal(ids(applyListOps(rows, { ...SHAPE, defaultSort: undefined }, { limit: 2 })), ['x.10', 'x.2']);
});

t('natural order of strings: digit runs compare as numbers', () => {
  assert.equal(['a10', 'a9', 'a1b', 'a', 'b2', 'a19'].sort(compareValues), ['a', 'a1b', 'a9', 'a10', 'a19', 'b2']);
  assert.equal([true, false].sort(compareValues), [false, true]);
  assert.equal([3, null, 1].sort(compareValues), [1, 3, null]);
});

t.run();
