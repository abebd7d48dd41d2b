import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { storedChange } from '../helpers/changes.ts';
import { editTo, lastOp, makeStack, midText, onTerminal, stateTip } from '../helpers/cs-records.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir } from '../helpers/gitdir.ts';
import { fails, ok, sase } from '../helpers/run.ts';

const t = suite('cs-edit');
const at = { SASE_NOW: '2026-11-26T09:00:00Z' };

t('stores the edited text in canonical form; a status move is checked and logged; op cs.edit', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const edited =
    midText('Ready').replace('  with a body', '  with a longer body   ').replace('PARENT: base\n', 'PARENT: other\n') +
    '\n\n';
  const file = join(repo.dir, '.git', 'mine.cs');
  writeFileSync(file, edited);
  const r = await sase(repo, 'cs-edit', ['mid'], { env: { ...at, SASE_EDITOR: `cp '${file}'` } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  const [rec] = r.records;
  assert.is(rec!.status, 'Ready');
  assert.is(rec!.parent, 'other');
  assert.is(rec!.description, 'Middle of the stack\n\nwith a longer body');
  assert.equal(rec!.timestamps.at(-1), { at: '2026-11-26T09:00:00Z', event: 'STATUS Draft -> Ready' });
  assert.is(
    storedChange(repo, 'mid'),
    midText('Ready').replace('  with a body', '  with a longer body').replace('PARENT: base\n', 'PARENT: other\n') +
      '  [2026-11-26T09:00:00Z] STATUS Draft -> Ready\n',
  );
  const op = lastOp(repo);
  assert.is(op.op, 'cs.edit');
  assert.equal(op.paths, ['changes/mid.cs']);
  await ok(repo, 'fsck');
});

t('text left as it was, or changed only in layout, stores nothing', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const tip = stateTip(repo);
  const same = await sase(repo, 'cs-edit', ['mid'], { env: { SASE_EDITOR: 'true' } });
  assert.is(same.code, 0);
  assert.is(same.stdout, '');
  assert.is(same.stderr, "change 'mid' is unchanged; nothing stored\n");
  const layout = await editTo(repo, 'mid', midText().replace('COMMITS:\n', '\nCOMMITS:\n') + '\n');
  assert.is(layout.code, 0, layout.stderr);
  assert.is(layout.stderr, "change 'mid' is unchanged; nothing stored\n");
  assert.is(stateTip(repo), tip);
});

t(
  'text that does not parse: exit 1 with the line, kept as a draft; the next edit starts from it; --fresh does not',
  async () => {
    const repo = await initedRepo();
    await makeStack(repo);
    const tip = stateTip(repo);
    const bad = midText().replace('STATUS: Draft', 'STATUS: Draft\nOWNER: me');
    const r = await editTo(repo, 'mid', bad);
    fails(
      r,
      1,
      "error: change 'mid' not stored: changes/mid.cs:8: unknown field 'OWNER' (expected one of NAME, DESCRIPTION, PARENT, CL, STATUS, COMMITS, DELTAS, HOOKS, COMMENTS, MENTORS, TIMESTAMPS)",
    );
    const draft = join(repo.dir, '.git', 'sase', 'drafts', 'mid.cs');
    assert.is(r.stderr.split('\n')[1], `hint: your edit is kept in '${draft}'; 'sase cs edit mid' starts from it`);
    assert.is(readFileSync(draft, 'utf8'), bad);
    assert.is(stateTip(repo), tip);
    // the editor sees the draft
    const seen = join(repo.dir, '.git', 'seen.cs');
    const again = await sase(repo, 'cs-edit', ['mid'], { env: { SASE_EDITOR: `cp -f "$1" '${seen}'; true` } });
    assert.is(again.code, 1);
    assert.is(
      again.stderr.split('\n')[0],
      `hint: starting from the draft kept in '${draft}' (--fresh starts from the stored text)`,
    );
    assert.is(readFileSync(seen, 'utf8'), bad);
    const fresh = await sase(repo, 'cs-edit', ['mid', '--fresh'], {
      env: { SASE_EDITOR: `cp -f "$1" '${seen}'; true` },
    });
    assert.is(fresh.code, 0, fresh.stderr);
    assert.is(readFileSync(seen, 'utf8'), midText());
    assert.not.ok(existsSync(draft), 'an edit that stores (or changes nothing) removes the draft');
    const fixed = await editTo(repo, 'mid', midText().replace('Middle of the stack', 'Middle, fixed'));
    assert.is(fixed.code, 0, fixed.stderr);
    assert.is(fixed.records[0]!.description, 'Middle, fixed\n\nwith a body');
  },
);

t('refused: a new NAME, a move the table does not allow, a missing parent, a cycle; nothing stored', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const tip = stateTip(repo);
  fails(
    await editTo(repo, 'mid', midText().replace('NAME: mid', 'NAME: mid2')),
    1,
    "error: change 'mid' not stored: NAME cannot change (from 'mid' to 'mid2'); make a new change with 'sase cs new'",
  );
  fails(
    await editTo(repo, 'mid', midText('Submitted'), ['--fresh']),
    1,
    "error: change 'mid' not stored: change 'mid' is Draft; it can move to Ready, Archived, not Submitted",
  );
  fails(
    await editTo(repo, 'mid', midText().replace('PARENT: base', 'PARENT: gone'), ['--fresh']),
    1,
    "error: change 'mid' not stored: no change 'gone' (the parent)",
  );
  fails(
    await editTo(repo, 'mid', midText().replace('PARENT: base', 'PARENT: top'), ['--fresh']),
    1,
    "error: change 'mid' not stored: parent 'top' would make a cycle: mid -> top -> mid",
  );
  fails(
    await editTo(repo, 'mid', midText().replace('PARENT: base', 'PARENT: mid'), ['--fresh']),
    1,
    "error: change 'mid' not stored: changes/mid.cs:6: a change cannot be its own parent",
  );
  assert.is(stateTip(repo), tip);
});

t('a CL that sase cs set refuses is refused here too, naming its line; nothing stored', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const tip = stateTip(repo);
  for (const [cl, what] of [
    ['a b', "'a b' must not contain spaces"],
    ['$(touch_pwned)', "'$(touch_pwned)' is not a review id"],
    ['local:--upload-pack=touch_pwned', "'local:--upload-pack=touch_pwned' is not local:refs/<ref>"],
    ['-x', "'-x' must not start with '-'"],
  ]) {
    const r = await editTo(repo, 'mid', midText().replace('PARENT: base\n', `PARENT: base\nCL: ${cl}\n`), ['--fresh']);
    assert.is(r.code, 1, r.stderr);
    assert.ok(r.stderr.startsWith(`error: change 'mid' not stored: changes/mid.cs:7: CL ${what}`), r.stderr);
    const set = await sase(repo, 'cs-set', ['mid', `--cl=${cl}`]);
    assert.is(set.code, 129, set.stderr);
    assert.ok(set.stderr.startsWith(`error: --cl ${what}`), set.stderr);
  }
  assert.is(stateTip(repo), tip);
  // a good one is stored either way
  assert.is(
    (
      await editTo(repo, 'mid', midText().replace('PARENT: base\n', 'PARENT: base\nCL: github:acme/sase#42\n'), [
        '--fresh',
      ])
    ).code,
    0,
  );
  assert.is(storedChange(repo, 'mid')!.includes('CL: github:acme/sase#42\n'), true);
  await ok(repo, 'fsck');
});

t('an editor that fails or an emptied file stores nothing; a missing change is not found', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'cs-edit', ['mid'], { env: { SASE_EDITOR: 'false' } }),
    1,
    "error: the editor 'false' exited with status 1; nothing stored",
  );
  fails(
    await sase(repo, 'cs-edit', ['mid'], { env: { SASE_EDITOR: ': >' } }),
    1,
    'error: the change was emptied; nothing stored',
  );
  fails(await sase(repo, 'cs-edit', ['nope'], { env: { SASE_EDITOR: 'true' } }), 4, "error: no change 'nope'");
  fails(
    await sase(repo, 'cs-edit', ['a/b'], { env: { SASE_EDITOR: 'true' } }),
    129,
    "error: change name 'a/b' is not lower-case letters, digits and '_' (at most 100 characters)",
  );
  assert.is(stateTip(repo), tip);
});

t('the change updated while the editor is open: nothing stored, exit 3, the edit kept as a draft', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const file = join(repo.dir, '.git', 'mine.cs');
  writeFileSync(file, midText().replace('Middle of the stack', 'Mine'));
  const r = await sase(repo, 'cs-edit', ['mid'], {
    env: { SASE_EDITOR: `sase-cs-set mid --description Theirs >/dev/null; cp '${file}'` },
  });
  fails(r, 3, "error: change 'mid' was updated while it was being edited; nothing stored");
  assert.is((await ok(repo, 'cs-show', ['mid']))[0]!.description, 'Theirs');
  assert.match(readFileSync(join(repo.dir, '.git', 'sase', 'drafts', 'mid.cs'), 'utf8'), 'Mine');
});

t('on a terminal a text that does not parse is offered for another edit', async () => {
  const repo = await initedRepo();
  await makeStack(repo);
  const dir = join(repo.dir, '.git');
  writeFileSync(join(dir, 'bad.cs'), midText().replace('STATUS: Draft', 'STATUS: Done'));
  writeFileSync(join(dir, 'good.cs'), midText().replace('Middle of the stack', 'Second try'));
  writeFileSync(
    join(dir, 'ed.sh'),
    `if [ -f '${dir}/once' ]; then cp '${dir}/good.cs' "$1"; else touch '${dir}/once'; cp '${dir}/bad.cs' "$1"; fi\n`,
  );
  const r = onTerminal(repo, `SASE_EDITOR="sh '${dir}/ed.sh'" sase-cs-edit mid`, 'y\n');
  assert.is(r.code, 0, r.out);
  assert.match(
    r.out,
    "changes/mid.cs:7: STATUS 'Done' is not one of WIP, Draft, Ready, Mailed, Submitted, Reverted, Archived",
  );
  assert.match(r.out, "change 'mid' was not stored; edit it again? [Y/n]");
  assert.match(storedChange(repo, 'mid')!, 'Second try');
});

t('--help', async () => {
  const r = await sase(gitdir(), 'cs-edit', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--fresh/);
});

t.run();
