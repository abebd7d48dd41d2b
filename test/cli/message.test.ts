// The one line an error becomes (messageLine in src/cli/message.ts): linear
// and bounded whatever it is given, so no input, however long or odd, turns an
// error message into a crash or a flood.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_MESSAGE, messageLine } from '../../src/cli/message.ts';

const t = suite('message line');
const MB6 = 6 << 20;

t('a short message is kept as it is', () => {
  assert.is(
    messageLine("error: no bead 'ts-zz9' (try 'sase bead list')"),
    "error: no bead 'ts-zz9' (try 'sase bead list')",
  );
});

t('a long quoted subject is abbreviated, with its length', () => {
  const line = messageLine(`error: no bead '${'a'.repeat(300)}' (try 'sase bead list')`);
  assert.is(line, `error: no bead '${'a'.repeat(60)}...' (300 characters) (try 'sase bead list')`);
});

t('a 6 MB quoted subject: abbreviated, no RangeError', () => {
  const line = messageLine(`error: not a bead id '${'a'.repeat(MB6)}'`);
  assert.is(line, `error: not a bead id '${'a'.repeat(60)}...' (${MB6} characters)`);
});

t('6 MB of anything: one bounded line, quickly', () => {
  for (const body of [
    'a'.repeat(MB6),
    "'".repeat(MB6),
    "'a".repeat(MB6 / 2),
    `'${'a'.repeat(MB6)}`,
    `${'a'.repeat(MB6)}'`,
    '\n'.repeat(MB6),
    '\u001b'.repeat(MB6),
    '\ud83d\ude00'.repeat(MB6 / 2),
    `'${'\u0007'.repeat(MB6)}'`,
  ]) {
    const started = performance.now();
    const line = messageLine(`error: '${body}`);
    const ms = performance.now() - started;
    assert.ok(line.length <= MAX_MESSAGE + 40, `bounded: ${line.length} characters`);
    assert.not.match(line, /[\u0000-\u001f\u007f-\u009f]/, 'no raw control characters');
    assert.not.ok(line.includes('\n'), 'one line');
    assert.ok(ms < 2000, `linear: ${ms} ms`);
  }
});

t('control characters are shown escaped, and never split', () => {
  assert.is(messageLine("error: bad id 'ts-\u001b[2J\n\t\r'"), "error: bad id 'ts-\\x1b[2J\\n\\t\\r'");
  const line = messageLine(`error: ${'\u0001'.repeat(5000)}`);
  assert.match(line, /^error: (\\x01)+\.\.\. \(5007 characters\)$/);
});

t('a lone surrogate is not left at the cut', () => {
  const line = messageLine(`error: ${'x'.repeat(MAX_MESSAGE - 8)}\ud83d\ude00 and more`);
  assert.not.match(line, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
});

t.run();
