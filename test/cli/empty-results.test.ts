// An empty list says so on a terminal (one line on stderr: 'no ready beads;
// 1 blocked: sase bead blocked') and prints nothing on a pipe or with
// --json, for every list command (sayIfEmpty in src/cli/io.ts).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { onTerminal } from '../helpers/cs-records.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { ok, sase } from '../helpers/run.ts';

const t = suite('empty-results');

const repo = await initedRepo();
const [bead] = await ok(repo, 'bead-create', ['--title', 'alone']);

/** Runs a command in this process with stdout and stderr terminals, or neither. */
const run = (name: string, args: string[], terminal: boolean) => sase(repo, name, args, { terminal });

// every list command, with arguments that make its list empty here (the
// Axe's chop and lumberjack lists and ws-list are never empty: the built-in
// chops and lumberjacks, and workspace #0, the repository itself, are there)
const LISTS: Array<[string, string[], RegExp]> = [
  ['bead-ready', ['--type', 'plan'], /^no ready beads\n$/],
  ['bead-blocked', [], /^no blocked beads\n$/],
  ['bead-list', ['--status', 'closed'], /^no beads with status closed; every bead: sase bead list --status all\n$/],
  ['bead-dep-list', [bead!.id], new RegExp(`^'${bead!.id}' has no blockers\\n$`)],
  ['bead-dep-list', [bead!.id, '--reverse'], new RegExp(`^no bead depends on '${bead!.id}'\\n$`)],
  ['agent-list', [], /^no recent runs; every run: sase agent list --all\n$/],
  ['cs-list', [], /^no changes; start one: sase cs new\n$/],
  ['notify-list', [], /^no notifications; dismissed and snoozed ones too: sase notify list --all\n$/],
  ['sdd-list', [], /^no plans; start one: sase sdd new\n$/],
  ['wf-list', [], /^no workflows in \.sase\/workflows\/\n$/],
  ['wf-list', ['--runs'], /^no workflow runs\n$/],
  ['xprompt-list', ['--tag', 'nothing-has-this'], /^no xprompts tagged 'nothing-has-this'\n$/],
];

t('on a terminal, an empty list says so on stderr; on a pipe and with --json, nothing at all', async () => {
  for (const [name, args, said] of LISTS) {
    const what = `sase-${name} ${args.join(' ')}`;
    const term = await run(name, args, true);
    assert.is(term.code, 0, `${what}: ${term.stderr}`);
    assert.is(term.stdout, '', what);
    assert.match(term.stderr, said, `${what}: ${term.stderr}`);
    const pipe = await run(name, args, false);
    assert.is(pipe.code, 0, what);
    assert.equal([pipe.stdout, pipe.stderr], ['', ''], `${what} on a pipe`);
    const json = await run(name, [...args, '--json'], true);
    assert.equal([json.stdout, json.stderr], ['', ''], `${what} --json`);
  }
});

t('a list with something in it says nothing more', async () => {
  // (--no-pager: on a terminal the table would go to the pager, not to the captured stdout)
  const r = await run('bead-list', ['--no-pager'], true);
  assert.is(r.code, 0);
  assert.match(r.stdout, /alone/);
  assert.is(r.stderr, '');
});

t(
  "no ready beads on a real terminal names the blocked ones: 'no ready beads; 1 blocked: sase bead blocked'",
  async () => {
    const [blocker] = await ok(repo, 'bead-create', ['--title', 'blocker']);
    await ok(repo, 'bead-dep-add', [bead!.id, blocker!.id]);
    await ok(repo, 'bead-claim', [blocker!.id, '--as', 'w1']);
    const term = onTerminal(repo, 'sase bead ready');
    assert.is(term.code, 0, term.out);
    assert.is(term.out, 'no ready beads; 1 blocked: sase bead blocked\n');
    // the same through a pipe: nothing
    const piped = onTerminal(repo, 'sase bead ready | cat; echo "exit $?"');
    assert.is(piped.out, 'exit 0\n');
  },
);

t.run();
