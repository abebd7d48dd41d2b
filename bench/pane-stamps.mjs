// What a tmux pane shows, as it arrives: run by \`tmux pipe-pane\`, it appends
// each chunk of the pane's output to the file named, with the monotonic clock
// (ms) of its arrival, for bench/run.mjs to time the frames a key brings.
import { appendFileSync } from 'node:fs';

const out = process.argv[2];
process.stdin.on('data', (data) => {
  const at = Number(process.hrtime.bigint()) / 1e6;
  appendFileSync(out, `${JSON.stringify({ at, data: data.toString('latin1') })}\n`);
});
