// ACE's screen in a real terminal (tmux) on records that push it: a change
// submitted from the screen (and one left alone when the question is not
// answered yes), 100,000 beads filtered and paged, and titles far wider than
// the pane, in wide characters and combining marks, that must never wrap.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commitOn } from '../helpers/changes.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { ok, okBin, saseBin } from '../helpers/run.ts';
import { beadRecord } from '../helpers/state.ts';
import { type Tmux, withScreen } from '../helpers/tmux.ts';

const t = suite('ace screen: records');

/** The screen as its lines (capture-pane ends each with a newline). */
const linesOf = (s: string) => s.replace(/\n$/, '').split('\n');

/** Waits until `pred` holds for the screen's lines; fails with the screen. */
async function waitLines(tm: Tmux, what: string, pred: (lines: string[]) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = tm.screen();
    if (pred(linesOf(s))) return linesOf(s);
    if (Date.now() > deadline) throw new Error(`the screen never showed ${what}:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const rev = (repo: TestRepo, ref: string) => repo.git('rev-parse', ref).trim();
const changeStatus = async (repo: TestRepo, name: string) => (await ok(repo, 'cs-show', [name, '--json']))[0]!.status;

/** A Ready change with one recorded commit, mailed: what cs-submit takes (see cs-submit.test.ts). */
async function mailed(repo: TestRepo, name: string, files: Record<string, string>): Promise<string> {
  await ok(repo, 'cs-new', [name, '--description', `Change ${name}`, '--status', 'Ready']);
  const tip = commitOn(repo, `sase/cs/${name}`, files, `Commit of ${name}`);
  await ok(repo, 'cs-commit', [name]);
  await ok(repo, 'cs-mail', [name]);
  return tip;
}

t('alt-s submits the change under the cursor after a yes; n or Esc to the question leaves it as it was', async () => {
  const repo = await initedRepo();
  const tip = await mailed(repo, 'feat', { 'cache.ts': 'cache\n' });
  await mailed(repo, 'docs', { 'docs.md': 'docs\n' });
  const main = rev(repo, 'main');
  const state = rev(repo, 'refs/sase/state');
  await withScreen(repo, async (tm) => {
    tm.type('sase ace --no-axe --tab changes');
    tm.keys('Enter');
    await tm.waitFor(' changes 2 ');
    // the cursor on feat, whatever the list's order
    tm.type('^feat');
    await tm.waitFor(' changes 1/2 ');
    await tm.waitFor(/^> feat Mailed Change feat/m);
    // a no: nothing runs, the screen stays
    tm.keys('M-s');
    await tm.waitFor('submit feat? [y/N]');
    tm.type('n');
    let s = await tm.waitFor('not done');
    assert.not.match(s, '[y/N]');
    // Esc answers the question too (it does not leave the screen)
    tm.keys('M-s');
    await tm.waitFor('submit feat? [y/N]');
    tm.keys('Escape');
    s = await tm.waitFor('not done');
    assert.match(s, ' changes 1/2 ', 'still on the screen');
    assert.is(await changeStatus(repo, 'feat'), 'Mailed');
    assert.is(rev(repo, 'main'), main, 'main not moved');
    assert.is(rev(repo, 'refs/sase/state'), state, 'no record written');
    // a yes: cs-submit runs, the footer says what it did, the list follows
    tm.keys('M-s');
    await tm.waitFor('submit feat? [y/N]');
    tm.type('y');
    s = await tm.waitFor(/submit: .*feat/);
    assert.is(await changeStatus(repo, 'feat'), 'Submitted');
    assert.is(rev(repo, 'main'), tip, 'main fast-forwarded to the change');
    assert.is(await changeStatus(repo, 'docs'), 'Mailed', 'only the change under the cursor');
    await tm.waitFor(/^> feat Submitted Change feat/m);
    tm.keys('Escape');
    await tm.waitFor('$');
  });
});

// ids whose hashes spread over the shards as minted ones do (i times an odd number prime to 36, in base 36)
const idOf = (i: number) => `ts-${((i * 2654435761) % 36 ** 8).toString(36).padStart(8, '0')}`;
const WORDS = 'cache query index shard ready graph store commit tree blob merge sync claim release'.split(' ');
const BIG = 100_000;

t('100,000 beads: filter as you type, back to all, page, first and last; Esc gives the terminal back', async () => {
  const repo = await initedRepo();
  // every tenth title says needle: the query's count is known
  const lines: string[] = [];
  for (let i = 0; i < BIG; i++) {
    const title = `Task ${i} ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}${i % 10 ? '' : ' needle'}`;
    lines.push(JSON.stringify(beadRecord({ id: idOf(i), title })));
  }
  const file = join(repo.dir, '.git', 'beads.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  // the real executable, as a person imports (it says its summary on stderr)
  const imported = saseBin(repo, 'bead-import', [file]);
  assert.is(imported.code, 0, imported.stderr);
  assert.is(imported.records[0]!.created, BIG);
  okBin(repo, 'bead-ready', ['--limit', '1']); // the bead cache warmed, as a person's repository has it
  // the list is in id order (ids of one length: as strings)
  const ids = Array.from({ length: BIG }, (_, i) => idOf(i)).sort();
  await withScreen(repo, async (tm) => {
    tm.type('echo before-ace; sase ace --no-axe; echo after=$?');
    tm.keys('Enter');
    let s = await tm.waitFor(` beads ${BIG} `, 30_000);
    assert.match(s, `> ${ids[0]} open task P2 `, 'the cursor on the first bead');
    tm.type("'needle");
    s = await tm.waitFor(` beads ${BIG / 10}/${BIG} `, 30_000);
    const rows = linesOf(s).slice(2, -1);
    assert.ok(
      rows.every((l) => l.includes(' needle')),
      `every row shown says needle:\n${s}`,
    );
    // Backspace to an empty query: all of them again
    for (let i = 0; i < "'needle".length; i++) tm.keys('BSpace');
    // (the count alone would not do: 'n keeps every line, as each says open)
    await waitLines(
      tm,
      'an empty query and every bead',
      (l) => l[1] === '>' && l[0]!.startsWith(` beads ${BIG} `),
      30_000,
    );
    // 24 rows: a page is 21; the cursor ends on the last row of the list
    const h = 24 - 3;
    tm.keys('PageDown');
    await waitLines(tm, `${ids[h]} under the cursor`, (l) => l[1 + h]!.startsWith(`> ${ids[h]} `));
    tm.keys('End');
    await waitLines(tm, 'the last bead under the cursor', (l) => l[1 + h]!.startsWith(`> ${ids[BIG - 1]} `));
    tm.keys('Home');
    await waitLines(tm, 'the first bead under the cursor', (l) => l[2]!.startsWith(`> ${ids[0]} `));
    tm.keys('Escape');
    s = await tm.waitFor('after=0', 30_000);
    assert.match(s, 'before-ace');
    assert.not.match(s, ' beads ');
    const after = linesOf(s).indexOf('after=0');
    assert.is(linesOf(s)[after + 1], '$', 'the prompt is back, below what was there');
  });
});

/**
 * Every line of the screen fits `cols` (a row that wrapped would push the
 * header off the top or the footer off the bottom), and each bead's row is
 * one line of exactly the list's `width` columns: the start of its line, cut.
 */
function assertNoWrap(lines: string[], cols: number, rows: number, beads: Record<string, string>, width: number) {
  const screen = lines.join('\n');
  assert.is(lines.length, rows, screen);
  assert.match(lines[0]!, /^ beads 2 /, `the header on the first line:\n${screen}`);
  assert.match(lines[rows - 1]!, /^Enter card /, `the footer on the last line:\n${screen}`);
  for (const l of lines) assert.ok(stringWidth(l) <= cols, `wider than ${cols}: ${l}`);
  for (const [id, title] of Object.entries(beads)) {
    const at = lines.findIndex((l) => l.slice(2).startsWith(`${id} `));
    assert.ok(at >= 2, `${id} shown:\n${screen}`);
    const row = cols < 70 ? lines[at]! : lines[at]!.split('│')[0]!;
    assert.is(stringWidth(row), width, `the row fills the list's width, no more:\n${row}`);
    // (a cut between two narrow characters shows no '…' today: fit() adds one only where a column is left)
    const shown = row.slice(2).replace(/…? *$/, '');
    assert.ok(shown.length > 20 && `${id} open task P2 ${title}`.startsWith(shown), `the start of the line:\n${row}`);
  }
}

t(
  'titles far wider than the pane, in wide characters with combining marks: rows cut, never wrapped, at 120 and 50 columns',
  async () => {
    const repo = await initedRepo();
    // 500 characters, the longest title there is
    const long = 'long title words '.repeat(30).slice(0, 497) + 'end';
    // 缓 and 存 two columns each, q̃ one (q and a combining tilde, which has no composed form): 5 columns a unit,
    // so the cut at 58 and 48 columns of title falls in the middle of a wide character
    const wide = '缓存q\u0303'.repeat(100);
    const a = (await ok(repo, 'bead-create', ['--title', long]))[0]!;
    const b = (await ok(repo, 'bead-create', ['--title', wide]))[0]!;
    const beads = { [a.id]: long, [b.id]: wide };
    await withScreen(repo, async (tm) => {
      tm.type('echo before-ace; sase ace --no-axe; echo after=$?');
      tm.keys('Enter');
      await tm.waitFor(' beads 2 ');
      // wide: the list in half the width beside the preview
      let l = await waitLines(
        tm,
        'the preview and the footer',
        (x) => x.some((y) => y.includes('│') && y.includes('created:')) && x[23]!.startsWith('Enter card'),
      );
      assertNoWrap(l, 120, 24, beads, 60);
      const wideRow = l.find((x) => x.slice(2).startsWith(b.id))!.split('│')[0]!;
      assert.ok(wideRow.trimEnd().endsWith('…'), `the cut wide character leaves an ellipsis:\n${wideRow}`);
      // narrow: the list alone, the rows cut shorter
      tm.resize(50, 20);
      l = await waitLines(
        tm,
        'the list alone at 50 columns',
        (x) =>
          x.length === 20 &&
          !x.some((y) => y.includes('│')) &&
          x[19]!.startsWith('Enter card') &&
          x[0]!.includes('beads'),
      );
      assertNoWrap(l, 50, 20, beads, 50);
      const narrowRow = l.find((x) => x.slice(2).startsWith(b.id))!;
      assert.ok(narrowRow.endsWith('…'), `the cut wide character leaves an ellipsis:\n${narrowRow}`);
      tm.keys('Escape');
      const s = await tm.waitFor('after=0');
      assert.match(s, 'before-ace');
    });
    // and a fresh start at 50 columns draws the same rows
    await withScreen(
      repo,
      async (tm) => {
        tm.type('sase ace --no-axe');
        tm.keys('Enter');
        const l = await waitLines(tm, 'the footer', (x) => x[19]!.startsWith('Enter card'));
        assertNoWrap(l, 50, 20, beads, 50);
        tm.keys('Escape');
        await tm.waitFor('$');
      },
      50,
      20,
    );
  },
);

t.run();
