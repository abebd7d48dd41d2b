// Tables measure text by the columns a terminal gives it (string-width): a
// wide (CJK) character takes two, a combining mark none, so the columns after
// a title or an assignee in Japanese stay straight.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createColors } from '../../src/cli/colors.ts';
import { type Column, table, textWidth, truncate } from '../../src/cli/render.ts';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { saseBin } from '../helpers/run.ts';

const t = suite('table widths');
const plain = createColors(false);

/** Where each column starts on screen (in display columns), line by line. */
function starts(text: string, word: string): number[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => {
      const i = l.indexOf(word);
      return i < 0 ? -1 : textWidth(l.slice(0, i));
    });
}

t('display widths: wide characters two, combining marks none, ASCII its length', () => {
  assert.is(textWidth('abc'), 3);
  assert.is(textWidth('日本語'), 6);
  assert.is(textWidth('e\u0301'), 1);
  assert.is(textWidth('👍'), 2);
});

t('a table of wide characters keeps its columns straight', () => {
  type Row = { who: string; what: string };
  const cols: Column<Row>[] = [
    { header: 'WHO', get: (r) => r.who },
    { header: 'END', get: () => 'x' },
  ];
  const out = table<Row>(
    [
      { who: '山田', what: '' },
      { who: 'ab', what: '' },
      { who: 'café', what: '' },
    ],
    cols,
    plain,
  );
  // broken before: '山田' counted as 2 columns, so its 'x' came 2 columns late
  const xs = out
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => textWidth(l.slice(0, l.lastIndexOf('x'))));
  assert.equal(xs, [6, 6, 6], out);
});

t('cutting is by columns and never splits a character', () => {
  assert.is(truncate('日本語のタイトル', 7), '日本語…');
  assert.ok(textWidth(truncate('日本語のタイトル', 7)) <= 7);
  assert.is(truncate('👍👍👍', 4), '👍…');
  assert.is(truncate('abcdef', 4), 'abc…');
  assert.is(truncate('日本', 4), '日本');
});

t('through the real executable: the columns after a CJK assignee line up', async () => {
  const repo = await initedRepo();
  await createBead(repo, ['--title', 'plain', '--assignee', 'bob']);
  await createBead(repo, ['--title', '日本語のタイトル', '--assignee', '山田']);
  const r = saseBin(repo, 'bead-ready', ['--format', 'text', '--no-color']);
  assert.is(r.code, 0, r.stderr);
  const titles = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => textWidth(l.slice(0, l.search(/TITLE|plain|日本語/))));
  assert.is(new Set(titles).size, 1, r.stdout);
  const p = starts(r.stdout, 'P2').slice(1);
  assert.is(p[0], p[1]);
});

t.run();
