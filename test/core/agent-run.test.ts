import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  leadingWorkspaceRef,
  mentorComments,
  sessionFromTranscript,
  tailOf,
  usageFromTranscript,
} from '../../src/core/agents/prompts.ts';
import {
  type AgentRun,
  fanoutName,
  newRun,
  parseRun,
  parseWait,
  runIdFrom,
  runPath,
  serializeRun,
  transition,
} from '../../src/core/agents/run.ts';
import { evaluateWaits, newestMatching } from '../../src/core/agents/waits.ts';

const run = (over: Partial<AgentRun>): AgentRun =>
  newRun({ id: 'r-aaaaaaaa', provider: 'x', created_at: '2026-11-25T00:00:00Z', status: 'queued', ...over });

test('ids, paths, names and the canonical record', () => {
  const id = runIdFrom(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 31]));
  assert.is(id, 'r-0123456z');
  assert.is(runPath(id), 'agents/01/r-0123456z.json');
  assert.throws(() => runPath('../x'), /is not a run id/);
  assert.is(fanoutName('try', 2, 3), 'try.2');
  assert.is(fanoutName('solo', 1, 1), 'solo');
  assert.is(fanoutName(null, 1, 3), null);
  const r = run({ name: 'n' });
  assert.equal(parseRun(serializeRun(r), 'x'), r);
  assert.throws(
    () => parseRun('{"kind":"agent","id":"r-aaaaaaaa","status":"sleeping","provider":"x","created_at":"t"}', 'f.json'),
    /status "sleeping" is unknown/,
  );
});

test('transitions: only forward, never out of an end', () => {
  assert.is(transition(run({ status: 'waiting' }), 'queued').status, 'queued');
  assert.is(transition(run({ status: 'queued' }), 'running').status, 'running');
  assert.throws(() => transition(run({ status: 'done' }), 'running'), /cannot go from done to running/);
  assert.throws(() => transition(run({ status: 'waiting' }), 'done'), /cannot go from waiting to done/);
});

test('waits: agents by name (the newest) or id, beads closed; a failed dependency blocks', () => {
  assert.equal(parseWait('bead:ts-k3f9'), { bead: 'ts-k3f9' });
  assert.equal(parseWait('build'), { agent: 'build' });
  assert.throws(() => parseWait('bead:'), /is not bead:<id>/);
  const old = run({ id: 'r-aaaaaaaa', name: 'build', status: 'failed', created_at: '2026-11-25T00:00:00Z' });
  const fresh = run({ id: 'r-bbbbbbbb', name: 'build', status: 'done', created_at: '2026-11-25T01:00:00Z' });
  assert.is(newestMatching([old, fresh], 'build')!.id, fresh.id);
  assert.is(newestMatching([old, fresh], 'r-aaaaaaaa')!.id, old.id);
  const facts = (runs: AgentRun[], beads: Record<string, string>) => ({
    agent: (ref: string) => newestMatching(runs, ref),
    beadStatus: (id: string) => beads[id] ?? null,
  });
  assert.equal(evaluateWaits([{ agent: 'build' }, { bead: 'b1' }], facts([old, fresh], { b1: 'closed' })), {
    ready: true,
    stuck: false,
    reason: null,
  });
  assert.equal(evaluateWaits([{ agent: 'build' }, { bead: 'b1' }], facts([old, fresh], { b1: 'open' })), {
    ready: false,
    stuck: false,
    reason: 'waiting for bead:b1 (open)',
  });
  assert.equal(evaluateWaits([{ agent: 'build' }], facts([old], {})), {
    ready: false,
    stuck: true,
    reason: "blocked: agent 'build' failed (r-aaaaaaaa)",
  });
  assert.equal(
    evaluateWaits([{ agent: 'nobody' }], facts([], {})).reason,
    "waiting for agent 'nobody' (no such run yet)",
  );
});

test('what is read back from transcripts: session, usage, mentor comments', () => {
  const t = [
    '{"type":"system","subtype":"init","session_id":"abc-1"}',
    'noise',
    '{"type":"result","usage":{"input_tokens":5,"output_tokens":7},"total_cost_usd":0.5}',
  ].join('\n');
  assert.is(sessionFromTranscript(t), 'abc-1');
  assert.equal(usageFromTranscript(t), { input_tokens: 5, output_tokens: 7, cost: 0.5 });
  assert.is(usageFromTranscript('nothing'), null);
  const said = [
    '{"path":"a.ts","line":3,"text":"check this","severity":"error"}',
    JSON.stringify({
      type: 'assistant',
      message: { content: [{ type: 'text', text: 'Here:\n{"path":"b.ts","text":"and this"}' }] },
    }),
    '{"path":"a.ts","line":3,"text":"check this","severity":"error"}',
    '{"path":"","text":"no path"}',
  ].join('\n');
  assert.equal(mentorComments(said), [
    { path: 'a.ts', line: 3, text: 'check this', severity: 'error' },
    { path: 'b.ts', line: null, text: 'and this', severity: 'info' },
  ]);
});

test('a workspace reference opening a prompt', () => {
  assert.equal(leadingWorkspaceRef('#cd:/tmp/x\nfix it'), { ref: '#cd:/tmp/x', text: 'fix it' });
  assert.equal(leadingWorkspaceRef('  #git:main fix it'), { ref: '#git:main', text: 'fix it' });
  assert.equal(leadingWorkspaceRef('#3\nfix'), { ref: '#3', text: 'fix' });
  assert.equal(leadingWorkspaceRef('fix #cd:/x'), { ref: null, text: 'fix #cd:/x' });
  assert.equal(leadingWorkspaceRef('#review please'), { ref: null, text: '#review please' });
  assert.is(tailOf('a\n'.repeat(5000), 100).length <= 100, true);
});

test.run();
