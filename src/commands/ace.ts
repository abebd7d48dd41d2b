import { DEFAULT_FILTERS, loadAceList } from '../app/ace/sources.ts';
import { writeRecord } from '../cli/io.ts';
import { defineCommand } from '../cli/spec.ts';
import { ACE_TABS, type AceTab, matchAce, parseAceQuery } from '../core/ace/query.ts';
import { RefusedError, UsageError } from '../core/errors.ts';

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

The full screen needs a terminal; without one (stdout or stdin not a terminal, or TERM=dumb) it says so and suggests --filter.`,
  output:
    'With --filter (and --pick): the matching (chosen) records, one NDJSON object per line, of the kind the list of the tab prints (bead, plan, change, agent, workflow_run, notification).',
  exit: [
    [1, '--filter matched nothing (nothing is printed)'],
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
      throw new RefusedError('the ACE screen is not built yet; use --filter');
    }
    if (args.length) throw new UsageError('give the query once: as --filter QUERY');
    const query = parseAceQuery(tab, opts.filter);
    const store = await ctx.store();
    const list = await loadAceList(store, tab, {
      nowMs: ctx.clock.now().getTime(),
      progress: (d, t) => ctx.progress(`reading beads: ${d}/${t}`),
    });
    const matches = matchAce(list.items, query, DEFAULT_FILTERS[tab]);
    if (!matches.length) return 1;
    for (const r of await list.records(matches.map((m) => m.item.key))) writeRecord(ctx, r);
    return 0;
  },
});
