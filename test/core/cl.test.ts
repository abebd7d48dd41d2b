// A change's CL (src/core/changes/cl.ts): one validation for every path that
// sets one (sase cs set, sase cs edit, the change text parser reading stored
// records and NDJSON, the review providers recording what they mailed).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkCl, clMessage, MAX_CL } from '../../src/core/changes/cl.ts';
import { parseChangeSpec } from '../../src/core/changes/spec.ts';
import { FatalError, UsageError } from '../../src/core/errors.ts';

const t = suite('core/cl');

const GOOD = [
  'github:acme/sase#42',
  'github:my-org/my.repo_2#7',
  'local:refs/sase/review/ready_cache_store',
  'x:y',
  '12345',
  'cl/123',
  'https://review.example.com/c/project/+/12345',
  'gerrit:I8473b95934b5732ac55d26311a706c9c2bde9940',
];

const BAD: Array<[string, RegExp]> = [
  ['a b', /must not contain spaces/],
  ['tab\there', /must not contain spaces/],
  ['two\nlines', /must not contain spaces/],
  ['$(id)', /is not a review id/],
  ['`id`', /is not a review id/],
  ["it's", /is not a review id/],
  ['a;b', /is not a review id/],
  ['a|b', /is not a review id/],
  ['esc\u001b[2J', /is not a review id/],
  ['bell\u0007', /is not a review id/],
  ['-x', /must not start with '-'/],
  ['--upload-pack=touch', /must not start with '-'/],
  ['local:--upload-pack=x', /is not local:refs\//],
  ['local:-x', /is not local:refs\//],
  ['local:refs/../x', /is not local:refs\//],
  ['local:refs/sase/review/', /is not local:refs\//],
  ['local:', /is not local:refs\//],
  ['github:acme/sase', /is not github:<owner>\/<repo>#<number>/],
  ['github:acme/sase#x', /is not github:<owner>\/<repo>#<number>/],
  ['github:acme#1', /is not github:<owner>\/<repo>#<number>/],
  ['', /is empty/],
];

t('the forms a CL takes are accepted as they are', () => {
  for (const cl of GOOD) {
    assert.is(clMessage('--cl', cl), null, cl);
    assert.is(checkCl('--cl', cl), cl);
  }
});

t('anything else is refused, naming the value and what is wrong', () => {
  for (const [cl, pattern] of BAD) {
    const message = clMessage('--cl', cl);
    assert.ok(message, `refused: ${JSON.stringify(cl)}`);
    assert.ok(message!.startsWith(`--cl '${cl}' `), message!);
    assert.match(message!, pattern);
    assert.throws(
      () => checkCl('--cl', cl),
      (e: unknown) => e instanceof UsageError && e.message === message,
    );
  }
});

t('a CL over the limit is refused by its length, before any pattern sees it', () => {
  assert.is(clMessage('--cl', 'x'.repeat(MAX_CL)), null);
  assert.is(
    clMessage('--cl', 'x'.repeat(MAX_CL + 1)),
    `--cl is too long (${MAX_CL + 1} characters, at most ${MAX_CL})`,
  );
  const started = performance.now();
  assert.match(clMessage('--cl', `local:${'a/'.repeat(3 << 20)}`)!, /^--cl is too long \(6291462 characters/);
  assert.ok(performance.now() - started < 1000);
});

t('the change text parser refuses the same CLs, naming the line (a stored record, or an edit)', () => {
  const text = (cl: string) => `NAME: feat\nDESCRIPTION:\n  A feature\nCL: ${cl}\nSTATUS: Mailed\n`;
  for (const cl of GOOD) assert.is(parseChangeSpec(text(cl), 'changes/feat.cs').cl, cl);
  for (const cl of ['$(id)', 'local:--upload-pack=x', '-x', 'github:acme/sase', 'a b']) {
    assert.throws(
      () => parseChangeSpec(text(cl), 'changes/feat.cs'),
      (e: unknown) => e instanceof FatalError && e.message === `changes/feat.cs:4: ${clMessage('CL', cl)}`,
      cl,
    );
  }
});

t.run();
