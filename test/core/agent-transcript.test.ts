import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderTranscriptLine } from '../../src/core/agents/transcript.ts';

const r = (e: unknown) => renderTranscriptLine(JSON.stringify(e));

test("claude's stream-json: text, tool use, result", () => {
  assert.equal(r({ type: 'system', subtype: 'init', session_id: 's-1', model: 'opus' }), ['· session s-1 (opus)']);
  assert.equal(
    r({
      type: 'assistant',
      message: {
        content: [
          { type: 'text', text: 'Looking.\nFound it.' },
          { type: 'tool_use', name: 'Bash', input: { command: 'npm test' } },
        ],
      },
    }),
    ['Looking.', 'Found it.', '→ Bash npm test'],
  );
  assert.equal(r({ type: 'user', message: { content: [] } }), []);
  assert.equal(r({ type: 'result', is_error: false, total_cost_usd: 0.01234 }), ['· finished ($0.0123)']);
});

test("codex's exec --json: messages, commands, turns", () => {
  assert.equal(r({ type: 'thread.started', thread_id: 't-9' }), ['· session t-9']);
  assert.equal(r({ type: 'item.completed', item: { type: 'agent_message', text: 'Done.' } }), ['Done.']);
  assert.equal(r({ type: 'item.completed', item: { type: 'command_execution', command: 'ls', exit_code: 0 } }), [
    '→ ls (exit 0)',
  ]);
  assert.equal(r({ type: 'item.started', item: { type: 'command_execution', command: 'ls' } }), []);
  assert.equal(r({ type: 'turn.completed', usage: { input_tokens: 10, output_tokens: 2 } }), [
    '· turn done (10 in, 2 out)',
  ]);
});

test("the example agent's events, and lines that are not events", () => {
  assert.equal(r({ type: 'say', text: 'hi' }), ['hi']);
  assert.equal(r({ type: 'step', action: 'create', path: 'a.txt' }), ['→ create a.txt']);
  assert.equal(r({ type: 'step', action: 'run', command: 'false', exit_code: 1 }), ['→ run false (exit 1)']);
  assert.equal(r({ type: 'done', commits: ['a', 'b'] }), ['· done, 2 commits']);
  assert.equal(renderTranscriptLine('plain text'), ['plain text']);
  assert.equal(renderTranscriptLine('{not json'), ['{not json']);
  assert.equal(renderTranscriptLine('{"other":1}'), ['{"other":1}']);
});

test.run();
