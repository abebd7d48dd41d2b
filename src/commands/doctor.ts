import { doctor } from '../app/doctor/doctor.ts';
import { writeRecord } from '../cli/io.ts';
import { table, width } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { type CheckRecord, checkToWire } from '../wire/repo.ts';

export const spec = defineCommand({
  name: 'doctor',
  summary: 'check that git, node, the configuration, the agent CLIs and the state are in order',
  args: [],
  options: [
    { flags: '--fix', description: 'remove stale workspaces (temporary worktrees left by killed runs)', type: 'bool' },
  ],
  description: `Runs every check and reports each one; nothing is changed unless --fix is given.

The checks: git on PATH and at least 2.39 (needed); node at least 20 (needed); the current folder inside a git repository (needed); .sase/config.toml and the user's config valid, providers included (needed); for each provider, built-in (claude, codex, gemini, qwen, opencode, and example, the example agent shipped with sase) or from [providers.<name>], whether its program is on PATH and what '<program> --version' prints (5 s limit, run without a shell). No provider is needed: the check fails without making doctor fail.

The state ref's health is a 'sase fsck --no-replay' summary (needed; a repository with no state yet passes). Stale workspaces are temporary worktrees under $GIT_COMMON_DIR/sase/worktrees/ whose process is gone, left by a run or hook that was killed; a rebase stopped on a conflict and kept for the user is not stale. They are reported, and removed with --fix.`,
  output:
    'One NDJSON record a check: {v, kind: "check", id (git, node, repository, config, provider:<name>, state or worktrees), what, ok, needed, detail, version (a program\'s version, else null), path (the program or folder, else null)}. On a terminal, a table.',
  exit: [[1, 'a needed check failed (git, node, the repository, the configuration or the state)']],
  examples: [
    { cmd: 'sase doctor', text: 'check everything' },
    {
      cmd: 'sase doctor --json | jq -r \'select(.id | startswith("provider:")) | select(.ok) | .id\'',
      text: 'the agent CLIs that are installed',
    },
    { cmd: 'sase doctor --fix', text: 'also remove the worktrees killed runs left behind' },
  ],
  seeAlso: ['sase-fsck', 'sase-init'],
  async run(ctx, _args, opts) {
    const checks = await doctor({
      cwd: ctx.cwd,
      env: ctx.env,
      store: () => ctx.store(),
      fix: opts.fix ?? false,
      progress: (m) => ctx.progress(m),
    });
    const failed = checks.some((c) => c.needed && !c.ok);
    const records = checks.map(checkToWire);
    if (ctx.format === 'text') {
      const state = (c: CheckRecord) => (c.ok ? 'ok' : c.needed ? 'FAIL' : 'missing');
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
