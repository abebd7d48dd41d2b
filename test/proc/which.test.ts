// which: what the hand-written search gives that the `which` package (6.0.1)
// does not (see src/proc/which.ts); the first two cases are ones that package
// answers differently.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { which } from '../../src/proc/which.ts';
import { scratchDir } from '../helpers/gitdir.ts';
import { ROOT } from '../helpers/run.ts';

function program(dir: string, name: string, mode = 0o755): string {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\nexit 0\n');
  chmodSync(p, mode);
  return p;
}

test("neither an empty PATH entry nor a relative name means this process's folder: a program planted there is not run", () => {
  // a process whose folder holds an 'agent' (as a repository being worked on could)
  const here = scratchDir('sase-which-here-');
  program(here, 'agent');
  const bin = scratchDir('sase-which-bin-');
  const url = pathToFileURL(join(ROOT, 'src', 'proc', 'which.ts')).href;
  const code = `import { which } from ${JSON.stringify(url)};
for (const [name, PATH] of [['agent', '${bin}:'], ['agent', ':${bin}'], ['agent', '${bin}::${bin}'], ['./agent', '${bin}'], ['agent', '']])
  console.log(JSON.stringify(which(name, { PATH })));`;
  // tsx named by its URL: the child's folder has no node_modules
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', code], {
    cwd: here,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n'), ['null', 'null', 'null', 'null', 'null']);
});

test('a name with a slash is taken as it is when absolute', () => {
  const p = program(scratchDir('sase-which-abs-'), 'agent');
  assert.is(which(p, {}), p);
  assert.is(which(`${p}-not`, {}), null);
});

test('found: the first runnable file on PATH; folders and files not executable are passed over', () => {
  const a = scratchDir('sase-which-a-');
  const b = scratchDir('sase-which-b-');
  mkdirSync(join(a, 'agent')); // a folder of that name
  program(a, 'tool', 0o644); // not executable
  const agent = program(b, 'agent');
  const tool = program(b, 'tool');
  assert.is(which('agent', { PATH: `${a}:${b}` }), agent);
  assert.is(which('tool', { PATH: `${a}:${b}` }), tool);
  assert.is(which('nothing', { PATH: `${a}:${b}` }), null);
  assert.is(which('agent', {}), null, 'no PATH, nothing found');
});

test.run();
