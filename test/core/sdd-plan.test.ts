// The plan corpus (test/fixtures/sdd/): every valid plan parses and
// serialises to its canonical text, the canonical text is a fixed point, and
// every invalid plan yields exactly the one diagnostic it is named after.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DIAGNOSTIC_CODES } from '../../src/core/sdd/diagnostics.ts';
import { isValidSlug, MAX_PLAN_BYTES, slugify } from '../../src/core/sdd/paths.ts';
import { parsePlan, serializePlan } from '../../src/core/sdd/plan.ts';
import { ROOT } from '../helpers/run.ts';
import { taleText } from '../helpers/sdd.ts';

const t = suite('sdd-plan');
const CORPUS = join(ROOT, 'test', 'fixtures', 'sdd');
const read = (dir: string, f: string) => readFileSync(join(CORPUS, dir, f), 'utf8');
const valid = readdirSync(join(CORPUS, 'valid'))
  .filter((f) => f.endsWith('.md'))
  .sort();
const invalid = readdirSync(join(CORPUS, 'invalid'))
  .filter((f) => f.endsWith('.md'))
  .sort();

/** Codes only a store can show: links, beads, a file's place. Tested in test/commands/sdd-validate.test.ts. */
const STORE_ONLY = [
  'tier-mismatch',
  'slug-mismatch',
  'link-broken',
  'link-one-way',
  'bead-missing',
  'phase-beads-mismatch',
  // shown through a store by test/commands/sdd-validate.test.ts (a legend naming a tale; the skeleton sdd new writes)
  'link-not-epic',
  'placeholder',
];
/** Generated below rather than kept as a 1 MiB fixture. */
const GENERATED = ['too-large'];

t('slugs: the title in lower case, other characters one dash, accents dropped', () => {
  assert.is(slugify('Diamond epic'), 'diamond-epic');
  assert.is(slugify('  Fix: the *flaky* login test!! '), 'fix-the-flaky-login-test');
  assert.is(slugify('Café menu (v2)'), 'cafe-menu-v2');
  assert.is(slugify('../../etc/passwd'), 'etc-passwd');
  assert.is(slugify('日本語'), '');
  assert.ok(isValidSlug('a-b-2'));
  for (const bad of ['', 'A', 'a--b', '-a', 'a-', 'a/b', '..', 'a.b', 'x'.repeat(81)])
    assert.not.ok(isValidSlug(bad), bad);
});

t('the corpus has the plans the issue names', () => {
  assert.equal(valid, ['bom.md', 'crlf.md', 'epic.md', 'legend.md', 'quoted.md', 'tale.md', 'unicode-title.md']);
  // guards against an editor or git normalising the bytes the tests are about
  assert.ok(read('valid', 'crlf.md').includes('\r\n'), 'crlf.md has CRLF line endings');
  assert.ok(read('valid', 'bom.md').startsWith('\ufeff'), 'bom.md starts with a byte order mark');
  assert.equal(readdirSync(join(CORPUS, 'canonical')).sort(), valid, 'one canonical text per valid plan');
});

for (const f of valid) {
  t(`valid/${f}: parses cleanly and serialises to canonical/${f}`, () => {
    const { plan, diagnostics } = parsePlan(read('valid', f), f);
    assert.equal(diagnostics, []);
    assert.ok(plan);
    assert.fixture(serializePlan(plan!), read('canonical', f));
  });

  t(`canonical/${f}: a fixed point of parse and serialise`, () => {
    const canonical = read('canonical', f);
    const { plan, diagnostics } = parsePlan(canonical, f);
    assert.equal(diagnostics, []);
    assert.fixture(serializePlan(plan!), canonical);
    assert.equal(parsePlan(serializePlan(plan!), f).plan, plan, 'the parsed plan survives a round trip');
  });
}

t('what the valid plans hold', () => {
  const epic = parsePlan(read('valid', 'epic.md'), 'epic.md').plan!;
  assert.is(epic.slug, 'ready-queue-cache');
  assert.equal(
    epic.phases.map((p) => [p.id, p.size, p.depends_on]),
    [
      ['store', 'small', []],
      ['query', 'medium', ['store']],
      ['bench', 'xsmall', ['store', 'query']],
    ],
  );
  assert.is(epic.phases[0]!.description, 'Write the cache beside the state ref,\nkeyed by the tree id.\n');
  assert.equal(epic.phases[0]!.scope, ['src/store/**', 'test/store/*.test.ts']);
  assert.is(epic.phases[1]!.model, 'claude-opus');
  assert.is(epic.created_at, '2026-11-25T10:00:00Z', 'an unquoted YAML time is kept as ISO text');
  assert.match(
    read('canonical', 'epic.md'),
    / {4}description: \|\n {6}Write the cache beside the state ref,\n {6}keyed by the tree id.\n/,
    'a text of several lines is a block',
  );
  const legend = parsePlan(read('valid', 'legend.md'), 'legend.md').plan!;
  assert.equal(legend.epics, ['ready-queue-cache', 'show-cache']);
  const unicode = parsePlan(read('valid', 'unicode-title.md'), 'u.md').plan!;
  assert.is(unicode.title, 'Überprüfung der Eingabe — 日本語 ✓');
  assert.match(unicode.body, /🚀/);
  const quoted = parsePlan(read('valid', 'quoted.md'), 'q.md').plan!;
  assert.is(quoted.title, 'Colons: and #hashes');
  assert.is(quoted.goal, `a goal with "double" and 'single' quotes`);
  assert.is(quoted.model, '@scoped/model:latest');
  assert.match(quoted.body, /^Body with --- inside\n---\n/, 'a --- line in the body is body');
  const crlf = parsePlan(read('valid', 'crlf.md'), 'c.md').plan!;
  assert.not.match(serializePlan(crlf), /\r/);
  assert.is(parsePlan(read('valid', 'bom.md'), 'b.md').plan!.tier, 'tale');
});

for (const f of invalid) {
  const code = f.replace(/\.md$/, '');
  t(`invalid/${f}: exactly one diagnostic, '${code}'`, () => {
    const { plan, diagnostics } = parsePlan(read('invalid', f), f);
    assert.equal(
      diagnostics.map((d) => d.code),
      [code],
      JSON.stringify(diagnostics),
    );
    const d = diagnostics[0]!;
    assert.is(d.path, f);
    assert.ok(d.message && !/\n/.test(d.message), 'a one-line message');
    if (code === 'inert-field') {
      assert.is(d.severity, 'warning');
      assert.ok(plan, 'a warning does not stop the plan');
    } else {
      assert.is(d.severity, 'error');
      assert.is(plan, null);
    }
  });
}

t('too-large: a plan over 1 MiB is refused before it is parsed', () => {
  const text = taleText('Big') + 'x'.repeat(MAX_PLAN_BYTES);
  const { plan, diagnostics } = parsePlan(text, 'big.md');
  assert.is(plan, null);
  assert.equal(
    diagnostics.map((d) => d.code),
    ['too-large'],
  );
});

t('every diagnostic code is in the invalid corpus, generated, or shown through a store', () => {
  const covered = new Set([...invalid.map((f) => f.replace(/\.md$/, '')), ...GENERATED, ...STORE_ONLY]);
  assert.equal(
    DIAGNOSTIC_CODES.map(([c]) => c).filter((c) => !covered.has(c)),
    [],
  );
  const known = new Set(DIAGNOSTIC_CODES.map(([c]) => c));
  assert.equal(
    [...covered].filter((c) => !known.has(c)),
    [],
    'no fixture for a code that does not exist',
  );
});

t('diagnostics carry the line of the offending key', () => {
  const line = (f: string) => parsePlan(read('invalid', f), f).diagnostics[0]!.line;
  assert.is(line('unknown-key.md'), 5);
  assert.is(line('tier-invalid.md'), 2);
  assert.is(line('phase-id-duplicate.md'), 10, 'the second phase');
  assert.is(line('dep-unknown.md'), 10);
  assert.is(line('body-empty.md'), 5, 'the closing ---');
});

t('bad values give clear messages, never exceptions', () => {
  const codes = (text: string) => parsePlan(text, 'x.md').diagnostics.map((d) => `${d.code}: ${d.message}`);
  assert.equal(codes(''), [
    'frontmatter-missing: the file must start with a YAML front matter block between --- lines',
  ]);
  assert.equal(codes('---\n---\nbody\n'), [
    'frontmatter-not-mapping: the front matter is empty; expected a mapping of keys to values',
  ]);
  assert.equal(codes('---\njust text\n---\nbody\n'), [
    'frontmatter-not-mapping: the front matter is a string; expected a mapping of keys to values',
  ]);
  assert.equal(codes('---\ntier: tale\ntier: epic\ntitle: t\ngoal: g\n---\nb\n'), [
    'yaml-invalid: the front matter is not valid YAML: duplicated mapping key',
  ]);
  assert.equal(codes('---\ntier: tale\ntitle: 2026-01-01\ngoal: g\n---\nb\n'), [
    "type-mismatch: 'title' must be text, not a date (quote it to keep it as text)",
  ]);
  assert.equal(codes('---\ntier: tale\ntitle: t\ngoal: g\nslug: a/b\n---\nb\n'), [
    "slug-invalid: slug 'a/b' is not lower-case letters and digits joined by single '-' (at most 80 characters)",
  ]);
  assert.equal(codes('---\ntier: epic\ntitle: t\ngoal: g\nphases: {a: 1}\n---\nb\n'), [
    "type-mismatch: 'phases' must be a list, not a mapping",
  ]);
});

t('a multi-line goal round-trips as a block', () => {
  const text = '---\ntier: tale\ntitle: t\ngoal: |\n  line one\n  line two\n---\nb\n';
  const plan = parsePlan(text, 'x.md').plan!;
  assert.is(plan.goal, 'line one\nline two\n');
  const canonical = serializePlan(plan);
  assert.match(canonical, /\ngoal: \|\n {2}line one\n {2}line two\n/);
  assert.is(serializePlan(parsePlan(canonical, 'x.md').plan!), canonical);
});

t.run();

t('front matter is YAML 1.2 (js-yaml 4): 12:30 is a text, not the number 45000 (YAML 1.1 sexagesimal)', () => {
  // broken with js-yaml 3: the title '12:30' was read as 45000, which is no title
  const { plan, diagnostics } = parsePlan(taleText('12:30'), 'sdd/tales/x.md');
  assert.equal(diagnostics, []);
  assert.is(plan!.title, '12:30');
  // and the canonical text reads back the same
  const again = parsePlan(serializePlan(plan!), 'sdd/tales/x.md').plan!;
  assert.is(again.title, '12:30');
});
