// sase axe uninstall: the repository leaves the registry; the schedule entry
// goes with the last one (the other crontab lines kept; the units and the
// agent turned off and removed). Stand-in crontab, systemctl and launchctl
// (test/fixtures/scheduler/), a temp HOME.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import type { TestRepo } from '../helpers/gitdir.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { type Sched, sched, writes } from '../helpers/scheduler.ts';

const t = suite('axe-uninstall');

const OTHER_LINES =
  'SHELL=/bin/bash\n*/10 * * * * $HOME/bin/poll # sase-axe is not this\n0 3 * * * /usr/local/bin/backup\n';

/** Two repositories registered by one user (a's home), with a's stand-ins. */
async function two(args: string[] = ['--cron'], extra: Record<string, string> = {}) {
  const a = await initedRepo();
  const b = await initedRepo();
  const s = sched(a, extra);
  const env = { ...s.env, HOME: a.home, XDG_CONFIG_HOME: a.env.XDG_CONFIG_HOME! };
  writeFileSync(s.crontabFile, OTHER_LINES);
  await ok(a, 'axe-install', args, { env });
  await ok(b, 'axe-install', args, { env });
  return { a, b, s, env };
}

function cronLineOf(s: Sched): string {
  const line = s
    .crontab()
    .split('\n')
    .find((l) => l.endsWith(' # sase-axe'));
  if (!line) throw new Error(`no line of ours in\n${s.crontab()}`);
  return line;
}

t('cron: the line stays while a repository is left; the last one takes it away, the other lines kept', async () => {
  const { a, b, s, env } = await two();
  const line = cronLineOf(s);
  assert.is(s.crontab(), `${OTHER_LINES}${line}\n`);

  // through the real executable
  const [r] = okBin(a, 'axe-uninstall', [], { env });
  assert.equal(r, {
    v: 1,
    kind: 'axe_uninstall',
    id: a.dir,
    repo: a.dir,
    unregistered: true,
    repos: [b.dir],
    removed: [],
    dry_run: false,
  });
  assert.is(s.crontab(), `${OTHER_LINES}${line}\n`);
  assert.equal(s.registered(), [b.dir]);

  const [last] = await ok(b, 'axe-uninstall', [], { env });
  assert.is(last!.unregistered, true);
  assert.equal(last!.repos, []);
  assert.equal(last!.removed, [{ scheduler: 'cron', path: null, text: line }]);
  assert.is(s.crontab(), OTHER_LINES);
  assert.equal(s.registered(), []);

  // again: nothing registered, nothing to take away, no error
  const before = s.calls().length;
  const [again] = await ok(b, 'axe-uninstall', [], { env });
  assert.is(again!.unregistered, false);
  assert.equal(again!.removed, []);
  assert.equal(writes(s.calls().slice(before)), []);
  assert.is(s.crontab(), OTHER_LINES);
});

t('--print changes nothing and says what would go; text on a terminal', async () => {
  const { a, b, s, env } = await two();
  const line = cronLineOf(s);
  await ok(a, 'axe-uninstall', [], { env });
  const table = s.crontab();
  const before = s.calls().length;
  const [r] = await ok(b, 'axe-uninstall', ['--print'], { env });
  assert.is(r!.dry_run, true);
  assert.is(r!.unregistered, true);
  assert.equal(r!.removed, [{ scheduler: 'cron', path: null, text: line }]);
  const text = await sase(b, 'axe-uninstall', ['--print', '--format', 'text'], { env });
  assert.is(text.code, 0, text.stderr);
  assert.is(text.stdout, `# would unregister '${b.dir}' (0 repositories left)\n# crontab\n${line}\n`);
  assert.equal(writes(s.calls().slice(before)), []);
  assert.is(s.crontab(), table);
  assert.equal(s.registered(), [b.dir]);

  const done = await sase(b, 'axe-uninstall', ['--format', 'text'], { env });
  assert.is(done.stdout, `unregistered '${b.dir}' (0 repositories left)\ncron: removed the crontab line\n`);
});

t('a repository that is gone is taken out by its path', async () => {
  const { a, b, s, env } = await two();
  rmSync(b.dir, { recursive: true, force: true });
  const [r] = await ok(a, 'axe-uninstall', [b.dir], { env });
  assert.is(r!.repo, b.dir);
  assert.is(r!.unregistered, true);
  assert.equal(r!.repos, [a.dir]);
  assert.equal(s.registered(), [a.dir]);
  // relative to where it runs
  const [rel] = await ok(a, 'axe-uninstall', ['.'], { env });
  assert.is(rel!.repo, a.dir);
  assert.equal(rel!.removed.length, 1);
  assert.is(s.crontab(), OTHER_LINES);
});

t('systemd: the last repository turns the timer off and removes the units', async () => {
  const { a, b, s, env } = await two(['--systemd'], { SYSTEMCTL_WORKS: '1' });
  assert.ok(existsSync(join(s.unitDir, 'sase-axe.timer')));
  await ok(a, 'axe-uninstall', [], { env });
  assert.ok(existsSync(join(s.unitDir, 'sase-axe.timer')), 'kept while a repository is left');
  const before = s.calls().length;
  const [r] = await ok(b, 'axe-uninstall', [], { env });
  assert.equal(
    r!.removed.map((p: { path: string }) => p.path),
    [join(s.unitDir, 'sase-axe.service'), join(s.unitDir, 'sase-axe.timer')],
  );
  assert.equal(writes(s.calls().slice(before)), [
    'systemctl --user disable --now sase-axe.timer',
    'systemctl --user daemon-reload',
  ]);
  assert.not.ok(existsSync(join(s.unitDir, 'sase-axe.service')));
  assert.not.ok(existsSync(join(s.unitDir, 'sase-axe.timer')));
  assert.is(s.crontab(), OTHER_LINES);
});

t('launchd: the last repository boots the agent out and removes it', async () => {
  const { a, b, s, env } = await two(['--launchd'], { LAUNCHCTL_WORKS: '1' });
  await ok(a, 'axe-uninstall', [], { env });
  assert.ok(existsSync(s.plist));
  const before = s.calls().length;
  const [r] = await ok(b, 'axe-uninstall', [], { env });
  assert.equal(
    r!.removed.map((p: { path: string }) => p.path),
    [s.plist],
  );
  assert.equal(writes(s.calls().slice(before)), [`launchctl bootout gui/${process.getuid?.() ?? 0}/dev.sase.axe`]);
  assert.not.ok(existsSync(s.plist));
});

t('errors: a path with a control character; no home; a crontab that cannot be written changes nothing', async () => {
  const repo: TestRepo = await initedRepo();
  const s = sched(repo);
  fails(
    await sase(repo, 'axe-uninstall', ['/tmp/a\nb'], { env: s.env }),
    129,
    `error: repository '"/tmp/a\\nb"' holds a control character`,
  );
  fails(
    await sase(repo, 'axe-uninstall', [], { env: { ...s.env, HOME: '', XDG_CONFIG_HOME: '' } }),
    128,
    'fatal: no home folder to keep the Axe registry in (set HOME or XDG_CONFIG_HOME)',
  );
  await ok(repo, 'axe-install', ['--cron'], { env: s.env });
  const table = s.crontab();
  // crontab -l works, crontab - fails: the registry keeps the repository
  fails(
    await sase(repo, 'axe-uninstall', [], { env: { ...s.env, CRONTAB_READONLY: '1' } }),
    128,
    'fatal: cannot write the crontab: crontab: cannot write: Permission denied',
  );
  assert.equal(s.registered(), [repo.dir]);
  assert.is(s.crontab(), table);
});

t.run();
