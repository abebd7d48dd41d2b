// One worker of scripts/test.mjs (run with --import tsx): takes test files one
// at a time from the coordinator, runs each file's uvu suites as uvu's CLI
// would (imported with UVU_INDEX set, then its queued suites in order), and
// sends back the output and the counts. Exits when told there is no more.
import { pathToFileURL } from 'node:url';

// what uvu's CLI sets before loading uvu and the test files
globalThis.UVU_DEFER = 1;
globalThis.UVU_QUEUE = [];
await import('uvu');

const color = !process.env.NO_COLOR && !process.env.NODE_DISABLE_COLORS && process.env.TERM !== 'dumb';
const FILE = (name) => (color ? `\x1b[1m\x1b[4m\x1b[37m${name}\x1b[39m\x1b[24m\x1b[22m` : name);

// uvu (and anything a test prints) writes to stdout: sent to the coordinator as it comes, so that a crash loses nothing
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, encoding, done) => {
  const text =
    typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
  if (process.connected) process.send({ type: 'output', text });
  else return write(chunk, encoding, done);
  if (typeof encoding === 'function') encoding();
  else if (typeof done === 'function') done();
  return true;
};

async function runFile(file, name) {
  const counts = { total: 0, passed: 0, skipped: 0, failed: 0 };
  const index = globalThis.UVU_QUEUE.length;
  globalThis.UVU_INDEX = index;
  globalThis.UVU_QUEUE.push([name]);
  process.stdout.write(`${FILE(name)}\n`);
  try {
    await import(pathToFileURL(file).href);
  } catch (err) {
    // uvu's CLI would stop the whole run here; this file fails, the others go on
    process.stdout.write(`\n  FAIL  ${name} could not be loaded:\n${err?.stack ?? err}\n`);
    // counted as one failed test, so that the summary's Total and Passed tell it
    counts.total++;
    counts.failed++;
    return counts;
  }
  const group = globalThis.UVU_QUEUE[index];
  group.shift();
  for (const run of group) {
    const [errors, ran, skipped, max] = await run();
    counts.total += max;
    counts.passed += ran;
    counts.skipped += skipped;
    counts.failed += max - ran;
    if (errors.length) process.stdout.write(`\n${errors}\n`);
  }
  return counts;
}

process.on('message', (msg) => {
  if (msg.type === 'stop') {
    process.disconnect();
    return;
  }
  void runFile(msg.file, msg.name).then((counts) => process.send({ type: 'result', file: msg.name, ...counts }));
});
process.send({ type: 'ready' });
