// XPrompt files and prompt expansion, against an in-memory library: each
// reference syntax, typed inputs and defaults, cycles, code, directives and
// segments.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FatalError, NotFoundError, UsageError } from '../../src/core/errors.ts';
import { expandPrompt, splitSegments, stripDirectives } from '../../src/core/xprompts/expand.ts';
import { checkValue, parseXPrompt, type XPrompt } from '../../src/core/xprompts/xprompt.ts';

const t = suite('xprompts');

function lib(files: Record<string, string>) {
  const parsed = Object.fromEntries(
    Object.entries(files).map(([name, text]) => [name, parseXPrompt(text, name, `${name}.md`)]),
  );
  return (name: string): XPrompt | null => parsed[name] ?? null;
}

const LIB = lib({
  careful: 'Be careful.\n',
  review:
    '---\ndescription: Review\ninputs:\n  focus: {type: word}\n  depth: {type: int, default: 2}\n---\nReview {{focus}} at depth {{depth}}.\n',
  say: '---\ninputs:\n  msg: {type: line}\n---\nSay: {{msg}}\n',
  'team/deploy': '---\ninputs:\n  env: {type: word, default: staging}\n---\nDeploy to {{env}}.\n',
  outer: 'Outer start. #careful #team/deploy(env=prod)\n',
  typed:
    '---\ninputs:\n  n: int\n  f: {type: float, default: 1.5}\n  b: {type: bool, default: false}\n  p: {type: path, default: src/}\n  t: {type: text, default: ""}\n---\nn={{n}} f={{f}} b={{b}} p={{p}} {{unknown}}\n',
});

function throws(fn: () => unknown, cls: new (...args: never[]) => Error, message: RegExp | string): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, cls, String(err));
    if (typeof message === 'string') assert.is((err as Error).message, message);
    else assert.match((err as Error).message, message);
    return;
  }
  assert.unreachable('did not throw');
}

t('parses front matter: description, typed inputs with defaults, tags', () => {
  const x = parseXPrompt(
    '---\nname: r\ndescription: d\ninputs:\n  a: {type: word}\n  b: {type: int, default: 3}\n  c: bool\ntags: [x, y]\n---\nBody\n',
    'r',
    'r.md',
  );
  assert.is(x.description, 'd');
  assert.equal(x.inputs, [
    { name: 'a', type: 'word', default: null, required: true },
    { name: 'b', type: 'int', default: '3', required: false },
    { name: 'c', type: 'bool', default: null, required: true },
  ]);
  assert.equal(x.tags, ['x', 'y']);
  assert.is(x.body, 'Body\n');
  const list = parseXPrompt('---\ninputs:\n  - {name: a, type: path, default: x}\n---\nB', 'l', 'l.md');
  assert.equal(list.inputs, [{ name: 'a', type: 'path', default: 'x', required: false }]);
  assert.equal(parseXPrompt('Just text', 'plain', 'p.md').inputs, []);
});

t('malformed XPrompt files are fatal and name the file', () => {
  throws(
    () => parseXPrompt('---\ninputs: [\n---\nB', 'a', 'a.md'),
    FatalError,
    /^a\.md:\d+: front matter is not valid YAML/,
  );
  throws(
    () => parseXPrompt('---\ninput:\n  a: word\n---\nB', 'a', 'a.md'),
    FatalError,
    "a.md: unknown front matter key 'input' (known: name, description, inputs, tags)",
  );
  throws(
    () => parseXPrompt('---\ninputs:\n  a: {type: number}\n---\nB', 'a', 'a.md'),
    FatalError,
    "a.md: input 'a' has unknown type 'number' (known: word, line, text, path, int, bool, float)",
  );
  throws(
    () => parseXPrompt('---\ninputs:\n  a: {type: int, default: x}\n---\nB', 'a', 'a.md'),
    FatalError,
    /default of input 'a'/,
  );
  throws(
    () => parseXPrompt('---\nname: other\n---\nB', 'ns/a', 'a.md'),
    FatalError,
    "a.md: front matter name 'other' differs from the file's name 'a'",
  );
});

t('type checks: word, line, text, path, int, bool, float', () => {
  assert.is(checkValue('x', 'i', 'word', 'abc'), 'abc');
  throws(
    () => checkValue('x', 'i', 'word', 'a b'),
    UsageError,
    "xprompt 'x': input 'i' expects a word (no spaces), got 'a b'",
  );
  throws(() => checkValue('x', 'i', 'line', 'a\nb'), UsageError, /expects a line/);
  assert.is(checkValue('x', 'i', 'text', 'a\nb'), 'a\nb');
  throws(() => checkValue('x', 'i', 'path', ''), UsageError, /expects a path/);
  assert.is(checkValue('x', 'i', 'int', '+007'), '7');
  throws(() => checkValue('x', 'i', 'int', '1.5'), UsageError, "xprompt 'x': input 'i' expects an int, got '1.5'");
  assert.is(checkValue('x', 'i', 'bool', 'Yes'), 'true');
  assert.is(checkValue('x', 'i', 'bool', '0'), 'false');
  throws(() => checkValue('x', 'i', 'bool', 'maybe'), UsageError, /expects a bool/);
  assert.is(checkValue('x', 'i', 'float', '2.5e3'), '2.5e3');
  throws(() => checkValue('x', 'i', 'float', 'NaN'), UsageError, /expects a float/);
});

t('reference syntax: #name, #name(a=1, b=x), positional, quoted, #name:value, #ns/name', () => {
  assert.is(expandPrompt('Go. #careful', LIB).text, 'Go. Be careful.');
  assert.is(expandPrompt('#review(focus=tests, depth=5)', LIB).text, 'Review tests at depth 5.');
  assert.is(expandPrompt('#review(api)', LIB).text, 'Review api at depth 2.', 'positional, default filled');
  assert.is(expandPrompt('#say(msg="a, b (c)")', LIB).text, 'Say: a, b (c)');
  assert.is(expandPrompt("#say(msg='it\\'s')", LIB).text, "Say: it's");
  assert.is(
    expandPrompt('Look: #review:tests.', LIB).text,
    'Look: Review tests at depth 2..',
    "the first required input; the full stop is the sentence's",
  );
  assert.is(expandPrompt('#say:"two words" ok', LIB).text, 'Say: two words ok');
  assert.is(expandPrompt('#team/deploy and #team/deploy:prod', LIB).text, 'Deploy to staging. and Deploy to prod.');
  assert.is(expandPrompt('(#careful)', LIB).text, '(Be careful.)');
  assert.is(
    expandPrompt('a#careful x/#careful', LIB).text,
    'a#careful x/#careful',
    'inside a word or a path: not a reference',
  );
});

t('types and defaults through references; unknown placeholders stay', () => {
  assert.is(expandPrompt('#typed(n=3)', LIB).text, 'n=3 f=1.5 b=false p=src/ {{unknown}}');
  assert.is(expandPrompt('#typed(n=3, f=-2, b=on, p=a/b.ts)', LIB).text, 'n=3 f=-2 b=true p=a/b.ts {{unknown}}');
  throws(
    () => expandPrompt('#typed(n=three)', LIB),
    UsageError,
    "xprompt 'typed': input 'n' expects an int, got 'three'",
  );
  throws(() => expandPrompt('#typed(f=1)', LIB), UsageError, "xprompt 'typed': missing required input 'n' (int)");
  throws(
    () => expandPrompt('#typed(n=1, q=2)', LIB),
    UsageError,
    "xprompt 'typed' has no input 'q' (inputs: n, f, b, p, t)",
  );
  throws(() => expandPrompt('#review', LIB), UsageError, "xprompt 'review': missing required input 'focus' (word)");
  throws(
    () => expandPrompt('#careful:x', LIB),
    UsageError,
    "xprompt 'careful' takes no inputs, but '#careful:x' gives one",
  );
  throws(() => expandPrompt('#careful(x)', LIB), UsageError, "xprompt 'careful' takes 0 inputs; 1 given");
  throws(() => expandPrompt('#say(msg="open', LIB), FatalError, /unterminated " quote/);
  throws(() => expandPrompt('#say(msg=x', LIB), FatalError, /unclosed argument list/);
});

t('unknown names stay as written unless given arguments', () => {
  const text = '# Heading\n## Sub #nope\nFixes #123 and #nope.\n';
  assert.is(expandPrompt(text, LIB).text, text);
  throws(
    () => expandPrompt('x\n#nope(a=1)', LIB),
    NotFoundError,
    "no xprompt 'nope' (prompt, line 2; try 'sase xprompt list')",
  );
  throws(() => expandPrompt('#nope:value', LIB), NotFoundError, /no xprompt 'nope'/);
});

t('recursive expansion with a trace; cycles name the chain; depth is bounded', () => {
  const x = expandPrompt('Start\n#outer', LIB);
  assert.is(x.text, 'Start\nOuter start. Be careful. Deploy to prod.');
  assert.equal(x.trace, [
    { name: 'outer', args: {}, depth: 0, parent: null, line: 2 },
    { name: 'careful', args: {}, depth: 1, parent: 'outer', line: 1 },
    { name: 'team/deploy', args: { env: 'prod' }, depth: 1, parent: 'outer', line: 1 },
  ]);
  const cyc = lib({ a: 'A #b', b: 'B #c', c: 'C #a', self: 'me #self' });
  throws(() => expandPrompt('go #a', cyc), FatalError, 'xprompt cycle: a -> b -> c -> a');
  throws(() => expandPrompt('#self', cyc), FatalError, 'xprompt cycle: self -> self');
  const deep: Record<string, string> = {};
  for (let i = 0; i < 150; i++) deep[`d${i}`] = `#d${i + 1}`;
  deep.d150 = 'bottom';
  throws(() => expandPrompt('#d0', lib(deep)), FatalError, /nested more than 100 deep/);
  const ok: Record<string, string> = {};
  for (let i = 0; i < 50; i++) ok[`d${i}`] = `#d${i + 1}`;
  ok.d50 = 'bottom';
  assert.is(expandPrompt('#d0', lib(ok)).text, 'bottom');
});

t('fenced code blocks and inline code are never expanded', () => {
  const text =
    'Before #careful\n```sh\n#careful\n%model:x\n---\n```\n~~~\n#careful\n~~~~\nUse `#careful` or ``#careful(a=1)``\nAfter #careful\n';
  const x = expandPrompt(text, LIB);
  assert.is(
    x.text,
    'Before Be careful.\n```sh\n#careful\n%model:x\n---\n```\n~~~\n#careful\n~~~~\nUse `#careful` or ``#careful(a=1)``\nAfter Be careful.\n',
  );
  assert.is(x.directives.model, null);
  assert.is(x.segments.length, 1);
  assert.is(
    expandPrompt('```\nunclosed #careful\n', LIB).text,
    '```\nunclosed #careful\n',
    'an unclosed fence runs to the end',
  );
  const body = lib({ code: 'Run:\n```\n#nope(x=1)\n```\n' });
  assert.is(expandPrompt('#code', body).text, 'Run:\n```\n#nope(x=1)\n```', 'fences inside an XPrompt body too');
});

t('directives are stripped and returned; conflicting ones are refused', () => {
  const x = expandPrompt('%model:opus\nFix it %name:fixer now\n%wait:a,bead:ts-1\n%wait:c\n%provider:codex\nDone', LIB);
  assert.is(x.text, 'Fix it now\nDone');
  assert.equal(x.directives, { model: 'opus', name: 'fixer', wait: ['a', 'bead:ts-1', 'c'], provider: 'codex' });
  assert.equal(
    expandPrompt('#team/deploy %model:x', lib({ 'team/deploy': 'Deploy %name:dep' })).directives.name,
    'dep',
    'directives in an XPrompt body count',
  );
  throws(() => expandPrompt('%model:a\n%model:b', LIB), UsageError, "two '%model:' directives: 'a' and 'b'");
  throws(
    () => expandPrompt('%model: opus', LIB),
    UsageError,
    "directive '%model:' has no value (write it as %model:<value>, without a space)",
  );
  assert.is(stripDirectives('100%model:x stays').text, '100%model:x stays', 'not a directive inside a word');
  assert.is(expandPrompt('%other:x stays', LIB).text, '%other:x stays');
});

t('segments: lines holding only --- split the prompt, each with its directives', () => {
  const x = expandPrompt('---\n%name:one\nFirst #careful\n---\n%name:two\n%model:m\nSecond\n---  \n\n---\n', LIB);
  assert.equal(
    x.segments.map((s) => [s.text, s.directives.name, s.directives.model]),
    [
      ['First Be careful.', 'one', null],
      ['Second', 'two', 'm'],
    ],
  );
  assert.is(x.directives.name, 'one', 'the first value of each');
  assert.is(x.directives.model, 'm');
  assert.equal(splitSegments('a\n ---\nb---\n'), ['a\n ---\nb---'], 'only lines holding exactly ---');
  assert.equal(
    expandPrompt('#multi', lib({ multi: 'one\n---\ntwo' })).segments.map((s) => s.text),
    ['one', 'two'],
    'an XPrompt may fan out',
  );
});

t('a prompt larger than 4 MiB is refused, before and after expansion', () => {
  throws(
    () => expandPrompt('x'.repeat((4 << 20) + 1), LIB),
    FatalError,
    'the prompt is 4194305 bytes; at most 4194304 (4 MiB) are accepted',
  );
  const big = lib({ big: 'y'.repeat(1 << 20) });
  throws(
    () => expandPrompt('#big #big #big #big #big', big),
    FatalError,
    /^the expanded prompt is \d+ bytes; at most 4194304/,
  );
});

t.run();
