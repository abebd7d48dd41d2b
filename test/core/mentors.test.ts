import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mentorComments, mentorPrompt } from '../../src/core/agents/prompts.ts';
import {
  checkMentorsConfig,
  formatMentorRun,
  matchingProfiles,
  mentorProfiles,
  mentorRunOf,
  mentorStatus,
  parseMentorRun,
  withMentorRun,
} from '../../src/core/changes/mentors.ts';
import { type ChangeSpec, parseChangeSpec, serializeChangeSpec } from '../../src/core/changes/spec.ts';
import { FatalError } from '../../src/core/errors.ts';
import { globToRegExp } from '../../src/core/glob.ts';

test('globs: ** any depth, * and ? within a folder, sets, alternatives, escapes', () => {
  const cases: Array<[string, string, boolean]> = [
    ['src/**', 'src/a.ts', true],
    ['src/**', 'src/a/b.ts', true],
    ['src/**', 'srcx/a.ts', false],
    ['src/**', 'lib/src/a.ts', false],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'x/y/a.ts', true],
    ['**/*.ts', 'a.tsx', false],
    ['*.ts', 'a.ts', true],
    ['*.ts', 'x/a.ts', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'ab', false],
    ['?.md', 'a.md', true],
    ['?.md', 'ab.md', false],
    ['?.md', '/.md', false],
    ['src/*.{ts,js}', 'src/a.js', true],
    ['src/*.{ts,js}', 'src/a.css', false],
    ['{src,lib}/**/*.{ts,js}', 'lib/x/a.ts', true],
    ['[abc].txt', 'b.txt', true],
    ['[!abc].txt', 'b.txt', false],
    ['[!abc].txt', 'd.txt', true],
    ['[a-c].txt', 'c.txt', true],
    ['**', 'any/thing', true],
    ['**/**', 'a', true],
    ['src/', 'src/a/b', true],
    ['./README', 'README', true],
    ['/README', 'README', true],
    ['a.b', 'axb', false],
    ['a+b(c)', 'a+b(c)', true],
    ['{x}', '{x}', true],
    ['\\*.md', '*.md', true],
    ['\\*.md', 'a.md', false],
    ['a[', 'a[', true],
    ['.github/**', '.github/workflows/ci.yml', true],
    ['*', '.env', true],
    // what picomatch reads otherwise is sase's literal text: groups, a leading '!'
    ['a(b|c)', 'ab', false],
    ['a(b|c)', 'a(b|c)', true],
    ['!x', '!x', true],
    ['!x', 'y', false],
    ['docs/**/*.md', 'docs/a/.hidden.md', true],
  ];
  for (const [glob, path, want] of cases) assert.is(globToRegExp(glob).test(path), want, `${glob} ~ ${path}`);
});

test('profiles: checked keys and values, required paths and prompt, chosen by DELTAS paths', () => {
  const bad = (section: unknown, message: string) => {
    try {
      checkMentorsConfig(section, 'cfg.toml');
      assert.unreachable(message);
    } catch (err) {
      assert.instance(err, FatalError);
      assert.is((err as Error).message, message);
    }
  };
  bad({ sec: { paths: ['x'], prompt: 'p', colour: 1 } }, "cfg.toml: unknown key 'mentors.sec.colour'");
  bad({ sec: { paths: 'x' } }, "cfg.toml: 'mentors.sec.paths' must be an array of glob strings");
  bad({ sec: { paths: [''] } }, 'cfg.toml: \'mentors.sec.paths\' glob "" is empty');
  bad({ sec: { paths: ['a{b'] } }, "cfg.toml: 'mentors.sec.paths' glob \"a{b\" has a '{' without its '}'");
  bad(
    { sec: { provider: 'Bad Name' } },
    "cfg.toml: 'mentors.sec.provider' must be a provider's name (got \"Bad Name\")",
  );
  bad({ sec: { prompt: '  ' } }, "cfg.toml: 'mentors.sec.prompt' must be a text that is not empty");
  bad({ sec: { model: 3 } }, "cfg.toml: 'mentors.sec.model' must be a model's name (got 3)");
  bad(
    { 'Sec!': {} },
    "cfg.toml: mentor profile name 'Sec!' must be lower-case letters, digits, '_' and '-' (at most 40)",
  );
  bad({ sec: 'x' }, "cfg.toml: 'mentors.sec' must be a table");
  checkMentorsConfig({ sec: { prompt: 'only part of it: the rest may come from another file' } }, 'cfg.toml');
  assert.throws(() => mentorProfiles({ sec: { prompt: 'p' } }, 'c'), /'mentors.sec.paths' is required/);
  assert.throws(() => mentorProfiles({ sec: { paths: [] } }, 'c'), /'mentors.sec.prompt' is required/);

  const profiles = mentorProfiles(
    {
      web: { paths: ['web/**'], prompt: 'w' },
      all: { paths: ['**'], prompt: 'a', provider: 'codex', model: 'm' },
      none: { paths: [], prompt: 'n' },
    },
    'c',
  );
  assert.equal(
    profiles.map((p) => p.name),
    ['all', 'none', 'web'],
  );
  assert.equal(profiles[0], { name: 'all', paths: ['**'], provider: 'codex', prompt: 'a', model: 'm' });
  const change = (paths: string[]) =>
    ({ deltas: paths.map((path) => ({ op: '+', path, added: 1, changed: 0, removed: 0 })) }) as unknown as ChangeSpec;
  assert.equal(
    matchingProfiles(profiles, change(['web/a.ts', 'README'])).map((p) => p.name),
    ['all', 'web'],
  );
  assert.equal(
    matchingProfiles(profiles, change(['README'])).map((p) => p.name),
    ['all'],
  );
  assert.equal(
    matchingProfiles(profiles, change([])).map((p) => p.name),
    [],
  );
});

test('MENTORS: an entry per commit and profile, a line per run, counts, no step back, kept through the ChangeSpec text', () => {
  const at = '2026-11-25T10:17:00Z';
  let m = withMentorRun([], 2, { at, profile: 'sec', status: 'STARTING', seconds: null, run: 'r-aaaaaaaa' });
  assert.equal(m, [{ entry: '(2) sec[0/1]', runs: ['[2026-11-25T10:17:00Z] sec - STARTING - r-aaaaaaaa'] }]);
  m = withMentorRun(m, 1, { at, profile: 'style', status: 'STARTING', seconds: null, run: 'r-bbbbbbbb' });
  m = withMentorRun(m, 2, { at, profile: 'perf', status: 'STARTING', seconds: null, run: 'r-cccccccc' });
  assert.equal(
    m.map((x) => x.entry),
    ['(1) style[0/1]', '(2) perf[0/1]', '(2) sec[0/1]'],
    'by commit, then profile',
  );
  m = withMentorRun(m, 2, { at, profile: 'sec', status: 'COMMENTED', seconds: 135, run: 'r-aaaaaaaa' });
  assert.equal(m[2], {
    entry: '(2) sec[1/1]',
    runs: ['[2026-11-25T10:17:00Z] sec - COMMENTED - (2m15s) - r-aaaaaaaa'],
  });
  const late = withMentorRun(m, 2, { at, profile: 'sec', status: 'RUNNING', seconds: null, run: 'r-aaaaaaaa' });
  assert.equal(late[2], m[2], 'a finished run does not go back to RUNNING');
  m = withMentorRun(m, 2, { at, profile: 'sec', status: 'RUNNING', seconds: null, run: 'r-dddddddd' });
  assert.is(m[2]!.entry, '(2) sec[1/2]');
  assert.equal(mentorRunOf(m, 'r-aaaaaaaa'), {
    at,
    profile: 'sec',
    status: 'COMMENTED',
    seconds: 135,
    run: 'r-aaaaaaaa',
    commit: 2,
  });
  assert.is(mentorRunOf(m, 'r-zzzzzzzz'), null);
  assert.is(
    parseMentorRun('[2026-11-25T10:17:00Z] security - COMMENTED - (2m15s)')!.run,
    null,
    "FORMATS.md's example, without a run id",
  );
  assert.is(parseMentorRun('free text'), null);
  assert.is(
    formatMentorRun({ at, profile: 'p', status: 'FAILED', seconds: 3661, run: null }),
    '[2026-11-25T10:17:00Z] p - FAILED - (1h1m1s)',
  );
  // hand-written entries survive
  const kept = withMentorRun([{ entry: 'my note', runs: ['free'] }], 1, {
    at,
    profile: 'p',
    status: 'PASSED',
    seconds: 1,
    run: 'r-eeeeeeee',
  });
  assert.equal(
    kept.map((x) => x.entry),
    ['my note', '(1) p[1/1]'],
  );

  const text = `NAME: x\nSTATUS: Draft\nCOMMITS:\n  (1) one\n      | SHA: ${'a'.repeat(40)}\n  (2) two\n      | SHA: ${'b'.repeat(40)}\n`;
  const c = { ...parseChangeSpec(text, 'x.cs'), mentors: m };
  const out = serializeChangeSpec(c);
  assert.match(
    out,
    'MENTORS:\n  (1) style[0/1]\n      | [2026-11-25T10:17:00Z] style - STARTING - r-bbbbbbbb\n  (2) perf[0/1]\n',
  );
  assert.equal(parseChangeSpec(out, 'x.cs').mentors, m);
  assert.is(serializeChangeSpec(parseChangeSpec(out, 'x.cs')), out);
});

test("a mentor's status from its run", () => {
  assert.is(mentorStatus('done', 0), 'PASSED');
  assert.is(mentorStatus('done', 2), 'COMMENTED');
  assert.is(mentorStatus('failed', 0), 'FAILED');
  assert.is(mentorStatus('killed', 0), 'KILLED');
  assert.is(mentorStatus('running', 0), 'RUNNING');
  assert.is(mentorStatus('queued', 0), 'STARTING');
});

test("a mentor's answer: its own text, not what its tools printed, nor the prompt's template", () => {
  const comment = '{"path":"a.ts","line":2,"text":"real","severity":"error"}';
  const fixture = '{"path":"fixture.ts","text":"a line of a file it read"}';
  const transcript = [
    JSON.stringify({ type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Read' }] } }),
    JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', content: fixture }] } }),
    JSON.stringify({
      type: 'assistant',
      message: {
        content: [
          { type: 'tool_result', content: [{ type: 'text', text: fixture }] },
          { type: 'text', text: comment },
        ],
      },
    }),
    JSON.stringify({ type: 'item.completed', item: { type: 'command_execution', aggregated_output: fixture } }),
  ].join('\n');
  assert.equal(mentorComments(transcript), [{ path: 'a.ts', line: 2, text: 'real', severity: 'error' }]);
  const change = parseChangeSpec('NAME: x\nSTATUS: Draft\n', 'x.cs');
  assert.equal(
    mentorComments(mentorPrompt('Review it.', change, 'a'.repeat(40), '')),
    [],
    'the prompt alone, echoed, is no answer',
  );
});

test.run();
