// sase axe install: the registry and one schedule entry per user, with
// stand-in crontab, systemctl and launchctl (test/fixtures/scheduler/) and a
// temp HOME; the cron line run as cron runs it; and once, the real cron
// daemon running the real crontab's line (the only slow test).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { which } from '../../src/proc/which.ts';
import { initedRepo } from '../helpers/fixtures.ts';
import { scratchDir, type TestRepo } from '../helpers/gitdir.ts';
import { BIN, fails, ok, okBin, ROOT, sase } from '../helpers/run.ts';
import { parsePlist, sched, writes } from '../helpers/scheduler.ts';

const t = suite('axe-install');

const NODE = process.execPath;
const SASE = join(ROOT, 'bin', 'sase');
const OTHER_LINES = 'MAILTO=someone@example.com\n# nightly\n0 3 * * * /usr/local/bin/backup --all\n';

/** The cron line's command: the line without its five time fields. */
const commandOf = (line: string) => line.split(' ').slice(5).join(' ');

/** state.json's last tick of a repository, or null. */
function lastTick(repo: TestRepo): { started_at: string; ended_at: string | null; pid: number } | null {
  try {
    return JSON.parse(readFileSync(join(repo.dir, '.git', 'sase', 'axe', 'state.json'), 'utf8')).last_tick ?? null;
  } catch {
    return null;
  }
}

async function waitFor<T>(what: string, ms: number, probe: () => T | null): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`no ${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

t('cron: the line goes in beside the other lines, once; the registry holds the main work tree', async () => {
  const repo = await initedRepo();
  const s = sched(repo);
  writeFileSync(s.crontabFile, OTHER_LINES);
  // through the real executable, from a subfolder
  mkdirSync(join(repo.dir, 'sub'));
  const [r] = okBin(repo, 'axe-install', ['--cron'], { env: s.env, cwd: join(repo.dir, 'sub') });
  assert.is(r!.kind, 'axe_install');
  assert.is(r!.id, repo.dir);
  assert.is(r!.registered, true);
  assert.equal(r!.repos, [repo.dir]);
  assert.is(r!.scheduler, 'cron');
  assert.is(r!.chosen_by, 'option');
  assert.is(r!.every, '1m');
  assert.is(r!.for, '55s');
  assert.equal(r!.command, [NODE, SASE, 'axe', 'tick', '--all', '--for', '55s']);
  assert.is(r!.changed, true);
  assert.is(r!.enabled, null);
  assert.is(r!.dry_run, false);
  const log = join(repo.home, '.local', 'state', 'sase', 'axe.log');
  assert.is(r!.log, log);
  assert.ok(existsSync(join(repo.home, '.local', 'state', 'sase')), 'the log folder is made');
  const line = r!.entry[0].text as string;
  assert.equal(r!.entry, [{ scheduler: 'cron', path: null, text: line }]);
  assert.is(s.crontab(), `${OTHER_LINES}${line}\n`);
  assert.ok(line.startsWith('* * * * * PATH='), line);
  assert.ok(
    line.endsWith(
      ` XDG_CONFIG_HOME=${repo.env.XDG_CONFIG_HOME} ${NODE} ${SASE} axe tick --all --for 55s >> ${log} 2>&1 # sase-axe`,
    ),
    line,
  );
  const path = /PATH=(\S+)/.exec(line)![1]!.split(':');
  assert.ok(path.includes(join(NODE, '..')), 'node is on its PATH');
  assert.ok(path.includes(join(which('git', process.env)!, '..')), 'git is on its PATH');
  assert.equal(s.registered(), [repo.dir]);

  // again: nothing changes, the table is not even written
  const before = s.calls().length;
  const [again] = await ok(repo, 'axe-install', ['--cron'], { env: s.env });
  assert.is(again!.registered, false);
  assert.is(again!.changed, false);
  assert.is(s.crontab(), `${OTHER_LINES}${line}\n`);
  assert.equal(writes(s.calls().slice(before)), []);
  assert.equal(s.registered(), [repo.dir]);

  // a linked worktree (a sase workspace) registers the main work tree
  const wt = join(repo.dir, '..', 'wt');
  repo.git('worktree', 'add', '-q', '-b', 'other', wt);
  const [fromWt] = await ok(repo, 'axe-install', [], { env: s.env, cwd: wt });
  assert.is(fromWt!.repo, repo.dir);
  assert.is(fromWt!.chosen_by, 'installed');
  assert.equal(s.registered(), [repo.dir]);
});

t('a second repository is registered; the one line serves both; text on a terminal', async () => {
  const a = await initedRepo();
  const b = await initedRepo();
  const s = sched(a);
  const env = { ...s.env, HOME: a.home, XDG_CONFIG_HOME: a.env.XDG_CONFIG_HOME! };
  await ok(a, 'axe-install', ['--cron'], { env });
  const table = s.crontab();
  const r = await sase(b, 'axe-install', ['--format', 'text'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stdout,
    `registered '${b.dir}' (2 repositories in the registry)\ncron: the crontab line already in place\n` +
      `a tick every 1m: sase axe tick --all --for 55s; log ${join(a.home, '.local', 'state', 'sase', 'axe.log')}\n`,
  );
  assert.is(s.crontab(), table);
  assert.equal(s.registered(), [a.dir, b.dir]);
});

t(
  'the default: cron where the user systemd does not answer, systemd where it does; the entry stays where it is',
  async () => {
    if (process.platform === 'darwin') return; // launchd there
    const repo = await initedRepo();
    const s = sched(repo);
    writeFileSync(s.crontabFile, OTHER_LINES);
    const [r] = await ok(repo, 'axe-install', [], { env: s.env });
    assert.is(r!.scheduler, 'cron');
    assert.is(r!.chosen_by, 'default');
    assert.ok(s.calls().includes('systemctl --user show-environment'), 'systemd was asked');

    // the entry already in the crontab keeps cron, though systemd answers now
    const works = { ...s.env, SYSTEMCTL_WORKS: '1' };
    const [kept] = await ok(repo, 'axe-install', [], { env: works });
    assert.is(kept!.scheduler, 'cron');
    assert.is(kept!.chosen_by, 'installed');

    // a fresh user whose systemd answers: the units, turned on
    const other = await initedRepo();
    const o = sched(other, { SYSTEMCTL_WORKS: '1' });
    const [d] = await ok(other, 'axe-install', [], { env: o.env });
    assert.is(d!.scheduler, 'systemd');
    assert.is(d!.chosen_by, 'default');
    assert.is(d!.enabled, true);
    assert.equal(writes(o.calls()), ['systemctl --user daemon-reload', 'systemctl --user enable --now sase-axe.timer']);
    assert.is(readFileSync(join(o.unitDir, 'sase-axe.service'), 'utf8'), d!.entry[0].text);
    assert.is(readFileSync(join(o.unitDir, 'sase-axe.timer'), 'utf8'), d!.entry[1].text);
    assert.is(o.crontab(), '');
  },
);

t('naming another scheduler moves the entry: the old one is taken away, the other crontab lines kept', async () => {
  const repo = await initedRepo();
  const s = sched(repo, { SYSTEMCTL_WORKS: '1', LAUNCHCTL_WORKS: '1' });
  writeFileSync(s.crontabFile, OTHER_LINES);
  const [c] = await ok(repo, 'axe-install', ['--cron'], { env: s.env });
  const line = c!.entry[0].text;

  const [sd] = await ok(repo, 'axe-install', ['--systemd'], { env: s.env });
  assert.equal(sd!.removed, [{ scheduler: 'cron', path: null, text: line }]);
  assert.is(s.crontab(), OTHER_LINES);
  assert.ok(existsSync(join(s.unitDir, 'sase-axe.timer')));

  const before = s.calls().length;
  const [ld] = await ok(repo, 'axe-install', ['--launchd'], { env: s.env });
  assert.equal(
    ld!.removed.map((p: { path: string }) => p.path),
    [join(s.unitDir, 'sase-axe.service'), join(s.unitDir, 'sase-axe.timer')],
  );
  assert.not.ok(existsSync(join(s.unitDir, 'sase-axe.service')));
  assert.not.ok(existsSync(join(s.unitDir, 'sase-axe.timer')));
  assert.is(readFileSync(s.plist, 'utf8'), ld!.entry[0].text);
  assert.is(ld!.enabled, true);
  const uid = process.getuid?.() ?? 0;
  assert.equal(writes(s.calls().slice(before)), [
    `launchctl bootout gui/${uid}/dev.sase.axe`,
    `launchctl bootstrap gui/${uid} ${s.plist}`,
    'systemctl --user disable --now sase-axe.timer',
    'systemctl --user daemon-reload',
  ]);
  assert.is(s.crontab(), OTHER_LINES);
});

t('sase axe status sees the entry that serves its registry, in each scheduler', async () => {
  const repo = await initedRepo();
  const s = sched(repo, { SYSTEMCTL_WORKS: '1', LAUNCHCTL_WORKS: '1' });
  const status = async (env: Record<string, string>) => (await sase(repo, 'axe-status', [], { env })).records[0]!;
  assert.is((await status(s.env)).scheduler, null);
  for (const which of ['cron', 'systemd', 'launchd']) {
    await ok(repo, 'axe-install', [`--${which}`], { env: s.env });
    const st = await status(s.env);
    assert.equal([st.scheduler, st.registered], [which, true]);
    // another registry (another XDG_CONFIG_HOME) is not served by it
    assert.is((await status({ ...s.env, XDG_CONFIG_HOME: join(repo.home, 'other') })).scheduler, null);
  }
  await ok(repo, 'axe-uninstall', [], { env: s.env });
  assert.equal([(await status(s.env)).scheduler, (await status(s.env)).registered], [null, false]);
});

t('--print writes nothing, for each scheduler, and shows exactly what it would write', async () => {
  const repo = await initedRepo();
  const s = sched(repo, { SYSTEMCTL_WORKS: '1', LAUNCHCTL_WORKS: '1' });
  writeFileSync(s.crontabFile, OTHER_LINES);
  for (const which of ['--cron', '--launchd', '--systemd']) {
    const [r] = await ok(repo, 'axe-install', [which, '--print'], { env: s.env });
    assert.is(r!.dry_run, true);
    assert.is(r!.registered, true, 'would register');
    assert.is(r!.enabled, null);
    const text = await sase(repo, 'axe-install', [which, '--print', '--format', 'text'], { env: s.env });
    assert.is(text.code, 0, text.stderr);
    assert.is(
      text.stdout,
      r!.entry
        .map((p: { path: string | null; text: string }) => `# ${p.path ?? 'crontab'}\n${p.text}${p.path ? '' : '\n'}`)
        .join('\n'),
    );
  }
  assert.equal(writes(s.calls()), []);
  assert.is(s.crontab(), OTHER_LINES);
  assert.not.ok(existsSync(s.registry), 'no registry');
  assert.not.ok(existsSync(s.unitDir), 'no units');
  assert.not.ok(existsSync(s.plist), 'no agent');
  assert.not.ok(existsSync(join(repo.home, '.local')), 'no log folder');
});

t('the launchd agent is a well-formed property list with the keys launchd reads', async () => {
  const repo = await initedRepo();
  const s = sched(repo, { LAUNCHCTL_WORKS: '1' });
  const [r] = await ok(repo, 'axe-install', ['--launchd', '--every', '5m'], { env: s.env });
  assert.is(r!.entry[0].path, s.plist);
  const text = readFileSync(s.plist, 'utf8');
  const plist = parsePlist(text) as Record<string, unknown>;
  const log = join(repo.home, '.local', 'state', 'sase', 'axe.log');
  assert.equal(Object.keys(plist).sort(), [
    'EnvironmentVariables',
    'Label',
    'ProgramArguments',
    'RunAtLoad',
    'StandardErrorPath',
    'StandardOutPath',
    'StartInterval',
  ]);
  assert.is(plist.Label, 'dev.sase.axe');
  assert.equal(plist.ProgramArguments, [NODE, SASE, 'axe', 'tick', '--all', '--for', '4m55s']);
  assert.is(plist.StartInterval, 300);
  assert.is(plist.RunAtLoad, true);
  assert.is(plist.StandardOutPath, log);
  assert.is(plist.StandardErrorPath, log);
  const env = plist.EnvironmentVariables as Record<string, string>;
  assert.equal(Object.keys(env), ['PATH', 'XDG_CONFIG_HOME']);
  assert.ok(env.PATH!.split(':').includes(join(NODE, '..')));
  // where a real checker is at hand, it agrees
  if (which('plutil', process.env)) execFileSync('plutil', ['-lint', s.plist]);
  else if (which('python3', process.env)) {
    const parsed = JSON.parse(
      execFileSync(
        'python3',
        ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))))', s.plist],
        {
          encoding: 'utf8',
        },
      ),
    );
    assert.equal(parsed, plist);
  }
  // characters XML must escape come through
  assert.equal(parsePlist(text.replace('<string>dev.sase.axe</string>', '<string>a &amp; &lt;b&gt;</string>')), {
    ...plist,
    Label: 'a & <b>',
  });
  assert.throws(() => parsePlist(text.replace('</array>', '')), /is not a plist value/);
  assert.throws(() => parsePlist(text.replace('</integer>', '')), /not closed/);
  assert.throws(() => parsePlist(text.replace('dev.sase.axe', 'a & b')), /a bare '&'/);
});

t('the systemd units: a oneshot service and its timer, as systemd-analyze verifies them', async () => {
  const repo = await initedRepo();
  const s = sched(repo);
  const r = await sase(repo, 'axe-install', ['--systemd', '--every', '30s'], { env: s.env });
  assert.is(r.code, 0);
  // the user's systemd does not answer: the units are written, and a warning says how to turn them on
  assert.match(
    r.stderr,
    /^warning: 'systemctl --user daemon-reload' failed: Failed to connect to bus: No medium found; the units are written/,
  );
  assert.is(r.records[0]!.enabled, false);
  const service = readFileSync(join(s.unitDir, 'sase-axe.service'), 'utf8');
  const timer = readFileSync(join(s.unitDir, 'sase-axe.timer'), 'utf8');
  const log = join(repo.home, '.local', 'state', 'sase', 'axe.log');
  assert.match(service, '\n[Service]\nType=oneshot\nEnvironment=PATH=');
  assert.match(service, `\nEnvironment=XDG_CONFIG_HOME=${repo.env.XDG_CONFIG_HOME}\n`);
  assert.match(service, `\nExecStart=${NODE} ${SASE} axe tick --all --for 25s\n`);
  assert.match(service, `\nStandardOutput=append:${log}\nStandardError=append:${log}\n`);
  assert.match(
    timer,
    '\n[Timer]\nOnBootSec=1min\nOnActiveSec=0\nOnUnitActiveSec=30s\nAccuracySec=1s\nUnit=sase-axe.service\n',
  );
  assert.match(timer, '\n[Install]\nWantedBy=timers.target\n');
  if (which('systemd-analyze', process.env)) {
    const v = spawnSync(
      'systemd-analyze',
      ['verify', join(s.unitDir, 'sase-axe.service'), join(s.unitDir, 'sase-axe.timer')],
      {
        encoding: 'utf8',
        env: { ...process.env, SYSTEMD_LOG_LEVEL: 'warning' },
      },
    );
    assert.is(v.status, 0, v.stderr);
    assert.is(v.stderr, '', 'no complaint');
  }
});

t('--every: the budget follows the period; what cron cannot keep is refused; usage errors', async () => {
  const repo = await initedRepo();
  const s = sched(repo, { SYSTEMCTL_WORKS: '1', LAUNCHCTL_WORKS: '1' });
  const print = async (args: string[]) => (await ok(repo, 'axe-install', ['--print', ...args], { env: s.env }))[0]!;
  const five = await print(['--cron', '--every', '5m']);
  assert.is(five.for, '4m55s');
  assert.ok(five.entry[0].text.startsWith('*/5 * * * * '));
  assert.ok(five.entry[0].text.includes(' axe tick --all --for 4m55s >> '));
  assert.ok((await print(['--cron', '--every', '2h'])).entry[0].text.startsWith('0 */2 * * * '));
  assert.ok((await print(['--cron', '--every', '1d'])).entry[0].text.startsWith('0 0 * * * '));
  assert.is((await print(['--systemd', '--every', '90s'])).for, '1m25s');
  fails(
    await sase(repo, 'axe-install', ['--cron', '--every', '7m'], { env: s.env }),
    129,
    'error: cron cannot run a tick every 7m evenly (whole minutes that divide an hour, whole hours that divide a day, or 1d)',
  );
  fails(
    await sase(repo, 'axe-install', ['--cron', '--every', '30s'], { env: s.env }),
    129,
    'error: cron cannot run a tick every 30s evenly (whole minutes that divide an hour, whole hours that divide a day, or 1d)',
  );
  fails(
    await sase(repo, 'axe-install', ['--every', 'often'], { env: s.env }),
    129,
    "error: --every 'often' is not a duration (like 1m, 5m, 1h30m)",
  );
  fails(
    await sase(repo, 'axe-install', ['--systemd', '--every', '5s'], { env: s.env }),
    129,
    "error: --every '5s' must be whole seconds, at least 10s",
  );
  fails(
    await sase(repo, 'axe-install', ['--cron', '--systemd'], { env: s.env }),
    129,
    'error: --cron and --systemd do not go together: the Axe has one schedule entry',
  );
  assert.equal(writes(s.calls()), []);
  assert.not.ok(existsSync(s.registry));

  // the entry in place keeps its period when --every is not given
  for (const which of ['--cron', '--systemd', '--launchd']) {
    await ok(repo, 'axe-install', [which, '--every', '5m'], { env: s.env });
    const [again] = await ok(repo, 'axe-install', [], { env: s.env });
    assert.equal([again!.scheduler, again!.every, again!.for, again!.changed], [which.slice(2), '5m', '4m55s', false]);
  }
});

t('fatal: no home, crontab missing, a bare repository; nothing is registered', async () => {
  const repo = await initedRepo();
  const s = sched(repo);
  fails(
    await sase(repo, 'axe-install', ['--cron'], { env: { ...s.env, HOME: '', XDG_CONFIG_HOME: '' } }),
    128,
    'fatal: no home folder to keep the Axe registry in (set HOME or XDG_CONFIG_HOME)',
  );
  // a PATH with git and node but no crontab
  const bin = scratchDir();
  for (const p of ['git', 'node'])
    execFileSync('ln', ['-s', p === 'node' ? NODE : which('git', process.env)!, join(bin, p)]);
  fails(
    await sase(repo, 'axe-install', ['--cron'], { env: { PATH: bin } }),
    128,
    "fatal: cannot read the crontab: 'crontab' not found on PATH",
  );
  assert.not.ok(existsSync(s.registry));
  // --print shows the line all the same
  const [printed] = await ok(repo, 'axe-install', ['--cron', '--print'], { env: { PATH: bin } });
  assert.match(printed!.entry[0].text, /^\* \* \* \* \* PATH=.* # sase-axe$/);
  const bare = join(repo.dir, '..', 'bare.git');
  execFileSync('git', ['init', '-q', '--bare', bare]);
  fails(
    await sase(repo, 'axe-install', ['--cron'], { env: s.env, cwd: bare }),
    128,
    'fatal: the Axe ticks repositories with a work tree; this one is bare',
  );
});

t('the cron line, run as cron runs it (env -i, sh -c), ticks the registered repository', async () => {
  const repo = await initedRepo();
  const s = sched(repo);
  const [printed] = await ok(repo, 'axe-install', ['--cron', '--print'], { env: s.env });
  const line = printed!.entry[0].text as string;
  await ok(repo, 'axe-install', ['--cron'], { env: s.env });
  assert.is(s.crontab(), `${line}\n`, 'what --print shows is what is installed');
  assert.is(lastTick(repo), null);
  const child = spawn(
    'env',
    ['-i', `HOME=${repo.home}`, 'SHELL=/bin/sh', 'LOGNAME=tester', 'sh', '-c', commandOf(line)],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  try {
    const tick = await waitFor('tick', 30_000, () => lastTick(repo));
    assert.ok(tick.started_at);
    // the pass ends (a pass that did nothing writes no record: the log stays small), its output going to the log
    await waitFor('the pass to end', 30_000, () => lastTick(repo)?.ended_at ?? null);
    assert.ok(existsSync(join(repo.home, '.local', 'state', 'sase', 'axe.log')), 'the log is made');
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

// The real cron daemon: the entry goes into the current user's real crontab
// (the daemon reads its own spool), with HOME and XDG_CONFIG_HOME in the test's
// temp folder, and the daemon runs it. The crontab is put back as it was,
// whatever happens; a daemon this test started is stopped.
t('the real cron daemon runs the installed line', async () => {
  const cron = ['/usr/sbin/cron', '/usr/bin/cron'].find((p) => existsSync(p)) ?? null;
  const crontab = which('crontab', process.env);
  // a daemon that runs (not a zombie left by one that ended)
  const running = (spawnSync('pgrep', ['-x', 'cron'], { encoding: 'utf8' }).stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .some((pid) => {
      try {
        return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    });
  const root = process.getuid?.() === 0;
  // never skipped: .ci/run installs Debian's cron, and the test starts the daemon as root
  assert.ok(
    process.platform === 'linux' && crontab && (running || (cron && root)),
    'a cron daemon to run, or cron installed and root to start it (apt-get install cron)',
  );
  const repo = await initedRepo();
  const env = { PATH: `${BIN}:${repo.env.PATH}` };
  const saved = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
  const original = saved.status === 0 ? saved.stdout : null;
  const daemon = running ? null : spawn(cron!, ['-f'], { stdio: 'ignore' });
  let tickPid: number | null = null;
  try {
    const [r] = await ok(repo, 'axe-install', ['--cron'], { env });
    const line = r!.entry[0].text as string;
    assert.is(execFileSync('crontab', ['-l'], { encoding: 'utf8' }), `${original ?? ''}${line}\n`);
    const tick = await waitFor('tick by cron', 150_000, () => lastTick(repo));
    tickPid = tick.pid;
    assert.ok(existsSync(r!.log), 'its output went to the log');
  } finally {
    if (original === null) spawnSync('crontab', ['-r']);
    else spawnSync('crontab', ['-'], { input: original });
    if (tickPid && alive(tickPid)) process.kill(tickPid, 'SIGTERM');
    daemon?.kill('SIGTERM');
  }
  const after = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
  assert.is(after.status === 0 ? after.stdout : null, original, 'the crontab is as it was');
});

t.run();
