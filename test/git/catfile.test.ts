// The long-lived reader: reads asked for together are written to git at once
// and answered in order; a read asked for just before close() is answered.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CatFile } from '../../src/git/catfile.ts';
import { openRepo } from '../../src/git/repo.ts';
import { gitdir } from '../helpers/gitdir.ts';

const t = suite('git cat-file reader');

const repo = gitdir();
const texts = Array.from({ length: 500 }, (_, i) => `object ${i}\n`);
const oids = texts.map((text, i) => {
  repo.write(`o${i}`, text);
  return repo.git('hash-object', '-w', `o${i}`).trim();
});

t('many reads at once: each answered with its own object, a missing one with null', async () => {
  const cat = new CatFile(await openRepo({ cwd: repo.dir, env: repo.env }));
  const names = [...oids, '0123456789abcdef0123456789abcdef01234567', `${oids[3]}`];
  const got = await Promise.all(names.map((n) => cat.read(n)));
  assert.equal(
    got.map((o) => o?.data.toString() ?? null),
    [...texts, null, texts[3]],
  );
  // and later ones, after the first batch
  assert.is((await cat.read(oids[7]!))?.data.toString(), texts[7]);
  cat.close();
});

t('reads asked for just before close() are still answered', async () => {
  const cat = new CatFile(await openRepo({ cwd: repo.dir, env: repo.env }));
  assert.is((await cat.read(oids[0]!))?.data.toString(), texts[0]);
  const pending = oids.slice(0, 50).map((o) => cat.read(o));
  cat.close();
  assert.equal(
    (await Promise.all(pending)).map((o) => o?.data.toString()),
    texts.slice(0, 50),
  );
});

t.run();
