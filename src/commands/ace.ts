import { DEFAULT_FILTERS, loadAceList } from '../app/ace/sources.ts';
import { loadConfig } from '../app/config/config.ts';
import { runScreen } from '../cli/ace/screen.ts';
import type { Ctx } from '../cli/context.ts';
import { writeRecord } from '../cli/io.ts';
import { runCommand } from '../cli/main.ts';
import type { CommandSpec } from '../cli/spec.ts';
import { defineCommand } from '../cli/spec.ts';
import type { AceKeys } from '../core/ace/actions.ts';
import { matchAce, parseAceQuery } from '../core/ace/query.ts';
import { ACE_TABS, type AceTab } from '../core/ace/tabs.ts';
import { builtinProviders, mergeProviders } from '../core/agents/providers.ts';
import type { Config } from '../core/config.ts';
import { UsageError } from '../core/errors.ts';
import { runOwnCommand } from '../proc/own-command.ts';
import type { Store } from '../store/store.ts';

export const spec = defineCommand({
  name: 'ace',
  summary: 'the fzf-style picker over beads, plans, changes, agents, workflows and notifications',
  args: [
    { name: 'query', description: 'what to type first (fzf syntax and field filters, see below)', variadic: true },
  ],
  options: [
    {
      flags: '--tab <tab>',
      description: 'the list: beads, plans, changes, agents, workflows or notifications (default beads)',
      choices: ACE_TABS,
      complete: 'none',
    },
    {
      flags: '--filter <query>',
      description: 'no screen: print the records the query matches, in match order, as NDJSON (exit 1 when none)',
    },
    { flags: '--pick', description: 'the screen, then print the chosen records as NDJSON on stdout', type: 'bool' },
    { flags: '--no-axe', description: 'run no Axe ticks in the background while the screen is open' },
  ],
  formatted: false,
  description: `ACE is one place to look: the records of a repository in lists (beads, plans, changes, agents, workflows, notifications) that a query narrows as you type, the way fzf does.

The query is fzf's extended search over each record's line (its id, status, kind and title): words are fuzzy terms, all of which must match ('a b' is a and b); 'word matches exactly, ^word at the start, word$ at the end, !word must not match, and a | b either. Case is smart (a capital makes a term case-sensitive). Beside the fuzzy text, words of the form field:value filter by a field of the list: beads take status:, type:, prio:, parent:, assignee: (empty: unassigned), tier: and label:; plans status: and tier:; changes status:, parent: and bead:; agents status:, provider:, bead: and name:; workflows status: and workflow:; notifications status:, type:, severity: and the word unread. A value may list alternatives (status:open,claimed), '!' before a filter negates it, and * takes any value. Unless the query filters by status, beads leave out closed ones, changes archived and reverted ones, and notifications dismissed and snoozed ones.

--filter QUERY prints, without a screen, the records the query matches in match order (best first; in list order when there is no fuzzy text), one NDJSON record each as the list commands print them (sase-bead-list(1), sase-sdd-list(1), sase-cs-list(1), sase-agent-list(1), sase-wf-list(1), sase-notify-list(1)), so it feeds other commands: sase ace --filter 'status:open cache' | sase bead claim.

The screen (on the alternate buffer, given back exactly on leaving, on SIGTERM and on a crash): a header with the lists and how many records each matches (and the Axe's last tick, which the screen runs in the background every 10 seconds unless --no-axe), the query line, the list with the matched characters highlighted beside a preview of the record under the cursor (its card, as sase <noun> show prints it), and a footer with the keys of the list or the last result. Type to filter; Backspace and Ctrl-U edit; arrows, Ctrl-N/P, Ctrl-J/K, PgUp/PgDn, Home/End move; Tab and Shift-Tab switch lists; Ctrl-Space (or Space while the query is empty) marks; Enter opens the record's card; Ctrl-Y copies its id (OSC 52); Ctrl-R reloads; ? shows every key; Esc or Ctrl-C leaves. The lists follow the state ref (a look a second), keeping the record under the cursor.

Actions sit on Alt keys, as letters go to the query, and run the command a person would type, on the marked records or else the one under the cursor; the footer shows the result or the error, and the screen stays. Some ask first: y/N, or a value typed in the footer (Tab goes through the answers it takes, Enter runs, Esc cancels). beads: alt-c claim, alt-u release, alt-x close (asks the reason), alt-o reopen, alt-p priority (0-4), alt-t status, alt-n run an agent on it (the prompt written in $EDITOR, then the provider: the configured one first), alt-w work the epic (bead work --detach, asks y/N). plans: alt-a approve, alt-e edit in $EDITOR (sase-sdd-edit(1)), alt-t status, alt-h history (with patches, full screen). changes: alt-d diff (through $SASE_PAGER, else $PAGER, else less -R), alt-h run hooks, alt-g mentors, alt-m mail, alt-s submit (asks y/N), alt-n follow-up agent (on the change, told its open comments), alt-v resolve a comment (one of its open ones), alt-b rebase the stack (asks y/N). agents: alt-l log (followed on the terminal; Enter comes back), alt-k kill (asks y/N), alt-r retry, alt-e resume (asks what to tell it), alt-w the workspace's path (shown and copied), alt-s a shell there ($SHELL, else sh; exit comes back). workflows: alt-a approve the waiting step and carry on, alt-e resume, alt-t status (full screen). notifications: alt-a act, alt-r mark read, alt-x dismiss, alt-z snooze (1h, 4h, 1d or 1w). An editor, a pager, a followed log or a shell gets the terminal while it runs; the screen comes back as it was.

[ace.keys] in the configuration moves actions: name = "alt-y" moves that action on every list, a table [ace.keys.<list>] on one list only; a key is alt- and a letter or digit, or ctrl- and a letter other than those the screen uses itself (c h i j k m n p r u y). A key given twice on one list, an unknown action or a malformed key is a configuration error (exit 128), reported by --filter too.

With SASE_ACE_TRACE=<file> in the environment, the screen appends a JSON line for each key it handles, {"key", "ms"}: the time from the keypress to its frame written (the benchmark reads it).

--pick draws the screen on /dev/tty and prints the chosen records (marked, else the one under the cursor) as NDJSON on stdout when Enter is pressed: sase ace --pick status:open | sase bead claim. The screen needs a terminal; without one (stdin not a terminal, stdout not one unless --pick, or TERM unset or dumb) it says so and suggests --filter.`,
  output:
    'With --filter (and --pick): the matching (chosen) records, one NDJSON object per line, of the kind the list of the tab prints (bead, plan, change, agent, workflow_run, notification).',
  exit: [
    [1, '--filter matched nothing (nothing is printed)'],
    [0, 'the screen was left (with --pick: the chosen records printed; none when left with Esc)'],
    [128, 'a configuration error, such as a bad [ace.keys]'],
    [129, 'a bad tab or query, or no terminal for the screen (use --filter)'],
  ],
  examples: [
    { cmd: "sase ace --filter 'status:open ^cache' --tab beads", text: 'open beads whose line starts with cache' },
    { cmd: "sase ace --filter 'type:phase !closed' | sase bead claim", text: 'claim what a query finds' },
    { cmd: 'sase ace --filter unread --tab notifications', text: 'what wants a person' },
  ],
  seeAlso: ['sase-bead-list', 'sase-notify-list', 'sase-axe-tick'],
  async run(ctx, args, opts) {
    const tab = (opts.tab ?? 'beads') as AceTab;
    if (opts.filter === undefined) {
      const term = ctx.env.TERM ?? '';
      if (!ctx.stdinIsTTY || !(ctx.stdoutIsTTY || opts.pick) || term === 'dumb' || term === '')
        throw new UsageError(
          `sase ace needs a terminal for its screen${term === 'dumb' ? ' (TERM=dumb)' : ''}; for scripts: sase ace --filter ${JSON.stringify(args.join(' ') || 'QUERY')} --tab ${tab}`,
        );
      const store = await ctx.store();
      const config = await loadConfig(store.repo);
      const picked = await runScreen({
        store,
        tab,
        query: args.join(' '),
        pick: opts.pick ?? false,
        axeEveryMs: opts.axe === false ? null : AXE_EVERY_MS,
        tickAxe: () => tickInBackground(store, ctx.env, ctx.clock.wallMs()),
        run: (command, argv, format) => runCaptured(ctx, command, argv, format),
        nowMs: () => ctx.clock.now().getTime(),
        monoMs: () => ctx.clock.ms(),
        traceFile: ctx.env.SASE_ACE_TRACE || undefined,
        keys: ((config.ace as { keys?: AceKeys } | undefined)?.keys ?? {}) as AceKeys,
        providers: providerChoices(config),
        cwd: ctx.cwd,
        env: ctx.env,
      });
      for (const r of picked) writeRecord(ctx, r);
      return 0;
    }
    if (args.length) throw new UsageError('give the query once: as --filter QUERY');
    const query = parseAceQuery(tab, opts.filter);
    const store = await ctx.store();
    // the configuration is checked here too, so a script finds a broken [ace.keys] before a person does
    await loadConfig(store.repo);
    const list = await loadAceList(store, tab, {
      nowMs: ctx.clock.now().getTime(),
      progress: (d, t) => ctx.progress(`reading beads: ${d}/${t}`),
    });
    const matches = matchAce(list.items, query, DEFAULT_FILTERS[tab]);
    if (!matches.items.length) return 1;
    for (const r of await list.records(matches.items.map((it) => it.key))) writeRecord(ctx, r);
    return 0;
  },
});

/** The providers the screen offers for an agent run: the configured default first. */
function providerChoices(config: Config): string[] {
  const names = [...mergeProviders(builtinProviders(), config.providers).keys()];
  const first = (config.agents as { provider?: string } | undefined)?.provider ?? 'claude';
  return [first, ...names.filter((n) => n !== first)];
}

/** How often the screen runs an Axe tick in the background. */
const AXE_EVERY_MS = 10_000;

/** The commands the screen runs (cards and actions), loaded when first used. */
const COMMANDS: Record<string, () => Promise<{ spec: CommandSpec }>> = {
  'bead-show': () => import('./bead-show.ts'),
  'bead-claim': () => import('./bead-claim.ts'),
  'bead-release': () => import('./bead-release.ts'),
  'bead-close': () => import('./bead-close.ts'),
  'bead-reopen': () => import('./bead-reopen.ts'),
  'bead-work': () => import('./bead-work.ts'),
  'bead-update': () => import('./bead-update.ts'),
  'agent-run': () => import('./agent-run.ts'),
  'agent-resume': () => import('./agent-resume.ts'),
  'sdd-status': () => import('./sdd-status.ts'),
  'sdd-history': () => import('./sdd-history.ts'),
  'cs-mentor': () => import('./cs-mentor.ts'),
  'cs-resolve': () => import('./cs-resolve.ts'),
  'cs-rebase': () => import('./cs-rebase.ts'),
  'wf-approve': () => import('./wf-approve.ts'),
  'notify-snooze': () => import('./notify-snooze.ts'),
  'sdd-show': () => import('./sdd-show.ts'),
  'sdd-approve': () => import('./sdd-approve.ts'),
  'cs-show': () => import('./cs-show.ts'),
  'cs-submit': () => import('./cs-submit.ts'),
  'cs-mail': () => import('./cs-mail.ts'),
  'cs-hook-run': () => import('./cs-hook-run.ts'),
  'agent-show': () => import('./agent-show.ts'),
  'agent-kill': () => import('./agent-kill.ts'),
  'agent-retry': () => import('./agent-retry.ts'),
  'wf-status': () => import('./wf-status.ts'),
  'wf-resume': () => import('./wf-resume.ts'),
  'notify-show': () => import('./notify-show.ts'),
  'notify-act': () => import('./notify-act.ts'),
  'notify-read': () => import('./notify-read.ts'),
  'notify-dismiss': () => import('./notify-dismiss.ts'),
};

/** Runs a command as its launcher would, in this process, its output kept as text without colour. */
async function runCaptured(ctx: Ctx, command: string, argv: string[], format: 'text' | 'id' | 'json' = 'text') {
  const { Readable, Writable } = await import('node:stream');
  const spec = (await COMMANDS[command]!()).spec;
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        add(chunk.toString());
        done();
      },
    });
  const takesFormat = spec.formatted !== false || spec.options.some((o) => o.flags.startsWith('--format '));
  // id form where a command has it (an action's result: the ids it moved), else text; json for a record to read
  const form = takesFormat
    ? ['--format', format === 'json' ? 'json' : format === 'id' && spec.formatted !== false ? 'id' : 'text']
    : [];
  const code = await runCommand(spec, [...argv, ...form], {
    cwd: ctx.cwd,
    env: { ...ctx.env, NO_COLOR: '1' },
    stdin: Readable.from([]),
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    clock: ctx.clock,
    random: ctx.random,
  });
  return { code, stdout, stderr };
}

/** One Axe tick in a process of its own; what the header says of it. */
async function tickInBackground(store: Store, env: Record<string, string | undefined>, nowMs: number): Promise<string> {
  const cwd = store.repo.topLevel ?? store.repo.commonDir;
  const r = await runOwnCommand('sase-axe-tick', ['--json'], cwd, env, { stdout: true });
  const at = new Date(nowMs).toISOString().slice(11, 19);
  const recs = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { chops?: Array<{ chop: string; status: string }>; action?: string });
  const failing = recs.flatMap((x) => x.chops ?? []).filter((c) => c.status === 'failed' || c.status === 'check_error');
  if (r.code === 128) return `axe: config problems (${at})`;
  if (recs[0]?.action === 'maintenance') return `axe: maintenance (${at})`;
  return failing.length ? `axe ${at}: failing ${failing.map((c) => c.chop).join(', ')}` : `axe ${at}: ok`;
}
