import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type AceItem, matchAce, narrows, parseAceQuery, warmSteps } from '../../src/core/ace/query.ts';
import { prng } from '../helpers/kill.ts';

const t = suite('ace query');

const WORDS = [
  'cache',
  'ready',
  'queue',
  'tip',
  'epic',
  'notes',
  'Import',
  'blob',
  'tree',
  'hook',
  '缓存',
  'CamelCase',
];

function items(n: number, seed: number): AceItem[] {
  const rnd = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 4 }, () => WORDS[Math.floor(rnd() * WORDS.length)]);
    const status = ['open', 'claimed', 'closed'][i % 3]!;
    return { key: `ts-${i}`, line: `ts-${i} ${status} task P${i % 5} ${words.join(' ')}`, fields: { status } };
  });
}

t('narrowing as a query grows gives exactly what a fresh search gives, order and positions alike', () => {
  const list = items(3000, 7);
  for (const typed of [
    'cache tip',
    "'queue ep",
    'ep$',
    're ^ts-1',
    'Imp blob',
    'c a c h e',
    '缓存 t',
    'qu !tip',
    'tree | hook',
  ]) {
    for (let k = 1; k <= typed.length; k++) {
      const q = parseAceQuery('beads', typed.slice(0, k));
      const kept = matchAce(list, q); // the same list each time: the memo narrows
      const fresh = matchAce([...list], q); // a new array: no memo
      assert.equal(
        kept.items.map((it) => [it.key, kept.positions(it)]),
        fresh.items.map((it) => [it.key, fresh.positions(it)]),
        `after typing ${JSON.stringify(typed.slice(0, k))}`,
      );
    }
  }
});

t('what narrows and what does not', () => {
  assert.ok(narrows('cac', 'cach'));
  assert.ok(narrows('cache', 'cache tip'));
  assert.not.ok(narrows('cache', 'cache | tip'), 'an or loosens');
  assert.not.ok(narrows('cache', 'cache !tip'), 'a negation is read as typed');
  assert.not.ok(narrows('tip$', 'tip$x'), 'a $ followed by more is no longer an anchor');
  assert.not.ok(narrows("'", "'a"));
  assert.not.ok(narrows('cache', 'cach'), 'deleting widens');
  assert.not.ok(narrows('', 'a'));
});

t('warming the matcher (a screen does it while idle) leaves every answer as it was', () => {
  const list = items(3000, 7);
  const queries = ['e', 'ep', 'cache', "'tip !blob", '^ts-1', 'Import$', 'a | 缓存', 'status:open ca'];
  const keys = (q: string) => matchAce(list, parseAceQuery('beads', q)).items.map((i) => i.key);
  const before = queries.map(keys);
  const steps = warmSteps(list);
  assert.ok(steps.length > 20, 'a step a query, over every kind of term');
  for (const step of steps) step();
  assert.equal(queries.map(keys), before);
});

t.run();
