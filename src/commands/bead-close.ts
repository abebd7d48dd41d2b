import { beadAction } from '../cli/bead-action.ts';
import { NO_IDS_EXIT, NO_IDS_INPUT } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { checkChoice, checkText, RESOLUTIONS } from '../core/beads/model.ts';

export const spec = defineCommand({
  name: 'bead-close',
  prints: ['bead'],
  summary: 'close beads',
  args: [{ name: 'id', complete: 'beads', description: 'beads to close', variadic: true }],
  options: [
    { flags: '--reason <text>', description: 'why the bead is closed (required with --force)' },
    {
      flags: '--resolution <r>',
      description: 'done (default), canceled or superseded',
      choices: RESOLUTIONS,
      default: 'done',
    },
    { flags: '--force', description: 'close even with open children, closing them too (needs --reason)', type: 'bool' },
  ],
  stdin: true,
  description: `Closes the beads named, all or nothing, in one commit. A bead with an open child is refused, naming the children, unless --force is given with a --reason; then its open descendants are closed too.

Closing a bead that is already closed changes nothing and succeeds. A closed bead no longer blocks the beads that depend on it: they may become ready.`,
  input: `Ids as arguments, or on stdin (bare ids or NDJSON records with "id"). ${NO_IDS_INPUT}`,
  output: 'The beads closed now (or, when all were closed already, the beads named), as NDJSON records of kind "bead".',
  exit: [
    NO_IDS_EXIT,
    [1, 'refused: a bead has open children (they are named) and --force was not given'],
    [4, 'no bead matches an id'],
  ],
  examples: [
    { cmd: "sase bead close k3f9 --reason 'shipped in #42'", text: 'close one bead' },
    {
      cmd: "sase bead close 7m2q --force --reason 'dropped' --resolution canceled",
      text: 'cancel an epic and its open phases',
    },
  ],
  seeAlso: ['sase-bead-reopen', 'sase-bead-ready'],
  async run(ctx, args, opts) {
    const reason = opts.reason === undefined ? null : checkText('reason', opts.reason, 10_000);
    const resolution = checkChoice('resolution', opts.resolution, RESOLUTIONS);
    await beadAction(ctx, args, opts, ({ ids, at, actor }) => ({
      op: 'bead.close',
      ids,
      reason,
      resolution,
      force: opts.force ?? false,
      at,
      actor,
    }));
    return 0;
  },
});
