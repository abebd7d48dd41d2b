// The bulk reader of a cold build: every object in the order asked, a
// missing one as null, and an object over the size allowed refused by name.

import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AnswerParser, readObjectsInBulk, startBulkRead } from '../../src/git/bulk-read.ts';
import { ObjectTooLargeError } from '../../src/git/catfile.ts';
import { openRepo } from '../../src/git/repo.ts';
import { gitdir } from '../helpers/gitdir.ts';

const t = suite('git bulk read');

const repo = gitdir();

t('every object in the order asked, content whole, a missing one as null', async () => {
  const r = await openRepo({ cwd: repo.dir, env: repo.env });
  // small ones cut at every place by git's output chunks, empty ones, and ones larger than many chunks
  const texts = Array.from({ length: 3000 }, (_, i) =>
    i % 997 === 5 ? `${i}${'y'.repeat(300_000 + i)}\n` : i % 1001 === 7 ? '' : `record ${i} ${'x'.repeat(i % 700)}\n`,
  );
  const oids = texts.map((text, i) => {
    repo.write(`f${i}`, text);
    return repo.git('hash-object', '-w', `f${i}`).trim();
  });
  const missing = '0123456789abcdef0123456789abcdef01234567';
  const names = [...oids.slice(0, 1500), missing, ...oids.slice(1500)];
  const got: Array<string | null> = [];
  const kept: Array<Buffer | null> = [];
  await readObjectsInBulk(r, names, 1 << 20, (i, obj) => {
    assert.is(i, got.length, 'in order');
    got.push(obj ? `${obj.type}:${obj.data.toString()}` : null);
    kept.push(obj?.data ?? null);
  });
  // the data handed over stays whole after the reading (views into git's output are never reused)
  assert.equal(
    kept.map((d) => d?.toString() ?? null),
    got.map((g) => g?.slice('blob:'.length) ?? null),
  );
  assert.equal(got, [
    ...texts.slice(0, 1500).map((x) => `blob:${x}`),
    null,
    ...texts.slice(1500).map((x) => `blob:${x}`),
  ]);
  let none = 0;
  await readObjectsInBulk(r, [], 10, () => none++);
  assert.is(none, 0);
});

t('an object over the size allowed is refused, naming it, and the reading stops', async () => {
  const r = await openRepo({ cwd: repo.dir, env: repo.env });
  repo.write('small', 'ok\n');
  repo.write('big', `${'y'.repeat(5000)}\n`);
  const small = repo.git('hash-object', '-w', 'small').trim();
  const big = repo.git('hash-object', '-w', 'big').trim();
  const seen: number[] = [];
  const err = await readObjectsInBulk(r, [small, big, small], 100, (i) => seen.push(i)).catch((e: Error) => e);
  assert.instance(err, ObjectTooLargeError);
  assert.is((err as ObjectTooLargeError).name, big);
  assert.is((err as ObjectTooLargeError).size, 5001);
  assert.equal(seen, [0]);
  // told instead, the reading goes on past it
  const refused: Array<[number, string]> = [];
  await readObjectsInBulk(
    r,
    [small, big, small],
    100,
    (i, obj) => seen.push(i, obj!.data.length),
    (i, e) => refused.push([i, e.name]),
  );
  assert.equal(seen, [0, 0, 3, 2, 3]);
  assert.equal(refused, [[1, big]]);
});

t('answers cut anywhere: pieces of every small size give the same objects', async () => {
  const texts = ['', 'a\n', 'hello world\n', `${'z'.repeat(300)}\n`, 'tail'];
  const oids = texts.map((text, i) => {
    repo.write(`p${i}`, text);
    return repo.git('hash-object', '-w', `p${i}`).trim();
  });
  const missing = '0123456789abcdef0123456789abcdef01234567';
  const names = [oids[0]!, missing, ...oids.slice(1)];
  // git's own answers, as it writes them to the file
  const answers = execFileSync('git', ['cat-file', '--batch'], {
    cwd: repo.dir,
    env: repo.env,
    input: `${names.join('\n')}\n`,
  });
  const expected = [texts[0], null, ...texts.slice(1)];
  for (const size of [1, 2, 3, 5, 7, 13, 41, 64, answers.length]) {
    const got: Array<string | null> = [];
    const refused: number[] = [];
    const parser = new AnswerParser(
      names,
      200,
      (_, obj) => got.push(obj ? obj.data.toString() : null),
      (i) => refused.push(i),
    );
    for (let at = 0; at < answers.length; at += size) parser.feed(answers.subarray(at, at + size));
    assert.is(parser.count, names.length, `pieces of ${size}`);
    // the object over 200 bytes is passed over, every other one whole
    assert.equal(refused, [4], `pieces of ${size}`);
    assert.equal(
      got,
      expected.filter((_, i) => i !== 4),
      `pieces of ${size}`,
    );
  }
});

t('a bulk read started runs on its own while the caller works, and leaves no file behind', async () => {
  const r = await openRepo({ cwd: repo.dir, env: repo.env });
  const texts = Array.from({ length: 200 }, (_, i) => `started ${i}\n`);
  const oids = texts.map((text, i) => {
    repo.write(`s${i}`, text);
    return repo.git('hash-object', '-w', `s${i}`).trim();
  });
  const read = await startBulkRead(r, oids, 1 << 20);
  // the event loop held for a while: git needs nothing more of this process
  const until = Date.now() + 300;
  while (Date.now() < until);
  const got: string[] = [];
  await read.answers((_, obj) => got.push(obj!.data.toString()));
  assert.equal(got, texts);
  const scratch = join(r.commonDir, 'sase');
  assert.equal(
    readdirSync(scratch).filter((f) => f.startsWith('bulk-')),
    [],
  );
});

t.run();
