import { fsck } from '../app/fsck/fsck.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { fsckToWire, problemToWire, warningToWire } from '../wire/repo.ts';

export const spec = defineCommand({
  name: 'fsck',
  prints: ['problem', 'warning', 'fsck'],
  summary: 'check the sase state for corruption',
  args: [],
  options: [
    { flags: '--no-replay', description: 'skip replaying the operation log (faster on long logs)', type: 'bool' },
  ],
  description: `Checks refs/sase/state: the ref names a commit (not a tree or a blob put there by hand; if it does not, that is the one problem said); every entry of the state tree is what its place holds (a bead record named <id>.json in the shard its id gives, a directory where a directory belongs, no submodule link or symbolic link among the records, no name git would not write); every record is no larger than readers take (8 MiB) and every directory no larger than they list (64 MiB: what it holds is not read), parses and validates, and holds the record its path names (a bead, a change, an agent run, a workflow run, a notification); every parent and dependency names a bead that exists (or, for a dependency, an external reference, external:<project>:<capability>); no dependency or parent cycle; every plan and prompt under sdd/ validates with its links (the errors 'sase sdd validate' reports); the format VERSION is one this sase reads; and, unless --no-replay, that replaying every operation in the log, from the first commit, through the same operation functions that wrote them, rebuilds the current tree exactly.

A parent or dependency naming a bead that does not exist is a problem, unless the bead records it in its missing list (sase bead import records there the beads its input leaves out, such as bd's wisps): then it is a warning, since it blocks as it should until the bead is imported or the reference is marked satisfied (sase bead dep satisfy, after which it is not mentioned). Warnings do not fail the check.

Also what a killed command leaves in the repository, each problem naming what repairs it (sase-doctor(1) --fix): a branch sase/cs/<name> without the record of change <name>, as a sase-cs-new killed between the two leaves it (check branch); a workspace still marked as being created by a process that is gone, with what git made of its branch and worktree, and the workspace registry's lock or temporary files left by such a process (check workspace), as a killed sase-ws-new leaves them.

A repository with no state ref has no state to check; what killed workspace commands left is still named.`,
  output:
    'One NDJSON record a problem: {v, kind: "problem", check (ref, version, path, record, reference, cycle, plan, log, replay, branch or workspace), message, path (a path in the state; for a branch its ref, for a workspace its folder or file), id, commit (when known)}; then one record a warning, of the same shape with kind "warning" (check reference: a reference recorded missing); then one summary record {v, kind: "fsck", ok, tip, beads, operations (replayed), problems (count), warnings (count)}. On a terminal, one "error:" line a problem, one "warning:" line a warning, and a summary line.',
  exit: [[1, 'problems were found (each is named)']],
  examples: [
    { cmd: 'sase fsck', text: 'check everything' },
    { cmd: 'sase fsck --no-replay --json | jq -r .message', text: 'quick structural check' },
  ],
  seeAlso: ['sase-log', 'sase-init', 'sase-doctor'],
  async run(ctx, _args, opts) {
    const store = await ctx.store();
    const report = await fsck(store, { replay: opts.replay, progress: (m) => ctx.progress(m) });
    if (ctx.format === 'text') {
      for (const p of report.problems) ctx.stdout.write(`${ctx.colors.red('error:')} ${p.message}\n`);
      for (const w of report.warnings) ctx.stdout.write(`${ctx.colors.yellow('warning:')} ${w.message}\n`);
      const warned = report.warnings.length ? `, ${report.warnings.length} warnings` : '';
      const summary = `${report.beads} beads, ${report.operations} operations replayed, ${report.problems.length} problems${warned}`;
      ctx.stdout.write(report.problems.length ? `${summary}\n` : `${ctx.colors.green('ok:')} ${summary}\n`);
    } else {
      for (const p of report.problems) writeRecord(ctx, problemToWire(p));
      for (const w of report.warnings) writeRecord(ctx, warningToWire(w));
      writeRecord(ctx, fsckToWire(report));
    }
    return report.problems.length ? 1 : 0;
  },
});
