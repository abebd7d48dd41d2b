// The thread that makes the ready list's lines for a cold build (./ready-lines.ts):
// the job comes as workerData, the lines go back as one message, their bytes
// moved, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { makeReadyLines, type ReadyLinesJob } from './ready-lines.ts';

/** A buffer of its own, so that moving it moves nothing else. */
const own = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b));

makeReadyLines(workerData as ReadyLinesJob).then(
  (made) => {
    const body = own(made.body);
    const records = own(made.records);
    const moved = body.buffer === records.buffer ? [body.buffer] : [body.buffer, records.buffer];
    parentPort!.postMessage({ ...made, body, records }, moved as ArrayBuffer[]);
  },
  (err: unknown) => parentPort!.postMessage({ error: String(err) }),
);
