import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { beadPath } from '../../src/core/beads/model.ts';
import { stateError } from '../../src/core/errors.ts';
import {
  checkPath,
  checkPaths,
  entryProblem,
  type LayoutEntry,
  listingProblem,
  pathProblem,
} from '../../src/core/layout.ts';
import { prng } from '../helpers/kill.ts';

const t = suite('core/layout');

// the forms before the fast paths for shards of records, kept as oracles: every entry judged in full
function fullListingProblem(dir: string, entries: readonly LayoutEntry[]): { path: string; problem: string } | null {
  for (const e of entries) {
    const problem = entryProblem(dir, e);
    if (problem) return { path: dir ? `${dir}/${e.name}` : e.name, problem };
  }
  return null;
}

function fullCheckPaths(files: readonly { path: string; mode: string }[]): void {
  const dirs = new Set<string>();
  for (const f of files) {
    const slash = f.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : f.path.slice(0, slash);
    if (dir && !dirs.has(dir)) {
      checkPath(dir, '40000');
      dirs.add(dir);
    }
    const problem = entryProblem(dir, { name: f.path.slice(slash + 1), mode: f.mode });
    if (problem) throw stateError(f.path, problem);
  }
}

const MODES = ['100644', '100644', '100644', '100755', '40000', '120000', '160000', '100664'];
const SHARDS = ['ab', 'ab', '03', 'a', 'a_', 'A1', 'a.', 'ab/cd', '', 'abc', 'zz'];

/** A name for a file of a shard: mostly records (fitting or not), sometimes anything. */
function randomName(rnd: () => number, shard: string): string {
  const hash =
    rnd() < 0.7
      ? `${shard}${'k3f9'.slice(0, Math.floor(rnd() * 5))}`
      : ['a', 'b', 'abcd', '0385z'][Math.floor(rnd() * 4)]!;
  const prefix = ['ts-', 'bd-wisp-', 'my_proj-', '', '-', 'TS-', 'ts_-'][rnd() < 0.8 ? 0 : Math.floor(rnd() * 7)]!;
  const suffix = ['', '', '.1', '.2.10', '.', '.x'][Math.floor(rnd() * 6)]!;
  const ext = ['.json', '.json', '.json', '.JSON', '.jso', '', '.json.json', '.json\n'][
    rnd() < 0.8 ? 0 : Math.floor(rnd() * 8)
  ]!;
  const odd = ['', '.', '..', 'a/b.json', 'ts-ab\u0000.json', '.json', 'ts-ab\n.json', 'ts-\u00e9b.json'];
  return rnd() < 0.05 ? odd[Math.floor(rnd() * odd.length)]! : `${prefix}${hash}${suffix}${ext}`;
}

t('listingProblem names the entry and the problem the full check names, on random shards', () => {
  const rnd = prng(17);
  for (let k = 0; k < 5000; k++) {
    const shard = SHARDS[Math.floor(rnd() * SHARDS.length)]!;
    const dir = [`beads/${shard}`, 'beads', '', `agents/${shard}`, `beadsx/${shard}`, `beads/${shard}/x`][
      rnd() < 0.8 ? 0 : Math.floor(rnd() * 6)
    ]!;
    const entries: LayoutEntry[] = Array.from({ length: Math.floor(rnd() * 6) }, () => ({
      name: randomName(rnd, shard),
      mode: MODES[rnd() < 0.7 ? 0 : Math.floor(rnd() * MODES.length)]!,
    }));
    assert.equal(listingProblem(dir, entries), fullListingProblem(dir, entries), JSON.stringify({ dir, entries }));
  }
});

t('checkPaths refuses the path the full check refused, with its message, on random trees', () => {
  const rnd = prng(19);
  const outcome = (fn: () => void) => {
    try {
      fn();
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };
  let refused = 0;
  for (let k = 0; k < 5000; k++) {
    const files: { path: string; mode: string }[] = [];
    const n = Math.floor(rnd() * 8);
    for (let i = 0; i < n; i++) {
      const shard = SHARDS[Math.floor(rnd() * SHARDS.length)]!;
      const good = rnd() < 0.85;
      const name = good ? `ts-${shard}k3f${'.1'.repeat(Math.floor(rnd() * 2))}.json` : randomName(rnd, shard);
      const path =
        rnd() < 0.9
          ? `beads/${shard}/${name}`
          : ['VERSION', 'beads', `beads/${name}`, `sdd/${name}`][Math.floor(rnd() * 4)]!;
      // runs of files in one shard, as a listing gives them
      const times = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < times; j++)
        files.push({
          path: j ? path.replace('k3f', `k3f${j}`) : path,
          mode: good ? '100644' : MODES[Math.floor(rnd() * MODES.length)]!,
        });
    }
    const want = outcome(() => fullCheckPaths(files));
    if (want) refused++;
    assert.is(
      outcome(() => checkPaths(files)),
      want,
      JSON.stringify(files),
    );
  }
  assert.ok(refused > 500 && refused < 4500, `${refused} refused`);
});

t('checkPaths takes a whole tree of records and names a record in the wrong shard or of the wrong kind', () => {
  const ids = Array.from(
    { length: 2000 },
    (_, i) => `ts-${(i * 7919).toString(36).padStart(6, '0')}${i % 5 ? '' : '.1'}`,
  );
  const files = ids.map((id) => ({ path: beadPath(id), mode: '100644' })).sort((a, b) => (a.path < b.path ? -1 : 1));
  checkPaths(files);
  const moved = files.map((f) => ({ ...f }));
  moved[1000]!.path = moved[1000]!.path.replace(/\/ts-(..)/, '/ts-zz');
  assert.throws(() => checkPaths(moved), /wrong shard for 'ts-zz/);
  const linked = files.map((f) => ({ ...f }));
  linked[1500]!.mode = '120000';
  assert.throws(() => checkPaths(linked), /is a link \(mode 120000\), where a file belongs/);
  assert.equal(pathProblem('beads/ab/ts-cdef.json', '100644'), {
    path: 'beads/ab/ts-cdef.json',
    problem: "is in the wrong shard for 'ts-cdef'",
  });
});

t.run();
