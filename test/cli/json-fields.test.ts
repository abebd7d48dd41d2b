// --json FIELDS is checked against the records a command says it prints
// (its spec's `prints`) before it runs: a write asked for a field no record
// has is a usage error that changes nothing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CommandSpec } from '../../src/cli/spec.ts';
import { RECORD_FIELDS } from '../../src/wire/fields.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, ROOT, sase } from '../helpers/run.ts';
import { stateTip } from '../helpers/state.ts';

const t = suite('--json FIELDS');

const specs = await Promise.all(
  readdirSync(join(ROOT, 'src', 'commands'))
    .filter((f) => f.endsWith('.ts'))
    .map(async (f) => (await import(pathToFileURL(join(ROOT, 'src', 'commands', f)).href)).spec as CommandSpec),
);
const specNamed = (name: string) => specs.find((s) => s.name === name)!;

/** The error pickFields has always given, with the fields of the records `name` prints. */
function unknownField(name: string, field: string): string {
  const valid = [...new Set(specNamed(name).prints!.flatMap((s): readonly string[] => RECORD_FIELDS[s]))];
  return `error: option '--json': unknown field '${field}' (valid: ${valid.join(', ')})`;
}

const repo = await initedRepo();
const [bead] = await ok(repo, 'bead-create', ['--title', 'A bead']);
await ok(repo, 'cs-new', ['feat', '--description', 'A feature']);
await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'A tale', '--goal', 'a goal'], { input: 'the prompt\n' });

t('a write with an unknown field fails with a usage error before it writes anything', async () => {
  const writes: Array<[string, string[], string?]> = [
    ['bead-update', [bead!.id, '--priority', '1', '--json', 'id,nosuchfield']],
    ['bead-create', ['--title', 'Another', '--json', 'nosuchfield']],
    ['bead-close', [bead!.id, '--json=nosuchfield']],
    ['cs-set', ['feat', '--status', 'Ready', '--json', 'nosuchfield']],
    ['sdd-new', ['--tier', 'tale', '--title', 'Another tale', '--json', 'nosuchfield'], 'a prompt\n'],
    ['bead-import', ['--json=nosuchfield'], `${JSON.stringify({ id: 'ts-imp1', title: 'Imported' })}\n`],
  ];
  for (const [name, args, input] of writes) {
    const before = stateTip(repo);
    const r = await sase(repo, name, args, { input });
    fails(r, 129, unknownField(name, 'nosuchfield'));
    assert.match(r.stderr, /^[^\n]*\nusage: sase-[^\n]*\n$/, name);
    assert.is(stateTip(repo), before, `${name} moved the state ref`);
  }
  // the same writes with known fields go on and print them
  assert.equal(await ok(repo, 'bead-update', [bead!.id, '--priority', '1', '--json', 'id,priority']), [
    { id: bead!.id, priority: 1 },
  ]);
  assert.equal(await ok(repo, 'cs-set', ['feat', '--status', 'Ready', '--json', 'name,status']), [
    { name: 'feat', status: 'Ready' },
  ]);
});

t('a field of any record a command prints is accepted, null where a record lacks it', async () => {
  // sdd list prints plans, prompts and invalid ones (with diagnostics): a plan first no longer decides
  const listed = await ok(repo, 'sdd-list', ['--tier', 'all', '--json', 'id,diagnostics']);
  assert.ok(listed.length >= 2);
  for (const r of listed) assert.equal(Object.keys(r), ['id', 'diagnostics']);
  assert.is(listed[0]!.diagnostics, null);
  // bead import's record too (it was printed whole)
  const imported = await sase(repo, 'bead-import', ['--json=created,commit'], { input: '' });
  assert.is(imported.code, 0, imported.stderr);
  assert.equal(imported.records, [{ created: 0, commit: null }]);
});

t('every command that prints records with --format declares them, but the built-in chops', () => {
  const undeclared = specs.filter((s) => s.formatted !== false && !s.prints).map((s) => s.name);
  // a chop prints its chop_result itself, for the Axe, not through the records of --json
  assert.equal(
    undeclared.filter((n) => !n.startsWith('chop-')),
    [],
  );
  for (const s of specs) if (s.prints) assert.ok(s.formatted !== false, `${s.name} prints records without --json`);
});

t('what read commands print are fields of the records they declare, in order', async () => {
  const reads: Array<[string, string[]]> = [
    ['bead-list', []],
    ['bead-show', [bead!.id]],
    ['bead-ready', []],
    ['bead-dep-tree', [bead!.id]],
    ['cs-list', []],
    ['sdd-list', ['--tier', 'all']],
    ['sdd-show', ['a-tale']],
    ['sdd-history', ['a-tale']],
    ['log', []],
    ['fsck', []],
    ['ws-list', []],
    ['doctor', []],
  ];
  for (const [name, args] of reads) {
    const shapes = specNamed(name).prints!;
    const records = await ok(repo, name, [...args, '--json']);
    assert.ok(records.length > 0, `${name} printed nothing`);
    for (const r of records) {
      const keys = Object.keys(r);
      // in the order of the list (some fields are optional: a record may leave them out)
      const within = (list: readonly string[]) => {
        const at = keys.map((k) => list.indexOf(k));
        return at.every((n, i) => n >= 0 && (i === 0 || n > at[i - 1]!));
      };
      assert.ok(
        shapes.some((s) => within(RECORD_FIELDS[s])),
        `${name} printed [${keys.join(', ')}], not fields of its ${shapes.join(' or ')} in their order`,
      );
    }
  }
});

t.run();
