import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderTranscriptLine, transcriptRenderer } from '../../src/core/agents/transcript.ts';

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

// the event shapes below are those the real CLIs print (gemini 0.61.0, qwen 0.15.10, opencode 1.18.33,
// claude 2.1.197), some captured from a run with no model reachable, the rest read from their sources

test("gemini's stream-json: session, the assistant's text, tools, errors, the result (not shown as JSON)", () => {
  assert.equal(r({ type: 'init', timestamp: '2026-12-02T12:44:04.688Z', session_id: '150c86ab-725f', model: 'auto' }), [
    '· session 150c86ab-725f (auto)',
  ]);
  // the prompt echoed back is not shown
  assert.equal(r({ type: 'message', timestamp: 't', role: 'user', content: 'say hi\n' }), []);
  assert.equal(r({ type: 'message', timestamp: 't', role: 'assistant', content: 'Hello.', delta: true }), ['Hello.']);
  assert.equal(
    r({
      type: 'tool_use',
      timestamp: 't',
      tool_name: 'run_shell_command',
      tool_id: 'c-1',
      parameters: { command: 'npm test' },
    }),
    ['→ run_shell_command npm test'],
  );
  assert.equal(r({ type: 'tool_result', timestamp: 't', tool_id: 'c-1', status: 'success', output: 'ok' }), []);
  assert.equal(
    r({
      type: 'tool_result',
      timestamp: 't',
      tool_id: 'c-2',
      status: 'error',
      error: { type: 'TOOL_EXECUTION_ERROR', message: 'no such file' },
    }),
    ['✗ no such file'],
  );
  assert.equal(r({ type: 'error', timestamp: 't', severity: 'warning', message: 'quota low' }), ['warning: quota low']);
  assert.equal(
    r({
      type: 'result',
      timestamp: 't',
      status: 'success',
      stats: { total_tokens: 12, input_tokens: 10, output_tokens: 2 },
    }),
    ['· finished (10 in, 2 out)'],
  );
  assert.equal(
    r({
      type: 'result',
      timestamp: 't',
      status: 'error',
      error: { type: 'Error', message: 'fetch failed' },
      stats: {},
    }),
    ['· ended with an error: fetch failed'],
  );
});

test("gemini's pieces of text are joined into whole lines when a transcript is read in order", () => {
  const render = transcriptRenderer();
  const piece = (content: string) =>
    render.line(JSON.stringify({ type: 'message', role: 'assistant', content, delta: true }));
  assert.equal(piece('I will '), []);
  assert.equal(piece('look.\nThe tests'), ['I will look.']);
  assert.equal(piece(' pass.'), []);
  // another event ends the text; so does the end of the transcript
  assert.equal(
    render.line(JSON.stringify({ type: 'tool_use', tool_name: 'read_file', parameters: { file_path: 'a.ts' } })),
    ['The tests pass.', '→ read_file a.ts'],
  );
  assert.equal(piece('Done'), []);
  assert.equal(render.end(), ['Done']);
  assert.equal(render.end(), []);
  assert.equal(render.line('plain text'), ['plain text']);
});

test("qwen's stream-json (claude's shape): text, tools, a failed tool, the result with its error", () => {
  assert.equal(
    r({ type: 'system', subtype: 'init', session_id: 'q-1', model: 'qwen3-coder', qwen_code_version: '0.15.10' }),
    ['· session q-1 (qwen3-coder)'],
  );
  assert.equal(
    r({
      type: 'assistant',
      session_id: 'q-1',
      message: {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'c', name: 'write_file', input: { file_path: '/w/a.txt', content: 'x' } }],
      },
    }),
    ['→ write_file /w/a.txt'],
  );
  assert.equal(
    r({
      type: 'user',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'c', is_error: true, content: 'denied' }],
      },
    }),
    ['✗ denied'],
  );
  // captured: qwen with no auth configured
  assert.equal(
    renderTranscriptLine(
      '{"type":"result","subtype":"error_during_execution","uuid":"7566","session_id":"380a","is_error":true,"duration_ms":0,"duration_api_ms":0,"num_turns":0,"usage":{"input_tokens":0,"output_tokens":0},"permission_denials":[],"error":{"message":"No auth type is selected. Please configure an auth type (e.g. via settings or `--auth-type`) before running in non-interactive mode."}}',
    ),
    [
      '· ended with an error: No auth type is selected. Please configure an auth type (e.g. via settings or `--auth-type`) before running in non-interactive mode.',
    ],
  );
  // captured: claude not logged in says why in its result
  assert.equal(
    r({
      type: 'result',
      subtype: 'success',
      is_error: true,
      result: 'Not logged in · Please run /login',
      total_cost_usd: 0,
    }),
    ['· ended with an error: Not logged in · Please run /login ($0.0000)'],
  );
});

test("opencode's run --format json: text, tools, steps, and an error with its message", () => {
  const base = { timestamp: 1764679444000, sessionID: 'ses_1' };
  assert.equal(r({ type: 'step_start', ...base, part: { type: 'step-start' } }), []);
  assert.equal(r({ type: 'text', ...base, part: { type: 'text', text: 'Reading it.\nDone.' } }), [
    'Reading it.',
    'Done.',
  ]);
  assert.equal(
    r({
      type: 'tool_use',
      ...base,
      part: { type: 'tool', tool: 'bash', state: { status: 'completed', input: { command: 'ls' }, output: 'a' } },
    }),
    ['→ bash ls'],
  );
  assert.equal(
    r({
      type: 'tool_use',
      ...base,
      part: { type: 'tool', tool: 'edit', state: { status: 'error', input: { filePath: 'a.ts' }, error: 'no match' } },
    }),
    ['→ edit a.ts (failed: no match)'],
  );
  assert.equal(r({ type: 'step_finish', ...base, part: { type: 'step-finish', reason: 'tool-calls' } }), []);
  assert.equal(
    r({ type: 'step_finish', ...base, part: { type: 'step-finish', reason: 'stop', tokens: { input: 5, output: 1 } } }),
    ['· finished (5 in, 1 out)'],
  );
  // was a bare 'error: '
  assert.equal(
    r({
      type: 'error',
      ...base,
      error: { name: 'ProviderAuthError', data: { providerID: 'x', message: 'no API key' } },
    }),
    ['error: no API key'],
  );
  assert.equal(r({ type: 'error', ...base, error: { name: 'UnknownError' } }), ['error: UnknownError']);
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
