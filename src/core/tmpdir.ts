// The temporary folder a command's environment names: what os.tmpdir() reads
// from the process's own environment, read from the one the command is given.

/** TMPDIR, TMP or TEMP of `env`, else /tmp (as os.tmpdir() on POSIX). */
export function tmpdirOf(env: Record<string, string | undefined>): string {
  const dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}
