import { MAX_ID_INPUT, writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkLength } from '../core/errors.ts';
import { opSubjects, subjectMatches } from '../core/oplog.ts';
import { readLog } from '../store/log.ts';
import { opToWire } from '../wire/log.ts';

export const spec = defineCommand({
  name: 'log',
  prints: ['op'],
  summary: 'show the operation log, newest first',
  args: [],
  options: [
    { flags: '--limit <n>', description: 'show at most <n> operations', type: 'int' },
    {
      flags: '--id <id>',
      description: 'only operations on this record (full id or a prefix of it)',
      complete: 'beads',
    },
    { flags: '--op <op>', description: 'only this kind of operation (e.g. bead.close)' },
    { flags: '--reverse', description: 'oldest first', type: 'bool' },
  ],
  description: `Lists the operations recorded in refs/sase/state, one per commit: what was done, to which records, by whom and when. The state ref's history is the log; any state can be rebuilt by replaying it (see sase-fsck(1)).`,
  output:
    'One NDJSON record an operation: {v, kind: "op", id (the commit), op (e.g. "bead.create"), subjects (record ids), summary, actor, at, commit}. Import operations list every id they wrote. On a terminal, one line each.',
  exit: [],
  examples: [
    { cmd: 'sase log --limit 5', text: 'the last five operations' },
    { cmd: 'sase log --id k3f9 --reverse', text: 'the life of one bead, oldest first' },
  ],
  seeAlso: ['sase-fsck', 'git-log(1)'],
  async run(ctx, _args, opts) {
    const store = await ctx.store();
    let entries = await readLog(store, { reverse: opts.reverse ?? false });
    // a filter longer than any operation's name or subject is a bad value
    if (opts.op !== undefined) checkLength('--op', opts.op, 100);
    if (opts.id !== undefined) checkLength('--id', opts.id, MAX_ID_INPUT);
    if (opts.op) entries = entries.filter((e) => e.op?.op === opts.op);
    if (opts.id) {
      const want = opts.id;
      entries = entries.filter((e) => opSubjects(e.op).some((s) => subjectMatches(s, want)));
    }
    if (opts.limit !== undefined) entries = entries.slice(0, opts.limit);
    for (const e of entries) {
      if (ctx.format === 'text') {
        const c = ctx.colors;
        ctx.stdout.write(
          `${c.yellow(e.commit.slice(0, 10))} ${c.dim(e.at)} ${c.cyan(clean(e.actor))} ${clean(e.summary)}\n`,
        );
      } else writeRecord(ctx, opToWire(e, opSubjects(e.op)));
    }
    return 0;
  },
});
