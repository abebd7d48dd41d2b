// writeFileAtomic: a file written whole from many pieces (a cold cache build
// writes 100,000 records as pieces, a thousand to a system call), or not at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileAtomic } from '../../src/proc/files.ts';
import { scratchDir } from '../helpers/gitdir.ts';
import { prng } from '../helpers/kill.ts';

test('many pieces of every size, empty ones among them, make the file in order', () => {
  const dir = scratchDir();
  const rnd = prng(7);
  // more than one writev's worth (1,024), with a piece far larger than a pipe's or a page
  const pieces = Array.from({ length: 3000 }, (_, i) =>
    Buffer.alloc(i === 1500 ? 3_000_000 : Math.floor(rnd() * 300), i % 251),
  );
  const path = join(dir, 'pack');
  writeFileAtomic(path, pieces);
  assert.ok(readFileSync(path).equals(Buffer.concat(pieces)));
  writeFileAtomic(path, [Buffer.from('a'), Buffer.alloc(0), Buffer.from('b')]);
  assert.is(readFileSync(path, 'utf8'), 'ab');
  assert.equal(readdirSync(dir), ['pack'], 'no temporary file is left beside it');
});

test('a write that cannot be made throws and leaves neither file nor temporary', () => {
  const dir = scratchDir();
  const path = join(dir, 'missing', 'pack');
  assert.throws(() => writeFileAtomic(path, [Buffer.from('x'), Buffer.from('y')]), /ENOENT/);
  assert.not.ok(existsSync(path));
  assert.equal(readdirSync(dir), []);
});

test.run();
