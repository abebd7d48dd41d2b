import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPrefix, loadConfig } from '../app/config/config.ts';
import { addRemoteRefspecs } from '../app/sync/refspecs.ts';
import { isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { isValidPrefix } from '../core/beads/model.ts';
import { CONFIG_PATH } from '../core/config.ts';
import { UsageError } from '../core/errors.ts';
import { FORMAT_VERSION, STATE_REF } from '../store/store.ts';
import { initToWire } from '../wire/repo.ts';

export const spec = defineCommand({
  name: 'init',
  summary: 'set up sase in a git repository',
  args: [],
  options: [
    {
      flags: '--prefix <prefix>',
      description: 'the bead id prefix to write into a new .sase/config.toml (default: the folder name)',
    },
  ],
  description: `Creates the state ref refs/sase/state (with a reflog) holding only VERSION, writes a skeleton .sase/config.toml with the bead id prefix, and adds fetch refspecs to every remote so that 'git fetch' brings sase's refs along (+refs/sase/*:refs/sase-remotes/<remote>/* and the notes in refs/notes/sase).

Running it again changes nothing that exists: an existing state ref, config file or refspec is kept.`,
  output:
    'One NDJSON record of kind "init": {v, kind, id (the state ref), state_ref, tip, created (whether the ref was made now), prefix, config (the config file path, or null in a bare repository), config_created, refspecs_added (list)}.',
  exit: [],
  examples: [
    { cmd: 'sase init', text: 'set up sase in the current repository' },
    { cmd: 'sase init --prefix web', text: 'bead ids will look like web-k3f9abcd' },
  ],
  seeAlso: ['sase-bead-create', 'sase-fsck', 'sase'],
  async run(ctx, _args, opts) {
    const store = await ctx.store();
    const repo = store.repo;
    if (opts.prefix !== undefined && !isValidPrefix(opts.prefix)) {
      throw new UsageError(`prefix '${opts.prefix}' must be lower-case letters, digits, '_' and inner '-'`);
    }
    // the log's time and actor come from the operation, as for every other one
    const at = isoNow(ctx);
    const actor = (await store.ident()).email;
    const { commit } = await store.transact(async (snap) => ({
      op: { op: 'init', version: FORMAT_VERSION, at, actor },
      summary: 'init',
      changes: snap.tip ? new Map() : new Map([['VERSION', Buffer.from(FORMAT_VERSION + '\n')]]),
      result: null,
    }));
    let configPath: string | null = null;
    let configCreated = false;
    let prefix = opts.prefix ?? defaultPrefix(repo);
    if (repo.topLevel) {
      configPath = join(repo.topLevel, CONFIG_PATH);
      if (!existsSync(configPath)) {
        mkdirSync(join(repo.topLevel, '.sase'), { recursive: true });
        writeFileSync(
          configPath,
          `# sase configuration (see man sase(7)); versioned with the project.\n\n[beads]\n# bead ids look like ${prefix}-k3f9abcd\nprefix = "${prefix}"\n`,
        );
        configCreated = true;
      } else prefix = (await loadConfig(repo)).beads.prefix ?? prefix;
    }
    const refspecsAdded = await addRemoteRefspecs(repo);
    const tip = commit ?? (await store.tip());
    if (ctx.format === 'text') {
      const lines = [
        commit
          ? `Initialized sase: created ${STATE_REF} at ${tip!.slice(0, 10)}`
          : `sase is already set up here (${STATE_REF} at ${tip!.slice(0, 10)})`,
        `bead ids look like ${prefix}-k3f9abcd${configPath ? ` (${configCreated ? 'wrote' : 'from'} ${CONFIG_PATH})` : ''}`,
        ...refspecsAdded.map((r) => `added fetch refspec ${r}`),
      ];
      ctx.stdout.write(lines.join('\n') + '\n');
      return 0;
    }
    writeRecord(
      ctx,
      initToWire({
        stateRef: STATE_REF,
        tip,
        created: commit !== null,
        prefix,
        config: configPath,
        configCreated,
        refspecsAdded,
      }),
    );
    return 0;
  },
});
