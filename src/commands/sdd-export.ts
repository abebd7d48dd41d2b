import { lstatSync, mkdirSync, readdirSync, type Stats, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { info, writeRecord } from '../cli/io.ts';
import { tierDirs, tierOptions } from '../cli/sdd-tiers.ts';
import { defineCommand } from '../cli/spec.ts';
import { FatalError, RefusedError } from '../core/errors.ts';
import { SDD_DIR, TIER_DIRS } from '../core/sdd/paths.ts';
import { writeFileAtomic } from '../proc/files.ts';
import { listSddEntries } from '../store/sdd-history.ts';
import { exportedFileToWire } from '../wire/plan.ts';

function fsCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

/** The state of the target directory: absent, or an empty or non-empty directory. */
function inspectTarget(abs: string, shown: string): 'absent' | 'empty' | 'full' {
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (err) {
    if (fsCode(err) === 'ENOENT') return 'absent';
    throw new FatalError(`cannot read '${shown}': ${fsCode(err)}`);
  }
  if (!st.isDirectory()) throw new RefusedError(`'${shown}' exists and is not a directory`);
  return readdirSync(abs).length ? 'full' : 'empty';
}

/** A directory inside the target, made when missing; never followed through a link to somewhere else. */
function ensureDir(abs: string, shown: string): void {
  try {
    const st = lstatSync(abs);
    if (!st.isDirectory()) throw new RefusedError(`'${shown}' exists and is not a directory`);
    return;
  } catch (err) {
    if (err instanceof RefusedError) throw err;
    if (fsCode(err) !== 'ENOENT') throw new FatalError(`cannot read '${shown}': ${fsCode(err)}`);
  }
  try {
    mkdirSync(abs, { recursive: true });
  } catch (err) {
    throw new FatalError(`cannot create '${shown}': ${fsCode(err)}`);
  }
}

/** Writes through a temporary file and a rename, so a link at the target is replaced, not written through. */
function writeFileAt(abs: string, data: Buffer, shown: string): void {
  try {
    writeFileAtomic(abs, data);
  } catch (err) {
    throw new FatalError(`cannot write '${shown}': ${fsCode(err)}`);
  }
}

export const spec = defineCommand({
  name: 'sdd-export',
  prints: ['file'],
  summary: 'write the plan store out as files, for reading and grepping',
  args: [{ name: 'dir', description: 'the directory to write into (made when missing)', required: true }],
  options: [
    ...tierOptions('all: tales, epics, legends and prompts'),
    {
      flags: '--force',
      description: 'write into a directory that is not empty (files of the same name are replaced)',
      type: 'bool',
    },
  ],
  description: `Writes the plans and prompts of the state ref under <dir>, as <dir>/tales/<slug>.md, <dir>/epics/<slug>.md, <dir>/legends/<slug>.md and <dir>/prompts/<slug>.md, byte for byte as they are stored.

A <dir> that exists and is not empty is refused unless --force is given; then files of the same name are replaced and other files are left alone. Paths are made only from stored names that are valid slugs, so nothing is written outside <dir>; a link in <dir> where a file goes is replaced, never written through.

The export is a copy for reading: changes to it are not stored back (use 'sase sdd put').`,
  output:
    'One NDJSON record a file written: {v, kind: "file", id (the path written), path (the same), source (its path in the state ref)}. With --format id, one path a line. On a terminal, nothing on stdout and a one-line summary on stderr.',
  exit: [
    [1, '<dir> exists and is not empty (without --force), or is not a directory'],
    [128, 'a file or directory cannot be written'],
  ],
  examples: [
    { cmd: 'sase sdd export plans/', text: 'every plan and prompt as files' },
    {
      cmd: "sase sdd export /tmp/plans --force && grep -rl 'cache' /tmp/plans/epics",
      text: 'refresh an export and search it',
    },
    { cmd: 'sase sdd export out --tier epics --format id | xargs wc -l', text: 'only the epics' },
  ],
  seeAlso: ['sase-sdd-list', 'sase-sdd-put', 'sase-bead-export'],
  async run(ctx, args, opts) {
    const dirs = tierDirs(opts, TIER_DIRS);
    const shownRoot = args[0]!;
    const root = resolve(ctx.cwd, shownRoot);
    if (inspectTarget(root, shownRoot) === 'full' && !opts.force) {
      throw new RefusedError(`'${shownRoot}' exists and is not empty (give --force to write into it)`);
    }
    const store = await ctx.store();
    const snap = await store.snapshot();
    const entries = await listSddEntries(snap, dirs);
    const files: Array<{ rel: string; source: string; data: Buffer }> = [];
    for (const e of entries) {
      const data = await snap.readFile(e.path);
      if (data === null) throw new FatalError(`state: '${e.path}' vanished while being read`);
      files.push({ rel: e.path.slice(SDD_DIR.length + 1), source: e.path, data });
    }
    ensureDir(root, shownRoot);
    const made = new Set<string>();
    let written = 0;
    for (const f of files) {
      const abs = resolve(root, f.rel);
      const inside = relative(root, abs);
      if (!inside || inside.startsWith('..') || isAbsolute(inside))
        throw new FatalError(`state: '${f.source}' would be written outside '${shownRoot}'`);
      const sub = f.rel.slice(0, f.rel.indexOf('/'));
      if (!made.has(sub)) {
        ensureDir(join(root, sub), join(shownRoot, sub));
        made.add(sub);
      }
      const shown = join(shownRoot, f.rel);
      writeFileAt(abs, f.data, shown);
      written++;
      if (ctx.format !== 'text') writeRecord(ctx, exportedFileToWire(shown, f.source));
    }
    if (ctx.format === 'text') info(ctx, `exported ${written} file${written === 1 ? '' : 's'} to '${shownRoot}'`);
    return 0;
  },
});
