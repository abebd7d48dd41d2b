import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { axeRepo, userChop } from '../helpers/axe.ts';
import { fails, okBin, sase } from '../helpers/run.ts';

const t = suite('axe-chop-run');

t('runs one chop now with its targets, kept in its history; failures and bad names; the real launcher', async () => {
  const repo = await axeRepo();
  userChop(repo, 'echo-targets', `cat "$2" > "$PWD/.ctx.json"; echo ran`);
  const [r] = okBin(repo, 'axe-chop-run', ['echo-targets', 'ts-abc', 'ts-def']);
  assert.equal(
    [r!.kind, r!.chop, r!.lumberjack, r!.status, r!.how],
    ['chop_run', 'echo-targets', 'manual', 'ok', 'process'],
  );
  assert.is(readFileSync(join(r!.dir, 'log'), 'utf8'), 'ran\n');
  const ctx = JSON.parse(readFileSync(join(repo.dir, '.ctx.json'), 'utf8'));
  assert.equal([ctx.targets, ctx.dry_run, ctx.lumberjack], [['ts-abc', 'ts-def'], false, 'manual']);
  const dry = await sase(repo, 'axe-chop-run', ['waits', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.equal([dry.records[0]!.status, dry.records[0]!.how], ['no_op', 'in-process']);
  const gone = await sase(repo, 'axe-chop-run', ['nowhere']);
  assert.is(gone.code, 1);
  assert.is(gone.records[0]!.status, 'check_error');
  fails(
    await sase(repo, 'axe-chop-run', ['../x']),
    129,
    "error: '../x' is not a chop name (lower-case letters, digits, '-' and '_')",
  );
});

t.run();
