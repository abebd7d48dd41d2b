// Writes on the cache's mirror of the records: the trees are built from the
// mirror and the objects written as files, with `git update-ref` as the only
// git process. The commits must be what git itself would make of the change,
// the mirror must follow each write, and a damaged mirror must never reach a
// commit.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { ok, sase } from '../helpers/run.ts';
import { assertFsckOk, beadRecord, gitTry, STATE, stateTip } from '../helpers/state.ts';

const t = suite('store mirror writes');

function mirrorDir(dir: string): string {
  const cache = join(dir, '.git', 'sase', 'cache');
  return join(cache, readdirSync(cache).find((f) => f.startsWith('records-'))!);
}

function manifestTip(dir: string): string {
  return JSON.parse(readFileSync(join(mirrorDir(dir), 'MANIFEST'), 'utf8')).tip;
}

t('writes on a current mirror make valid commits, and the mirror follows each one', async () => {
  const repo = await initedRepo();
  const [a] = await ok(repo, 'bead-create', ['--title', 'A']);
  await ok(repo, 'bead-create', ['--title', 'B', '--deps', a!.id]);
  await ok(repo, 'bead-ready', ['--limit', '1']); // the mirror is now current
  const before = stateTip(repo);
  const [c] = await ok(repo, 'bead-create', ['--title', 'C', '--parent', a!.id]);
  await ok(repo, 'bead-update', [a!.id, '--priority', '0', '--title', 'A2']);
  await ok(repo, 'bead-close', [c!.id]);
  await ok(repo, 'bead-rm', [c!.id]);
  // each write moved the mirror along (no refresh ran: no read command in between)
  assert.is(manifestTip(repo.dir), stateTip(repo));
  assert.is.not(stateTip(repo), before);
  // git checks every object; sase-fsck replays the log onto the same records
  assert.is(gitTry(repo, ['fsck', '--strict', '--no-dangling']), '');
  await assertFsckOk(repo, 'after writes on the mirror');
  // what git reads at the tip is what the commands say
  const shown = (await ok(repo, 'bead-show', [a!.id]))[0]!;
  assert.equal([shown.title, shown.priority, shown.children], ['A2', 0, []]);
  const blob = gitTry(repo, ['cat-file', 'blob', `${STATE}:beads/${a!.id.split('-')[1].slice(0, 2)}/${a!.id}.json`]);
  assert.is(JSON.parse(blob!).title, 'A2');
});

t('a damaged mirror never reaches a commit: what does not match its id is read from git', async () => {
  const repo = await initedRepo();
  const [a] = await ok(repo, 'bead-create', ['--title', 'A']);
  const [b] = await ok(repo, 'bead-create', ['--title', 'Bee']);
  await ok(repo, 'bead-ready', ['--limit', '1']);
  const dir = mirrorDir(repo.dir);
  const manifestPath = join(dir, 'MANIFEST');
  // a shard file whose record of B says another title, same length
  const shardFiles = readdirSync(dir).filter((f) => f !== 'MANIFEST');
  const withB = shardFiles.find((f) => readFileSync(join(dir, f), 'latin1').includes('"Bee"'))!;
  const text = readFileSync(join(dir, withB), 'latin1');
  writeFileSync(join(dir, withB), text.replace('"Bee"', '"Bad"'), 'latin1');
  await ok(repo, 'bead-update', [b!.id, '--priority', '0']);
  assert.is(
    JSON.parse(gitTry(repo, ['cat-file', 'blob', `${STATE}:beads/${b!.id.split('-')[1].slice(0, 2)}/${b!.id}.json`])!)
      .title,
    'Bee',
  );
  // the stored beads/ tree damaged: a byte of an id changed
  await ok(repo, 'bead-ready', ['--limit', '1']);
  const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const raw = Buffer.from(m.beadsTree, 'base64');
  raw[raw.length - 1] ^= 1;
  m.beadsTree = raw.toString('base64');
  writeFileSync(manifestPath, JSON.stringify(m));
  await ok(repo, 'bead-update', [a!.id, '--title', 'A2']);
  rmSync(join(repo.dir, '.git', 'sase', 'cache'), { recursive: true });
  assert.equal(
    (await ok(repo, 'bead-show', [a!.id, b!.id])).map((r) => [r.title, r.priority]),
    [
      ['A2', 2],
      ['Bee', 0],
    ],
  );
  assert.is(gitTry(repo, ['fsck', '--strict', '--no-dangling']), '');
  await assertFsckOk(repo, 'after writes over a damaged mirror');
});

t(
  'a first refresh puts the shards in one pack; later writes add shard files beside it; both read as git does',
  async () => {
    const repo = await initedRepo();
    const records = Array.from({ length: 300 }, (_, k) =>
      beadRecord({ id: `ts-${k.toString(36).padStart(2, '0')}pk${k}`, title: `packed ${k}` }),
    );
    const r = await sase(repo, 'bead-import', [], { input: records.map((x) => JSON.stringify(x)).join('\n') + '\n' });
    assert.is(r.code, 0, r.stderr);
    await ok(repo, 'bead-ready', ['--limit', '1']);
    const files = readdirSync(mirrorDir(repo.dir));
    assert.ok(
      files.some((f) => f.startsWith('pack-')),
      files.join(' '),
    );
    assert.ok(files.length < 10, `${files.length} files`);
    const ids = records.filter((_, k) => k % 37 === 0).map((x) => x.id as string);
    await ok(repo, 'bead-update', [ids[0]!, '--title', 'moved out of the pack']);
    await ok(repo, 'bead-create', ['--title', 'new']);
    assert.is(manifestTip(repo.dir), stateTip(repo));
    const mirrored = (await sase(repo, 'bead-show', ids)).stdout;
    rmSync(join(repo.dir, '.git', 'sase', 'cache'), { recursive: true });
    assert.is((await sase(repo, 'bead-show', ids)).stdout, mirrored);
    assert.match(mirrored, /moved out of the pack/);
    await assertFsckOk(repo, 'after writes over a packed mirror');
  },
);

t.run();
