// ACE's actions of every kind in a real terminal (tmux): those that ask a
// value in the footer, a text in $EDITOR, hand the terminal to another
// program (an editor, a pager, a followed log, a shell) and take it back,
// show a command's output full screen, read a record; and keys moved by
// [ace.keys].
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { agentRepo, detached, waitForRun } from '../helpers/agents.ts';
import { changeRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { addNotifications } from '../helpers/notifications.ts';
import { ok } from '../helpers/run.ts';
import { draftEpic } from '../helpers/sdd-plans.ts';
import { type Tmux, withScreen } from '../helpers/tmux.ts';

const t = suite('ace screen actions');

/** A wider pane than the default: the footer's questions and the preview side by side. */
const screen = (repo: TestRepo, fn: (tm: Tmux) => Promise<void>) => withScreen(repo, fn, 140, 30);

/** An editor that writes `text` into the file it is given (as $EDITOR is run: sh, the file as $1). */
function fakeEditor(repo: TestRepo, name: string, text: string): string {
  const path = join(repo.dir, name);
  repo.write(name, `#!/bin/sh\nprintf '%s\\n' ${JSON.stringify(text)} > "$1"\n`);
  chmodSync(path, 0o755);
  return path;
}

t(
  'beads: priority and status asked in the footer, close with a reason, an agent with a prompt from $EDITOR',
  async () => {
    const repo = await agentRepo('[agents]\nprovider = "fixture"\n');
    const id = (await ok(repo, 'bead-create', ['--title', 'Cache keyed by tip']))[0]!.id as string;
    const other = (await ok(repo, 'bead-create', ['--title', 'Document the queue']))[0]!.id as string;
    const editor = fakeEditor(repo, 'editor.sh', 'say: on it');
    const bead = async (x: string) => (await ok(repo, 'bead-show', [x]))[0]!;
    await screen(repo, async (tm) => {
      tm.type(`EDITOR=${editor} sase ace --no-axe "'cache"`);
      tm.keys('Enter');
      await tm.waitFor(' beads 1/2 ');
      // a value from a short list: typed, checked, then run
      tm.keys('M-p');
      await tm.waitFor('priority [0 1 2 3 4]: ');
      tm.type('7');
      tm.keys('Enter');
      await tm.waitFor("'7' is not one of: 0, 1, 2, 3, 4");
      tm.keys('BSpace');
      tm.type('1');
      tm.keys('Enter');
      await tm.waitFor(/priority: /);
      assert.is((await bead(id)).priority, 1);
      // Tab goes through the choices; Esc asks nothing more and changes nothing
      tm.keys('M-t');
      await tm.waitFor('status [open claimed in_progress]: ');
      tm.keys('Escape');
      await tm.waitFor('not done');
      assert.is((await bead(id)).status, 'open');
      tm.keys('M-t');
      await tm.waitFor('status [open claimed in_progress]: ');
      tm.keys('Tab', 'Tab');
      await tm.waitFor('status [open claimed in_progress]: claimed');
      tm.keys('Enter');
      await tm.waitFor(/status: /);
      assert.is((await bead(id)).status, 'claimed');
      // an agent on the bead: the prompt written in $EDITOR (the screen steps aside and comes back), the provider chosen
      tm.keys('M-n');
      await tm.waitFor('provider [fixture');
      tm.keys('Tab');
      tm.keys('Enter');
      await tm.waitFor(/run an agent: /);
      const [run] = await ok(repo, 'agent-list', []);
      assert.is(run!.bead, id);
      const done = await waitForRun(repo, run!.id);
      assert.is(done.status, 'done');
      // close asks the reason
      tm.keys('C-u');
      tm.type("'document");
      await tm.waitFor("> 'document"); // the query and its list are one frame
      assert.match(tm.screen(), 'Document the queue');
      tm.keys('M-x');
      await tm.waitFor('close: the reason');
      tm.type('covered by the README');
      tm.keys('Enter');
      await tm.waitFor(`close: ${other}`);
      const closed = await bead(other);
      assert.is(closed.status, 'closed');
      assert.is(closed.close_reason, 'covered by the README');
      tm.keys('Escape');
      await tm.waitFor('$');
    });
  },
);

t('plans: status asked, history full screen, edit in $EDITOR with the screen back after', async () => {
  const repo = await agentRepo();
  const plan = await draftEpic(repo, 'Ready cache', [{ id: 'a' }]);
  // an editor that renames the plan's title
  repo.write('rename.sh', `#!/bin/sh\nsed -i 's/^title: .*/title: Ready cache v2/' "$1"\n`);
  chmodSync(join(repo.dir, 'rename.sh'), 0o755);
  await screen(repo, async (tm) => {
    tm.type(`EDITOR=${join(repo.dir, 'rename.sh')} sase ace --no-axe --tab plans`);
    tm.keys('Enter');
    await tm.waitFor('Ready cache');
    tm.keys('M-e');
    await tm.waitFor(/edit: done/);
    assert.is((await ok(repo, 'sdd-show', [plan]))[0]!.title, 'Ready cache v2');
    await tm.waitFor('Ready cache v2');
    tm.keys('M-t');
    await tm.waitFor('status [approved in_progress done abandoned draft]: ');
    tm.type('abandoned');
    tm.keys('Enter');
    await tm.waitFor(/status: /);
    assert.is((await ok(repo, 'sdd-show', [plan]))[0]!.status, 'abandoned');
    // the preview follows the state: the card is read again at the new tip
    await tm.waitFor('epic  abandoned');
    tm.keys('M-h');
    const s = await tm.waitFor('Esc, q or Enter: back');
    assert.match(s, /sdd\.(new|put|edit|status)/, 'the history names the operations');
    tm.keys('q');
    await tm.waitFor('alt-h history');
    tm.keys('Escape');
    await tm.waitFor('$');
  });
});

t('changes: the diff through $PAGER, a comment resolved from the open ones', async () => {
  const repo = await changeRepo();
  const input = ['too long', 'rename this']
    .map((text, i) => JSON.stringify({ path: `f${i}.ts`, line: i + 1, text, author: 'bot' }))
    .join('\n');
  await ok(repo, 'cs-comment', ['feat'], { input });
  await screen(repo, async (tm) => {
    tm.type("PAGER='cat > paged.txt' sase ace --no-axe --tab changes");
    tm.keys('Enter');
    await tm.waitFor('feat');
    tm.keys('M-d');
    await tm.waitFor(/diff: done/);
    assert.is(
      readFileSync(join(repo.dir, 'paged.txt'), 'utf8'),
      repo.git('-c', 'color.ui=never', 'diff', 'main', 'sase/cs/feat'),
    );
    tm.keys('M-v');
    await tm.waitFor('resolve comment [1 2]: ');
    tm.type('2');
    tm.keys('Enter');
    await tm.waitFor(/resolve a comment: /);
    const comments = (await ok(repo, 'cs-show', ['feat']))[0]!.comments as Array<{ id: string; resolved: boolean }>;
    assert.equal(
      comments.map((c) => c.resolved),
      [false, true],
    );
    tm.keys('M-v');
    await tm.waitFor('resolve comment [1]: 1');
    tm.keys('Enter');
    await tm.waitFor(/resolve a comment: /);
    tm.keys('M-v');
    await tm.waitFor('nothing to choose (no open comments)');
    tm.keys('Escape');
    await tm.waitFor('$');
  });
});

t('agents: the workspace path, its log followed on the terminal, a shell there; notifications snoozed', async () => {
  const repo = await agentRepo();
  const run = await detached(repo, 'say: hello from the run\n');
  await waitForRun(repo, run.id);
  const path = (await ok(repo, 'agent-show', [run.id]))[0]!.workspace.path as string;
  const [note] = await addNotifications(repo, [{ type: 'axe.digest', title: 'digest of the night' }]);
  await screen(repo, async (tm) => {
    tm.type('SHELL=/bin/sh sase ace --no-axe --tab agents');
    tm.keys('Enter');
    await tm.waitFor(run.id);
    tm.keys('M-w');
    await tm.waitFor(`${path} (copied)`);
    // the log: the screen steps aside, the log is printed, Enter comes back
    tm.keys('M-l');
    await tm.waitFor('[Enter: back to sase ace]');
    assert.match(tm.screen(), 'hello from the run');
    tm.keys('Enter');
    await tm.waitFor('log: done');
    // a shell in the workspace: what it prints is in the workspace; exit comes back
    tm.keys('M-s');
    await tm.waitFor('$');
    tm.type('pwd > "$HOME/shell-pwd"; exit');
    tm.keys('Enter');
    await tm.waitFor(/back from \/bin\/sh in /);
    assert.is(readFileSync(join(repo.home, 'shell-pwd'), 'utf8').trim(), path);
    // notifications: snooze takes its default on Enter
    tm.keys('Tab', 'Tab');
    await tm.waitFor('digest of the night');
    assert.match(tm.screen(), ' notifications 1 (1 unread)', 'the header counts the unread');
    tm.keys('M-z');
    await tm.waitFor('snooze for [1h 4h 1d 1w]: ');
    tm.keys('Enter');
    await tm.waitFor(/snooze: /);
    const shown = await ok(repo, 'notify-show', [note!.id]);
    assert.ok(shown[0]!.snoozed_until, JSON.stringify(shown[0]));
    await tm.waitFor(' notifications 0');
    tm.keys('Escape');
    await tm.waitFor('$');
  });
});

t('[ace.keys] moves an action to another key; the help and the footer say so', async () => {
  const repo = await agentRepo('[ace.keys]\nclaim = "alt-y"\n[ace.keys.notifications]\nread = "ctrl-o"\n');
  const id = (await ok(repo, 'bead-create', ['--title', 'claim me']))[0]!.id as string;
  const [note] = await addNotifications(repo, [{ type: 'axe.digest', title: 'a digest' }]);
  await screen(repo, async (tm) => {
    tm.type('sase ace --no-axe');
    tm.keys('Enter');
    await tm.waitFor('alt-y claim');
    tm.keys('M-c');
    await tm.waitFor("alt-c does nothing on beads ('?' shows the keys)");
    tm.keys('M-y');
    await tm.waitFor(/claim: /);
    assert.is((await ok(repo, 'bead-show', [id]))[0]!.status, 'claimed');
    // a Ctrl key too
    tm.keys('Tab', 'Tab', 'Tab', 'Tab', 'Tab');
    await tm.waitFor('ctrl-o mark read');
    tm.keys('C-o');
    await tm.waitFor(/mark read: /);
    assert.is((await ok(repo, 'notify-show', [note!.id]))[0]!.state, 'read');
    tm.keys('Escape');
    await tm.waitFor('$');
  });
});

t.run();
