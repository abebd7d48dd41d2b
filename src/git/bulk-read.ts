// Many objects read at once, by a `git cat-file --batch --buffer` of their
// own: every name written in one go, the answers parsed as they stream in and
// handed over one by one, with no promise or write an object. The cold cache
// build reads every record of the state this way (100,000 of them); the
// long-lived reader (./catfile.ts) answers the few reads of everything else.

import { type GitObject, ObjectTooLargeError } from './catfile.ts';
import { GitError, GitMissingError, gitProcessEnv } from './exec.ts';
import type { Repo } from './repo.ts';

/** From this many objects, a bulk read of their own is worth starting; fewer are answered faster by the long-lived reader. */
export const BULK_FROM = 64;

/**
 * Reads the objects `names` name (oids, or any name git takes): `each` gets
 * the i-th object (null when git has none by that name) in the order asked,
 * as it arrives. Its data may be a view into a larger buffer of git's
 * output: a caller that keeps only a few of many objects copies them. An
 * object over `max` bytes is refused: `tooLarge` gets the refusal
 * (ObjectTooLargeError, naming it) and the reading goes on past it; without
 * `tooLarge`, the reading stops and the refusal is thrown.
 */
export async function readObjectsInBulk(
  repo: Repo,
  names: readonly string[],
  max: number,
  each: (i: number, obj: GitObject | null) => void,
  tooLarge?: (i: number, err: ObjectTooLargeError) => void,
): Promise<void> {
  if (!names.length) return;
  const bad = names.find((n) => n.includes('\n'));
  if (bad !== undefined) throw new Error(`bad object name ${JSON.stringify(bad)}`);
  const { spawn } = await import('node:child_process');
  const args = ['cat-file', '--batch', '--buffer'];
  const proc = spawn('git', args, { cwd: repo.cwd, env: gitProcessEnv(repo.env), stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let failed: Error | null = null;
    const stop = (err: Error) => {
      failed ??= err;
      proc.kill();
    };
    let stderr = '';
    let at = 0; // the object being received
    let pending: Buffer | null = null; // the start of a header line that the last chunk cut
    let skipping = 0; // bytes still to pass over: an object refused, and its newline
    /** the header of the object being received, once read */
    let header: { oid: string; type: GitObject['type']; size: number } | null = null;
    /** an object that the last chunk cut: its bytes so far (and room for its newline) */
    let partial: { data: Buffer; filled: number } | null = null;
    const hand = (data: Buffer) => {
      each(at++, { oid: header!.oid, type: header!.type, data });
      header = null;
    };
    proc.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      let pos = 0;
      try {
        if (partial) {
          const n = Math.min(partial.data.length - partial.filled, chunk.length);
          chunk.copy(partial.data, partial.filled, 0, n);
          partial.filled += n;
          pos = n;
          if (partial.filled < partial.data.length) return;
          const whole = partial.data;
          partial = null;
          hand(whole.subarray(0, whole.length - 1));
        }
        // a cut header line (a few bytes) is joined to what follows it; an object's bytes never are
        let buf = chunk;
        if (pending) {
          buf = Buffer.concat([pending, chunk.subarray(pos)]);
          pos = 0;
          pending = null;
        }
        while (pos < buf.length && (skipping || at < names.length)) {
          if (skipping) {
            const n = Math.min(skipping, buf.length - pos);
            pos += n;
            skipping -= n;
            continue;
          }
          if (!header) {
            const nl = buf.indexOf(10, pos);
            if (nl < 0) {
              pending = buf.subarray(pos);
              break;
            }
            const text = buf.toString('latin1', pos, nl);
            pos = nl + 1;
            if (text.endsWith(' missing') || text.endsWith(' ambiguous')) {
              each(at++, null);
              continue;
            }
            const [oid, type, size] = text.split(' ');
            header = { oid: oid!, type: type as GitObject['type'], size: Number(size) };
            if (header.size > max) {
              const err = new ObjectTooLargeError(names[at]!, header.type, header.size, max);
              if (!tooLarge) throw err;
              tooLarge(at++, err);
              skipping = header.size + 1;
              header = null;
              continue;
            }
          }
          if (buf.length - pos < header.size + 1) {
            // cut by the chunk: gathered into a buffer of its own as the next chunks come
            const data = Buffer.allocUnsafe(header.size + 1);
            partial = { data, filled: buf.copy(data, 0, pos) };
            break;
          }
          // a view, not a copy: the callers keep every object they read (a cold build, a walk), and with it the chunk
          const data = buf.subarray(pos, pos + header.size);
          pos += header.size + 1;
          hand(data);
        }
      } catch (err) {
        return stop(err as Error);
      }
    });
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdin.on('error', () => {}); // (it closed early: the exit says why)
    proc.on('error', (err: NodeJS.ErrnoException) =>
      stop(err.code === 'ENOENT' ? new GitMissingError('git not found on PATH') : err),
    );
    proc.on('close', (code) => {
      if (failed) reject(failed);
      else if (code !== 0) reject(new GitError(args, code ?? 128, stderr));
      else if (at < names.length) reject(new GitError(args, 128, `answered ${at} of ${names.length} objects`));
      else resolve();
    });
    proc.stdin.end(`${names.join('\n')}\n`);
  });
}
