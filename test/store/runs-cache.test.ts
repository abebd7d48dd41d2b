// The index of runs by bead: the runs of a bead it answers with (their heads,
// in order, the newest of each name) are those reading every run record
// gives, over many runs and beads (ids that begin with others' ids among
// them), when the index is made, brought up to a new tip (runs added, changed
// and removed) and made again once deleted.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { machineClock, machineRandom } from '../../src/cli/context.ts';
import { type AgentRun, compareRuns, newRun, runHead, runPath, serializeRun } from '../../src/core/agents/run.ts';
import { newestMatching } from '../../src/core/agents/waits.ts';
import { listRuns, runsOfBeads } from '../../src/store/runs.ts';
import { runIds } from '../../src/store/runs-cache.ts';
import { openStore } from '../../src/store/store.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { writeStateCommit } from '../helpers/state.ts';

const t = suite('store runs cache');

const BEADS = ['ts-a', 'ts-a.1', 'ts-a.10', 'ts-ab', 'ts-b', 'ts-\u00e9t\u00e9', 'ts-z'];
const STATUSES = ['done', 'failed', 'waiting', 'killed', 'queued'] as const;

function runId(n: number): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let id = 'r-';
  for (let k = 0, m = n; k < 8; k++, m = Math.floor(m / 32)) id += alphabet[m % 32];
  return id;
}

/** A run of `bead` (none for every eleventh), named for some, made in an order its seq does not always follow. */
function makeRun(n: number, status: AgentRun['status'] = STATUSES[n % STATUSES.length]!): AgentRun {
  return newRun({
    id: runId(n),
    provider: 'example',
    created_at: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`,
    seq: n % 7 === 0 ? null : n,
    status,
    name: n % 3 === 0 ? `job-${n % 4}` : null,
    bead: n % 11 === 0 ? null : BEADS[n % BEADS.length]!,
    error: status === 'failed' ? `boom ${n}` : null,
    wait_reason: status === 'waiting' ? `waiting for run ${n}` : null,
    started_at: status === 'waiting' ? null : '2026-01-01T00:01:00Z',
    ended_at: status === 'done' || status === 'failed' ? '2026-01-01T00:02:00Z' : null,
    host: 'elsewhere', // so no liveness is judged on this machine
  });
}

const records = (runs: AgentRun[]) => Object.fromEntries(runs.map((r) => [runPath(r.id), serializeRun(r)]));

/**
 * What bead show used to find: the records of the beads' runs read (in id
 * order, as the index listed them when made), the newest of each name, oldest
 * first.
 */
function fromRecords(all: AgentRun[], beads: string[]) {
  const runs = all
    .filter((r) => r.bead !== null && beads.includes(r.bead))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .sort(compareRuns);
  return runs.filter((r) => r.name === null || newestMatching(runs, r.name) === r).map(runHead);
}

const repo = await initedRepo();

async function assertAsRecords(step: string): Promise<void> {
  const store = await openStore(
    { cwd: repo.dir, env: repo.env },
    { clock: machineClock(repo.env), random: machineRandom },
  );
  try {
    const snap = await store.snapshot();
    const all = await listRuns(snap);
    for (const beads of [...BEADS.map((b) => [b]), ['ts-a', 'ts-a.1', 'ts-a.10'], ['ts-none'], BEADS])
      assert.equal(await runsOfBeads(snap, beads), fromRecords(all, beads), `${step}: ${beads.join(' ')}`);
    assert.equal((await runIds(snap)).sort(), all.map((r) => r.id).sort(), `${step}: every run id`);
  } finally {
    store.close();
  }
}

t('the index answers as the records do: made, brought up to a new tip, made again', async () => {
  const first = Array.from({ length: 300 }, (_, i) => makeRun(i + 1));
  writeStateCommit(repo, records(first), 'sase: runs\n');
  await assertAsRecords('made');
  await assertAsRecords('current');
  // added, changed (a new status, another bead), removed
  const added = Array.from({ length: 40 }, (_, i) => makeRun(i + 301));
  const changed = [
    { ...first[4]!, status: 'failed' as const, error: 'it broke', ended_at: '2026-01-01T00:09:00Z' },
    { ...first[9]!, bead: 'ts-z' },
    { ...first[20]!, bead: null },
    { ...first[32]!, name: 'job-new' },
  ];
  writeStateCommit(
    repo,
    { ...records([...added, ...changed]), [runPath(first[1]!.id)]: null, [runPath(first[2]!.id)]: null },
    'sase: more runs\n',
  );
  await assertAsRecords('incremental');
  rmSync(join(repo.dir, '.git', 'sase', 'cache'), { recursive: true });
  await assertAsRecords('deleted');
});

t.run();
