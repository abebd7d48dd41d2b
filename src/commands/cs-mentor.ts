import { Writable } from 'node:stream';
import { launchMentors, mentorResults, settleMentors } from '../app/agents/mentors.ts';
import { wireRun } from '../app/agents/view.ts';
import { followAndReport } from '../cli/agent-run-shared.ts';
import { printRunLine } from '../cli/agent-view.ts';
import { statusColor } from '../cli/colors.ts';
import type { Ctx } from '../cli/context.ts';
import { isoNow } from '../cli/context.ts';
import { changeArg } from '../cli/cs-view.ts';
import { info, warn, writeRecord } from '../cli/io.ts';
import { clean } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import type { MentorResult } from '../core/changes/mentors.ts';
import { UsageError } from '../core/errors.ts';
import { parseAge } from '../core/workspaces/refs.ts';
import { mentorToWire } from '../wire/change.ts';

function printResults(ctx: Ctx, results: MentorResult[]): void {
  if (ctx.format !== 'text') {
    for (const r of results) writeRecord(ctx, mentorToWire(r));
    return;
  }
  const c = ctx.colors;
  for (const r of results) {
    const n = r.comments.length;
    const what =
      r.status === 'COMMENTED'
        ? ` (${n} open comment${n === 1 ? '' : 's'})`
        : r.status === 'FAILED' || r.status === 'KILLED'
          ? r.run.error
            ? ` (${clean(r.run.error)})`
            : ''
          : '';
    ctx.stdout.write(
      `mentor ${c.bold(r.profile)} on ${clean(r.run.mentor!.change)} (${r.commit}) ${c.yellow(r.sha.slice(0, 12))}: ${statusColor(c, 'mentor', r.status)}${what}\n`,
    );
    if (r.status !== 'COMMENTED') continue;
    for (const k of r.comments) {
      const [first, ...more] = k.text.split('\n');
      ctx.stdout.write(
        `  #${k.id} ${c.cyan(clean(k.path + (k.line === null ? '' : `:${k.line}`)))} ${clean(first ?? '')}\n`,
      );
      for (const m of more) ctx.stdout.write(`      ${clean(m)}\n`);
    }
  }
}

/** A view of the context whose stdout swallows what is written (the run records followAndReport prints on a pipe). */
function withoutStdout(ctx: Ctx): Ctx {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  return Object.create(ctx, { stdout: { value: sink } }) as Ctx;
}

export const spec = defineCommand({
  name: 'cs-mentor',
  prints: ['mentor', 'agent'],
  summary: "have mentors (reviewer agents) review a change's latest commit",
  args: [{ name: 'name', complete: 'changes', description: 'the change', required: true }],
  options: [
    {
      flags: '--profile <name>',
      description: 'run only this mentor profile, whether or not its paths select the change',
    },
    {
      flags: '--provider <name>',
      description:
        "the agent CLI for every mentor run (default: the profile's provider, else [agents] provider, else claude)",
    },
    { flags: '--model <model>', description: "the model for every mentor run (default: the profile's model)" },
    { flags: '--timeout <age>', description: 'stop a mentor after this long (30s, 20m, 2h)' },
    {
      flags: '--detach',
      description: 'print the run records and return; the mentors go on in the background',
      type: 'bool',
    },
  ],
  description: `Launches the mentors of a change on its latest recorded commit (the last entry of COMMITS): one agent run for each mentor profile whose paths select the change, or only the profile given with --profile.

Mentor profiles are tables of .sase/config.toml (or the user's $XDG_CONFIG_HOME/sase/config.toml): [mentors.<profile>] with paths (an array of globs), prompt (the mentor's instructions, or an XPrompt reference such as "#review", expanded as sase-xprompt-expand(1) does), and optionally provider and model. A profile selects a change when any of the paths in its DELTAS matches any of its globs. Globs match whole paths from the repository's root: ** any number of folders, * any characters within one folder, ? one of them, [abc] and [!abc] sets, {a,b} alternatives; a glob ending in / means everything under that folder. paths = [] makes a profile that runs only when named with --profile. Unknown keys in a profile are errors.

Each mentor is a run of sase-agent-run(1), named mentor.<profile>.<change>, in a new numbered workspace at the reviewed commit (so it can read the code as it was), with no bead and nothing of its work added to the change. Its prompt is the profile's text, then the change's description, its own diff (its branch from where it left its base, up to the reviewed commit; cut at 512 KiB) and how to answer: one JSON object a line, {"path": ..., "line": ..., "text": ..., "severity": "error|warning|info"}. The change's MENTORS section gets an entry for the commit and profile, "(<commit>) <profile>[<finished>/<total>]", with a drawer line for the run: "[<time>] <profile> - STARTING - <run id>".

When a mentor ends, its answer is recorded in the change: the comments it printed are added to COMMENTS, unresolved, by "mentor:<profile>" (a warning or error severity opens the text with "warning: " or "error: "; comments equal to an open one are not added twice), and its drawer line becomes "[<time>] <profile> - <STATUS> - (<duration>) - <run id>" with STATUS one of PASSED (done, no comments), COMMENTED (done, with comments), FAILED or KILLED. A follow-up run (sase agent run --cs <name>) sees the unresolved comments in its prompt; sase-cs-resolve(1) resolves them.

A profile already reviewing the same commit (its run still queued or running) is not started again: its run is followed instead. A change with no recorded commits is refused (see sase-cs-commit(1)), as is a submitted, reverted or archived one. When no profile selects the change, nothing is started, a line on stderr says so, and the exit status is 0.

Without --detach, the command follows the mentors to their end (on a terminal their output is streamed, as sase-agent-run(1) does; Ctrl-C kills them), then prints each mentor's result with its open comments. With --detach it prints the run records at once and the mentors go on in the background; sase-cs-show(1) shows their results later.`,
  output:
    'Without --detach: one NDJSON record per mentor, kind "mentor": {v, kind, id (the run id), change, profile, commit (its number in COMMITS), sha, status (PASSED, COMMENTED, FAILED, KILLED; STARTING or RUNNING if still going), run, run_name, run_status, error, workspace, comments (the profile\'s open comments on the change: {id, author, path, line, text, resolved})}. With --detach: the run records of kind "agent" as sase-agent-run(1) prints them. On a terminal, a line per mentor and its comments. Nothing when no profile selects the change.',
  exit: [
    [0, 'every mentor ran (PASSED or COMMENTED), or no profile selects the change; with --detach, the mentors started'],
    [1, 'a mentor failed or was killed; or refused: the change has no commits, or is submitted, reverted or archived'],
    [4, "no such change, or its branch or base branch is gone; no XPrompt named in a profile's prompt"],
    [
      128,
      "a malformed [mentors.<profile>] (an unknown key, a missing paths or prompt, a bad glob), config or XPrompt; the provider's program is not on PATH",
    ],
    [129, 'an unknown profile (the message names the known ones), an unknown provider, a bad option'],
    [130, 'interrupted: the mentors were killed'],
  ],
  examples: [
    {
      cmd: 'sase cs mentor ready_cache_store',
      text: 'every matching mentor reviews the latest commit; their results and comments',
    },
    {
      cmd: 'sase cs mentor ready_cache_store --profile security --detach',
      text: 'the security mentor, in the background',
    },
    {
      cmd: "sase run --cs ready_cache_store 'Address the review comments'",
      text: 'a follow-up agent that sees the comments and adds its commits to the change',
    },
    {
      cmd: 'printf \'[mentors.security]\\npaths = ["src/**"]\\nprompt = "#review"\\n\' >> .sase/config.toml',
      text: 'a mentor profile',
    },
  ],
  seeAlso: [
    'sase-cs-show',
    'sase-cs-comment',
    'sase-cs-resolve',
    'sase-cs-commit',
    'sase-agent-run',
    'sase-agent-show',
    'sase-xprompt-expand',
  ],
  async run(ctx, args, opts) {
    if (args.length !== 1) throw new UsageError(`unexpected argument '${args[1]}'`);
    const name = await changeArg(ctx, args[0]!);
    const timeout = opts.timeout === undefined ? null : parseAge(opts.timeout) / 1000;
    const store = await ctx.store();
    const env = { cwd: ctx.cwd, env: ctx.env, at: isoNow(ctx), random: ctx.random };
    const launch = await launchMentors(
      store,
      name,
      { profile: opts.profile ?? null, provider: opts.provider ?? null, model: opts.model ?? null, timeout },
      env,
    );
    for (const w of launch.warnings) warn(ctx, w);
    if (!launch.profiles.length) {
      info(
        ctx,
        `no mentor profile selects change '${name}' (by the paths in its DELTAS); '--profile <name>' runs one anyway`,
      );
      return 0;
    }
    for (const p of launch.joined) {
      const r = launch.runs.find((x) => x.mentor?.profile === p);
      info(ctx, `mentor '${p}' is reviewing commit (${launch.commit}) already: run ${r?.id ?? '?'}`);
    }
    const nowMs = ctx.clock.now().getTime();
    if (opts.detach) {
      for (const r of launch.runs) {
        if (ctx.format === 'json') writeRecord(ctx, wireRun(store, r, nowMs));
        else printRunLine(ctx, wireRun(store, r, nowMs), 'started');
      }
      return 0;
    }
    const followed = await followAndReport(ctx.format === 'text' ? ctx : withoutStdout(ctx), store, launch.runs);
    if (followed === 130) return 130;
    const ids = launch.runs.map((r) => r.id);
    await settleMentors(store, ids, isoNow(ctx));
    const results = await mentorResults(store, ids);
    printResults(ctx, results);
    return results.every((r) => r.status === 'PASSED' || r.status === 'COMMENTED') ? 0 : 1;
  },
});
