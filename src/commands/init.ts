import { initSase } from '../app/init/init.ts';
import { isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { isValidPrefix } from '../core/beads/model.ts';
import { CONFIG_PATH } from '../core/config.ts';
import { UsageError } from '../core/errors.ts';
import { STATE_REF } from '../store/store.ts';
import { initToWire } from '../wire/repo.ts';

export const spec = defineCommand({
  name: 'init',
  prints: ['init'],
  summary: 'set up sase in a git repository, or adopt the state its remote has',
  args: [],
  options: [
    {
      flags: '--prefix <prefix>',
      description:
        "the bead id prefix a new state records (default: [beads] prefix of the configuration, else the folder's name); a state that has its prefix keeps it",
    },
    { flags: '--no-fetch', description: 'do not look for a state on the default remote first', type: 'bool' },
    { flags: '--no-refspecs', description: 'add no fetch refspecs to the remotes', type: 'bool' },
  ],
  description: `Sets sase up in a git repository without making a second state where one exists: in a fresh clone of a repository whose remote has sase's state, it adopts that state instead of starting an unrelated one.

First, unless --no-fetch, it looks at the default remote: [sync] remote in the configuration, else the remote of the current branch's upstream, else origin, else the only remote. It fetches that remote's refs/sase/state and refs/notes/sase into refs/sase-remotes/<remote>/state and refs/sase-remotes/<remote>/notes (a plain git clone copies neither custom refs nor notes).

When the remote has a state and this repository none, init adopts it. After checking that it is a sase state (a commit, a VERSION this sase reads, a valid settings.json), it sets refs/sase/state to the remote's commit, only if the ref still does not exist, with a reflog, and refs/notes/sase to the remote's notes when there are none here, in one ref transaction. The clone then shares the remote's history, settings and bead id prefix, whether or not .sase/config.toml is committed. A remote state that is not a sase state is refused (exit 128) and nothing is changed.

When both have a state, nothing is changed. When the two share no history (no merge base), a warning says so, with a hint: sase sync refuses unrelated states, one must be kept.

When the remote cannot be reached, that is no failure: init goes on offline with a warning. When it then makes a new state it cannot know whether the remote has one, and the warning says so: run it again once the remote is reachable to compare. With several remotes and none of them the default, no remote is looked at; a warning says so when a new state is made.

Then, when there is no state, it creates refs/sase/state (with a reflog): one commit holding VERSION and settings.json, {"v":1,"prefix":"<prefix>","created_at":"<time>"}, the settings every clone shares. Its prefix is --prefix, else [beads] prefix of the configuration, else the folder's name. A state made before settings.json existed gets it, from the same choice, in a commit of its own; an older state is never rewritten. The init operation in the log carries the settings, so replaying the log (sase fsck) rebuilds settings.json. The prefix new bead ids take is the one settings.json names; for a state without it, [beads] prefix, else the folder's name.

It writes a skeleton .sase/config.toml repeating the state's prefix, when there is none. [beads] prefix there may repeat the state's prefix, but the state's wins; a disagreement is a warning here and in sase doctor.

Unless --no-refspecs, it adds fetch refspecs to every remote, so that a plain git fetch brings sase's refs along: +refs/sase/*:refs/sase-remotes/<remote>/* and +refs/notes/sase*:refs/sase-remotes/<remote>/notes* (wildcards: a fetch never fails while a remote has no sase data).

It adds no push refspecs, on purpose. A remote.<name>.push line replaces what a bare git push pushes: the current branch to its upstream (push.default) is no longer pushed unless a refspec names it, and no refspec can say "the current branch to its upstream" (HEAD pushes it under its own name, which is wrong for a branch that tracks another name, and fails on a detached HEAD). And the state ref must never be forced: once another clone has pushed, a plain push of it is rejected, so every git push after that would end in an error about sase's refs although your branch went up. The state is shared by sase sync (fetch, replay our operations on the remote's, push with a lease), or by hand: git push origin refs/sase/state refs/notes/sase (a fast-forward only).

Running it again changes nothing that exists: a state, its settings, a config file and a refspec are kept.`,
  output: `One NDJSON record of kind "init": {v, kind, id (the state ref), state_ref, tip, created (whether this run made a new state; false when it adopted one or found one), adopted_from (the remote whose state was adopted, or null), remote (the remote looked at, or null: --no-fetch, no remote, or several and none the default), remote_state (what it holds: absent, adopted, same, related (shares history: sase sync brings the two together), unrelated, or unreachable; null when no remote was looked at), prefix (the bead id prefix: the state's), settings_created (whether this run wrote settings.json), config (the config file path, or null in a bare repository), config_created, refspecs_added (list of "<remote>: <refspec>")}. Warnings and hints go to stderr.`,
  exit: [[128, "the remote's state is not a sase state this sase reads: nothing was changed"]],
  examples: [
    { cmd: 'sase init', text: 'set up sase in the current repository' },
    { cmd: 'git clone https://example.com/app.git && cd app && sase init', text: "a clone: adopts the remote's state" },
    { cmd: 'sase init --prefix web', text: 'a new state whose bead ids look like web-k3f9abcd' },
    { cmd: 'sase init --no-fetch', text: 'offline: set up without looking at the remote' },
  ],
  seeAlso: ['sase-bead-create', 'sase-fsck', 'sase-doctor', 'sase', 'git-fetch', 'git-push'],
  async run(ctx, _args, opts) {
    const store = await ctx.store();
    if (opts.prefix !== undefined && !isValidPrefix(opts.prefix)) {
      throw new UsageError(`prefix '${opts.prefix}' must be lower-case letters, digits, '_' and inner '-'`);
    }
    // the log's time and actor come from the operation, as for every other one
    const r = await initSase(store, {
      prefix: opts.prefix,
      fetch: opts.fetch,
      refspecs: opts.refspecs,
      at: isoNow(ctx),
      actor: (await store.ident()).email,
    });
    for (const w of r.warnings) ctx.stderr.write(`warning: ${w.text}\n${w.hint ? `hint: ${w.hint}\n` : ''}`);
    if (ctx.format === 'text') {
      const at = r.tip!.slice(0, 10);
      const ops = (n: number) => `${n} operation${n === 1 ? '' : 's'}`;
      const lines = [
        r.adoptedFrom
          ? `adopted the state of '${r.adoptedFrom}' (${ops(r.adoptedOperations ?? 0)}, tip ${r.adoptedTip!.slice(0, 10)})`
          : r.created
            ? `Initialized sase: created ${STATE_REF} at ${at}`
            : `sase is already set up here (${STATE_REF} at ${at})`,
        ...(r.settingsCreated && !r.created ? [`recorded the prefix '${r.prefix}' in settings.json`] : []),
        ...(r.remoteState === 'related'
          ? [`the state of '${r.remote}' shares its history with this one: 'sase sync' brings the two together`]
          : []),
        `bead ids look like ${r.prefix}-k3f9abcd${r.configCreated ? ` (wrote ${CONFIG_PATH})` : ''}`,
        ...r.refspecsAdded.map((x) => `added fetch refspec ${x}`),
      ];
      ctx.stdout.write(lines.join('\n') + '\n');
      return 0;
    }
    writeRecord(
      ctx,
      initToWire({
        stateRef: STATE_REF,
        tip: r.tip,
        created: r.created,
        adoptedFrom: r.adoptedFrom,
        remote: r.remote,
        remoteState: r.remoteState,
        prefix: r.prefix,
        settingsCreated: r.settingsCreated,
        config: r.config,
        configCreated: r.configCreated,
        refspecsAdded: r.refspecsAdded,
      }),
    );
    return 0;
  },
});
