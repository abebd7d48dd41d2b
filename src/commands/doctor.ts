import { doctor } from '../app/doctor/doctor.ts';
import { isoNow } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { clean, table, width } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { type CheckRecord, checkToWire } from '../wire/repo.ts';

export const spec = defineCommand({
  name: 'doctor',
  prints: ['check'],
  summary: 'check that git, node, the configuration, the agent CLIs and the state are in order',
  args: [],
  options: [
    {
      flags: '--fix',
      description:
        'repair what killed commands left: stale worktrees, change branches without a record, interrupted workspace creations',
      type: 'bool',
    },
  ],
  description: `Runs every check and reports each one; nothing is changed unless --fix is given.

The checks: git on PATH and at least 2.39 (needed); node at least 20 (needed); the current folder inside a git repository (needed); .sase/config.toml and the user's config valid, providers included (needed); for each provider, built-in (claude, codex, gemini, qwen, opencode, and example, the example agent shipped with sase) or from [providers.<name>], whether its program is on PATH and what '<program> --version' prints (5 s limit, run without a shell), and that its help ('<program> --help', or '<program> <subcommand> --help' for a command such as 'codex exec', its resume command's too) still lists every flag sase passes it: a flag an update renamed or removed is a warning naming the provider and the flag (a help that cannot be read is only noted). Run as root, claude refuses to start (its --dangerously-skip-permissions) unless IS_SANDBOX=1 is in its environment, as in a container: the claude check warns then, until the environment or the provider's env (env = { IS_SANDBOX = "1" } under [providers.claude]) sets it. No provider is needed: the check fails without making doctor fail; each warning is also one 'warning:' line on stderr.

The state ref's health is a 'sase fsck --no-replay' summary of the state ref itself (needed; a repository with no state yet passes). The bead id prefix (prefix) is the one every clone shares, settings.json in the state ref (see sase-init(1)); [beads] prefix of the configuration may repeat it, and one that disagrees is a warning (not needed): new ids take the state's. A state made before settings.json takes the configuration's, and the check says so. The other checks are of what killed commands leave behind; none is needed, each is reported, and repaired with --fix, each repair said on stderr (one line each) and in the check's detail. Nothing is lost by a repair: a branch with commits of its own is never deleted, a workspace holding work is never removed.

Stale worktrees (worktrees) are temporary worktrees under $GIT_COMMON_DIR/sase/worktrees/ whose process is gone, left by a run or hook that was killed; a rebase stopped on a conflict and kept for the user is not stale. --fix removes them.

Change branches without a record (branches) are branches sase/cs/<name> with no change <name> in the state, as a sase-cs-new killed between making the branch and writing the record leaves them (other names under sase/cs/ are not sase's and are left alone; with no state ref at all nothing is checked). --fix deletes such a branch when it has no commits of its own (every commit of it is on another branch, a tag or a remote-tracking branch) and is checked out nowhere: what the killed command left, so that running it again starts afresh. Any other it adopts, as 'sase cs new <name> --adopt' does: a change with no parent, status WIP, starting where the branch left the target branch, its commits in COMMITS, described by its first commit's subject (see sase-cs-new(1); give the change its parent with 'sase cs new <name> --adopt --parent <p>' before doctor does).

Interrupted workspace creations (workspaces) are entries of the workspace registry ($GIT_COMMON_DIR/sase/workspaces.json) still marked as being made by a process that is gone: a sase-ws-new (or a run making its workspace) killed on the way, which may have left the workspace's branch and a whole or half-made worktree (one git still keeps locked 'initializing'). --fix removes the worktree, the branch when it has no commits of its own, and the entry, so the number is free again; one that holds work (uncommitted changes, or commits on no other branch, in a checkout git finished) is kept, as a free workspace. The registry's lock held by a process that is gone, and temporary files of such a process, are removed too. sase-ws-clean settles interrupted creations the same way.`,
  output:
    'One NDJSON record a check: {v, kind: "check", id (git, node, repository, config, provider:<name>, state, prefix, worktrees, branches or workspaces), what, ok, needed, detail, version (a program\'s version, else null), path (the program, folder or file, else null)}. On a terminal, a table. With --fix, one line on stderr a repair.',
  exit: [[1, 'a needed check failed (git, node, the repository, the configuration or the state)']],
  examples: [
    { cmd: 'sase doctor', text: 'check everything' },
    {
      cmd: 'sase doctor --json | jq -r \'select(.id | startswith("provider:")) | select(.path) | .id\'',
      text: 'the agent CLIs that are installed',
    },
    { cmd: 'sase doctor --fix', text: 'also repair what killed commands left behind' },
  ],
  seeAlso: ['sase-fsck', 'sase-init'],
  async run(ctx, _args, opts) {
    const checks = await doctor({
      cwd: ctx.cwd,
      env: ctx.env,
      store: () => ctx.store(),
      fix: opts.fix ?? false,
      at: isoNow(ctx),
      said: (line) => ctx.stderr.write(`${clean(line)}\n`),
      warn: (line) => ctx.stderr.write(`warning: ${clean(line)}\n`),
      uid: process.getuid?.() ?? null,
      progress: (m) => ctx.progress(m),
    });
    const failed = checks.some((c) => c.needed && !c.ok);
    const records = checks.map(checkToWire);
    if (ctx.format === 'text') {
      // a provider that is not there is missing; any other check that is not needed warns
      const state = (c: CheckRecord) =>
        c.ok ? 'ok' : c.needed ? 'FAIL' : c.id.startsWith('provider:') && !c.path ? 'missing' : 'warn';
      ctx.stdout.write(
        table(
          records,
          [
            { header: 'CHECK', get: (r) => r.id },
            {
              header: 'STATUS',
              get: state,
              color: (s, r) => (r.ok ? ctx.colors.green(s) : r.needed ? ctx.colors.red(s) : ctx.colors.yellow(s)),
            },
            { header: 'NEEDED', get: (r) => (r.needed ? 'yes' : 'no') },
            { header: 'DETAIL', get: (r) => r.detail, flex: true },
          ],
          ctx.colors,
          width(ctx, 40),
        ),
      );
    } else for (const r of records) writeRecord(ctx, r);
    return failed ? 1 : 0;
  },
});
