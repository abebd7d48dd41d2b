import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { overBudget, parseBudget } from '../../src/core/agents/budget.ts';
import { newRun } from '../../src/core/agents/run.ts';
import { type Bead, newBead } from '../../src/core/beads/model.ts';
import { checkBeadWorkConfig, scheduleEpic, type WorkPhase } from '../../src/core/beads/work.ts';
import { globsOverlap } from '../../src/core/glob.ts';

const AT = '2026-11-25T00:00:00Z';
const epic = newBead({ id: 'ts-ep', title: 'Epic', created_at: AT, issue_type: 'plan', tier: 'epic' });
function phase(
  n: number,
  deps: Array<number | string> = [],
  over: Partial<Bead> = {},
  scope: string[] = [],
): WorkPhase {
  const bead = newBead({
    id: `ts-ep.${n}`,
    title: `P${n}`,
    created_at: AT,
    issue_type: 'phase',
    parent_id: 'ts-ep',
    size: 'small',
    dependencies: deps.map((d) => ({
      depends_on_id: typeof d === 'number' ? `ts-ep.${d}` : d,
      created_at: AT,
      created_by: 'x',
    })),
    ...over,
  });
  return { bead, scope };
}
const none = () => null;
const models = (size: string | null) => (size === 'small' ? 'fast-model' : null);

test('waves: a phase joins the first wave after its blockers; closed phases are skipped; the land run waits for all', () => {
  const s = scheduleEpic(epic, [phase(1), phase(2, [1]), phase(3, [1]), phase(4, [2, 3]), phase(5)], none, models);
  assert.equal(
    s.phases.map((p) => [p.id, p.wave]),
    [
      ['ts-ep.1', 1],
      ['ts-ep.2', 2],
      ['ts-ep.3', 2],
      ['ts-ep.4', 3],
      ['ts-ep.5', 1],
    ],
  );
  assert.equal(s.phases[3]!.waits, [
    { agent: 'ts-ep.2' },
    { bead: 'ts-ep.2' },
    { agent: 'ts-ep.3' },
    { bead: 'ts-ep.3' },
  ]);
  assert.is(s.phases[0]!.model, 'fast-model');
  assert.is(s.land.run, 'ts-ep.land');
  assert.is(s.land.waits.length, 10);
  const later = scheduleEpic(
    epic,
    [phase(1, [], { status: 'closed' }), phase(2, [1]), phase(3, [2], { model: 'own' })],
    none,
    models,
  );
  assert.equal(
    later.phases.map((p) => [p.wave, p.waits.length]),
    [
      [0, 0],
      [1, 0],
      [2, 2],
    ],
  );
  assert.is(later.phases[2]!.model, 'own');
  assert.is(later.land.waits.length, 4);
});

test('a cycle is an error naming it; a blocker outside must be closed, or satisfied when sase cannot see it', () => {
  assert.throws(
    () => scheduleEpic(epic, [phase(1, [3]), phase(2, [1]), phase(3, [2]), phase(4)], none, models),
    /its phases form a cycle: ts-ep\.1 -> ts-ep\.3 -> ts-ep\.2 -> ts-ep\.1/,
  );
  assert.throws(
    () => scheduleEpic(epic, [phase(1, ['ts-x'])], (id) => (id === 'ts-x' ? 'open' : null), models),
    /phase 'ts-ep\.1' is blocked by 'ts-x' outside the epic, which is open/,
  );
  assert.is(scheduleEpic(epic, [phase(1, ['ts-x'])], () => 'closed', models).phases[0]!.wave, 1);
  // never fail open: a missing bead or an external reference holds the phase until marked satisfied
  assert.throws(
    () => scheduleEpic(epic, [phase(1, ['ts-gone'])], none, models),
    /phase 'ts-ep\.1' is blocked by 'ts-gone' outside the epic, which does not exist and is not marked satisfied/,
  );
  assert.throws(
    () => scheduleEpic(epic, [phase(1, ['external:p:cap'])], none, models),
    /phase 'ts-ep\.1' is blocked by 'external:p:cap' outside the epic, which is an external reference and is not marked satisfied/,
  );
  const satisfied = phase(1, ['ts-gone', 'external:p:cap']);
  satisfied.bead.satisfied = [
    { ref: 'external:p:cap', satisfied_at: satisfied.bead.created_at, satisfied_by: null },
    { ref: 'ts-gone', satisfied_at: satisfied.bead.created_at, satisfied_by: null },
  ];
  const s = scheduleEpic(epic, [satisfied], none, models);
  assert.equal([s.phases[0]!.wave, s.warnings], [1, []]);
});

test('overlapping scopes in one wave: the later phase runs after the earlier', () => {
  const s = scheduleEpic(
    epic,
    [phase(1, [], {}, ['src/**']), phase(2, [], {}, ['src/a.ts']), phase(3, [], {}, ['docs/**'])],
    none,
    models,
  );
  assert.equal(
    s.phases.map((p) => p.after),
    [null, 'ts-ep.1', null],
  );
  assert.equal(s.phases[1]!.waits, [{ agent: 'ts-ep.1' }, { bead: 'ts-ep.1' }]);
  assert.ok(globsOverlap('src/**', 'src/x/y.ts'));
  assert.ok(!globsOverlap('src/**', 'test/**'));
});

test('config: [bead_work] and [budget]', () => {
  assert.equal(checkBeadWorkConfig({ jobs: 2, models: { small: 'm1' } }, 'c'), { jobs: 2, models: { small: 'm1' } });
  assert.throws(
    () => checkBeadWorkConfig({ models: { huge: 'x' } }, 'c.toml'),
    /c\.toml: unknown key 'bead_work\.models\.huge'/,
  );
  assert.throws(() => checkBeadWorkConfig({ jobs: 0 }, 'c'), /'bead_work\.jobs' must be a whole number from 1/);
  assert.equal(parseBudget({ per_day: 2.5, per_epic: '200k tokens' }, 'c'), {
    per_run: null,
    per_day: { amount: 2.5, unit: 'cost' },
    per_epic: { amount: 200000, unit: 'tokens' },
  });
  assert.throws(() => parseBudget({ per_run: 'lots' }, 'c'), /'budget\.per_run' must be a number/);
});

test('budgets: per_day over the last day, per_epic over the epic runs, zero stops everything', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const spent = (name: string, cost: number, ended = '2026-11-25T11:00:00Z') =>
    newRun({
      id: `r-${name
        .replace(/[^a-z0-9]/g, '')
        .padEnd(8, 'x')
        .slice(0, 8)}`,
      name,
      provider: 'p',
      created_at: AT,
      status: 'done',
      ended_at: ended,
      usage: { input_tokens: 10, output_tokens: 5, cost },
    });
  const waiting = newRun({ id: 'r-wwwwwwww', name: 'ts-ep.3', provider: 'p', created_at: AT, status: 'waiting' });
  const runs = [spent('ts-ep.1', 1), spent('other', 2, '2026-11-23T00:00:00Z')];
  assert.is(overBudget(parseBudget({ per_day: 1.5 }, 'c'), waiting, runs, now), null);
  assert.is(
    overBudget(parseBudget({ per_day: 1 }, 'c'), waiting, runs, now),
    'budget per_day reached: 1 spent of 1 in the last 24 hours',
  );
  assert.is(
    overBudget(parseBudget({ per_epic: '15 tokens' }, 'c'), waiting, runs, now),
    'budget per_epic reached: 15 tokens spent of 15 tokens on ts-ep',
  );
  assert.is(
    overBudget(parseBudget({ per_day: 0 }, 'c'), waiting, [], now),
    'budget per_day reached: 0 spent of 0 in the last 24 hours',
  );
});

test.run();
