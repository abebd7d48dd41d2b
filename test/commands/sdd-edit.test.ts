import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { gitdir, type TestRepo } from '../helpers/gitdir.ts';
import { BIN, fails, ok, sase } from '../helpers/run.ts';
import { stored } from '../helpers/sdd.ts';
import { commitCount, stateTip } from '../helpers/state.ts';

const t = suite('sdd-edit');

/**
 * A scripted editor: `edit.sh SED-EXPR... FILE` applies each sed expression to
 * the file and logs the file name it was given (to check the argument array).
 */
function editorScript(repo: TestRepo): string {
  const path = join(repo.home, 'edit.sh');
  writeFileSync(
    path,
    `#!/bin/sh
for last; do :; done
echo "$last" >> "${repo.home}/edited.log"
while [ $# -gt 1 ]; do sed -i "$1" "$last"; shift; done
`,
  );
  chmodSync(path, 0o755);
  return path;
}

async function setup(): Promise<{ repo: TestRepo; edit: (...exprs: string[]) => Record<string, string> }> {
  const repo = await initedRepo();
  await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Login fix', '--goal', 'logins work'], {
    env: { SASE_NOW: '2026-01-01T00:00:00Z' },
  });
  const script = editorScript(repo);
  // the editor string carries arguments, quoted as a shell would read them
  const edit = (...exprs: string[]) => ({ EDITOR: [script, ...exprs].map((e) => `'${e}'`).join(' ') });
  return { repo, edit };
}

const draftOf = (repo: TestRepo, slug: string) => join(repo.dir, '.git', 'sase', 'drafts', `${slug}.md`);

t('the edited plan is stored as a new version when it validates', async () => {
  const { repo, edit } = await setup();
  const before = commitCount(repo);
  const [p] = await ok(repo, 'sdd-edit', ['login-fix'], {
    env: edit('s/^goal: .*/goal: logins work every time/', 's/TODO/Retry the handshake./'),
  });
  assert.is(p!.kind, 'plan');
  assert.is(p!.goal, 'logins work every time');
  assert.is(p!.status, 'draft');
  assert.is(commitCount(repo), before + 1);
  const text = stored(repo, 'sdd/tales/login-fix.md')!;
  assert.match(text, /\ngoal: logins work every time\n/);
  assert.match(text, /Retry the handshake\./);
  assert.match(text, /created_at: '2026-01-01T00:00:00Z'/, 'managed fields kept');
  const given = readFileSync(join(repo.home, 'edited.log'), 'utf8').trim();
  assert.match(given, /\/login-fix\.md$/, 'the editor gets the file as its last argument');
  assert.not.ok(existsSync(given), 'the temporary file is removed');
  await ok(repo, 'fsck');
});

t('the editor is SASE_EDITOR, else VISUAL, else EDITOR; by slug, tier/slug or path', async () => {
  const { repo, edit } = await setup();
  const sedTitle = (n: number) => edit(`s/^title: .*/title: Login fix ${n}/`).EDITOR!;
  // as in git, VISUAL only on a terminal that is not dumb (no TERM is dumb)
  await ok(repo, 'sdd-edit', ['login-fix'], { env: { EDITOR: 'false', VISUAL: sedTitle(1), TERM: 'xterm' } });
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /title: Login fix 1\n/);
  await ok(repo, 'sdd-edit', ['tales/login-fix'], {
    env: { EDITOR: 'false', VISUAL: 'false', SASE_EDITOR: sedTitle(2) },
  });
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /title: Login fix 2\n/);
  await ok(repo, 'sdd-edit', ['sdd/tales/login-fix.md'], {
    env: { EDITOR: sedTitle(3), VISUAL: 'false', TERM: 'dumb' },
  });
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /title: Login fix 3\n/);
});

t("the editor is git's: GIT_EDITOR, then core.editor, before VISUAL and EDITOR (git var GIT_EDITOR)", async () => {
  const { repo, edit } = await setup();
  const sedTitle = (n: number) => edit(`s/^title: .*/title: Login fix ${n}/`).EDITOR!;
  // broken before: core.editor was not read, and VISUAL ('false') ran
  repo.git('config', 'core.editor', sedTitle(4));
  await ok(repo, 'sdd-edit', ['login-fix'], { env: { EDITOR: 'false', VISUAL: 'false' } });
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /title: Login fix 4\n/);
  await ok(repo, 'sdd-edit', ['login-fix'], { env: { GIT_EDITOR: sedTitle(5), VISUAL: 'false' } });
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /title: Login fix 5\n/);
  // SASE_EDITOR still comes first, for sase alone
  await ok(repo, 'sdd-edit', ['login-fix'], { env: { SASE_EDITOR: sedTitle(6), GIT_EDITOR: 'false' } });
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /title: Login fix 6\n/);
  repo.git('config', '--unset', 'core.editor');
  // no editor on a dumb terminal: git's reason, fatal, nothing stored
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'sdd-edit', ['login-fix'], { env: { TERM: 'dumb' } }),
    128,
    'fatal: no editor: Terminal is dumb, but EDITOR unset',
  );
  assert.is(stateTip(repo), tip);
});

t('text left as it was: nothing stored, exit 0', async () => {
  const { repo } = await setup();
  const tip = stateTip(repo);
  const r = await sase(repo, 'sdd-edit', ['login-fix'], { env: { EDITOR: 'true' } });
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
  assert.is(r.stderr, "plan 'login-fix' is unchanged; nothing stored\n");
  assert.is(stateTip(repo), tip);
});

t("what the editor prints goes to the command's stderr, never among the records", async () => {
  const { repo } = await setup();
  const noisy = join(repo.home, 'noisy.sh');
  writeFileSync(noisy, '#!/bin/sh\necho "editor says hi"\necho "editor complains" >&2\nsed -i "s/TODO/Done./" "$1"\n');
  chmodSync(noisy, 0o755);
  const r = await sase(repo, 'sdd-edit', ['login-fix'], { env: { EDITOR: noisy } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.records.length, 1);
  assert.is(r.records[0]!.kind, 'plan');
  assert.match(r.stderr, /^editor says hi$/m);
  assert.match(r.stderr, /^editor complains$/m);
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /Done\./);
});

t('an editor that fails, or an emptied file: nothing stored, exit 1', async () => {
  const { repo, edit } = await setup();
  const tip = stateTip(repo);
  fails(
    await sase(repo, 'sdd-edit', ['login-fix'], { env: { EDITOR: 'false' } }),
    1,
    "error: the editor 'false' exited with status 1; nothing stored",
  );
  fails(
    await sase(repo, 'sdd-edit', ['login-fix'], { env: edit('d') }),
    1,
    'error: the plan was emptied; nothing stored',
  );
  assert.is(stateTip(repo), tip);
  assert.not.ok(existsSync(draftOf(repo, 'login-fix')));
});

t('an edit that does not validate is kept as a draft (no terminal); the next edit starts from it', async () => {
  const { repo, edit } = await setup();
  const tip = stateTip(repo);
  const r = await sase(repo, 'sdd-edit', ['login-fix'], { env: edit('s/^size: .*/size: huge/', 's/TODO/Half done./') });
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  const draft = draftOf(repo, 'login-fix');
  assert.equal(r.stderr.split('\n'), [
    'sdd/tales/login-fix.md:11: error: \'size\' is "huge"; expected one of xsmall, small, medium, large, xlarge [size-invalid]',
    "error: plan 'login-fix' does not validate (1 error); nothing stored",
    `hint: your edit is kept in '${draft}'; 'sase sdd edit login-fix' starts from it`,
    '',
  ]);
  assert.is(stateTip(repo), tip, 'nothing stored');
  assert.match(readFileSync(draft, 'utf8'), /size: huge\n[\s\S]*Half done\./);
  // resume: the draft is what the editor sees; fixing it stores it and removes the draft
  const again = await sase(repo, 'sdd-edit', ['login-fix'], { env: edit('s/^size: .*/size: large/') });
  assert.is(again.code, 0, again.stderr);
  assert.is(again.stderr, `hint: starting from the draft kept in '${draft}' (--fresh starts from the stored plan)\n`);
  assert.is(again.records[0]!.size, 'large');
  assert.match(stored(repo, 'sdd/tales/login-fix.md')!, /Half done\./, 'the earlier edit is kept');
  assert.not.ok(existsSync(draft), 'the draft is removed once stored');
});

t('--fresh starts from the stored plan and drops a draft once stored', async () => {
  const { repo, edit } = await setup();
  assert.is((await sase(repo, 'sdd-edit', ['login-fix'], { env: edit('s/^size: .*/size: huge/') })).code, 1);
  const draft = draftOf(repo, 'login-fix');
  assert.ok(existsSync(draft));
  const [p] = await ok(repo, 'sdd-edit', ['--fresh', 'login-fix'], { env: edit('s/^model: .*/model: opus/') });
  assert.is(p!.model, 'opus');
  assert.is(p!.size, null);
  assert.not.ok(existsSync(draft));
});

t('an edit cannot change the slug or the tier', async () => {
  const { repo, edit } = await setup();
  const tip = stateTip(repo);
  const slug = await sase(repo, 'sdd-edit', ['--fresh', 'login-fix'], { env: edit('s/^slug: .*/slug: other-fix/') });
  assert.is(slug.code, 1);
  assert.is(
    slug.stderr.split('\n')[0],
    "sdd/tales/login-fix.md: error: the edit changes the slug from 'login-fix' to 'other-fix'; store it as a new plan with 'sase sdd put' [slug-mismatch]",
  );
  const tier = await sase(repo, 'sdd-edit', ['--fresh', 'login-fix'], {
    env: edit('s/^tier: .*/tier: legend/', 's/^size: .*/epics: [a]/'),
  });
  assert.is(tier.code, 1);
  assert.is(
    tier.stderr.split('\n')[0],
    "sdd/tales/login-fix.md: error: the edit makes this tale a legend; store it as a new plan with 'sase sdd put' [tier-mismatch]",
  );
  assert.is(stateTip(repo), tip);
  assert.is(stored(repo, 'sdd/legends/login-fix.md'), null);
});

t('managed fields edited by hand are kept, with a warning', async () => {
  const { repo, edit } = await setup();
  const r = await sase(repo, 'sdd-edit', ['login-fix'], {
    env: edit('s/^status: .*/status: done/', 's/^bead: .*/bead: ts-abcd/', 's/TODO/Done./'),
  });
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stderr.split('\n'), [
    "warning: 'status' is managed by sase: kept 'draft', not 'done' (change it with 'sase sdd status')",
    "warning: 'bead' is managed by sase: kept null, not 'ts-abcd' ('sase sdd approve' sets it)",
    '',
  ]);
  assert.is(r.records[0]!.status, 'draft');
  assert.is(r.records[0]!.bead, null);
});

/** Runs sase-sdd-edit on a terminal (util-linux script(1) gives it a pty), typing `answer`. */
function onTerminal(
  repo: TestRepo,
  args: string[],
  env: Record<string, string>,
  answer: string,
): { code: number; out: string } {
  const cmd = [join(BIN, 'sase-sdd-edit'), ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
    cwd: repo.dir,
    env: { ...repo.env, PATH: `${BIN}:${repo.env.PATH}`, NO_COLOR: '1', ...env },
    input: answer,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? 128, out: r.stdout };
}

/** An editor that breaks the plan on its first run and fixes it on the next. */
function breakThenFix(repo: TestRepo): string {
  const path = join(repo.home, 'break-then-fix.sh');
  const count = join(repo.home, 'runs');
  writeFileSync(
    path,
    `#!/bin/sh
n=$(cat "${count}" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${count}"
if [ $n = 1 ]; then sed -i 's/^size: .*/size: huge/; s/TODO/First try./' "$1"; else sed -i 's/^size: .*/size: small/' "$1"; fi
`,
  );
  chmodSync(path, 0o755);
  return path;
}

const hasScript = spawnSync('script', ['--version']).status === 0;

t('on a terminal, an edit that does not validate is offered again: yes edits the same text again', async () => {
  if (!hasScript) return; // needs util-linux script(1) for a pseudo-terminal
  const { repo } = await setup();
  const r = onTerminal(repo, ['login-fix'], { EDITOR: breakThenFix(repo) }, 'y\n');
  assert.is(r.code, 0, r.out);
  assert.match(
    r.out,
    /\[size-invalid\][\s\S]*plan 'login-fix' does not validate \(1 error\); edit it again\? \[Y\/n\]/,
  );
  assert.is(readFileSync(join(repo.home, 'runs'), 'utf8').trim(), '2', 'the editor ran twice');
  const text = stored(repo, 'sdd/tales/login-fix.md')!;
  assert.match(text, /size: small\n[\s\S]*First try\./, "the second run edits the first run's text");
  assert.not.ok(existsSync(draftOf(repo, 'login-fix')));
});

t('on a terminal, answering no keeps the draft', async () => {
  if (!hasScript) return;
  const { repo } = await setup();
  const tip = stateTip(repo);
  const r = onTerminal(repo, ['login-fix'], { EDITOR: breakThenFix(repo) }, 'n\n');
  assert.is(r.code, 1, r.out);
  assert.match(r.out, /hint: your edit is kept in/);
  assert.is(readFileSync(join(repo.home, 'runs'), 'utf8').trim(), '1');
  assert.is(stateTip(repo), tip);
  assert.match(readFileSync(draftOf(repo, 'login-fix'), 'utf8'), /size: huge/);
});

t('a plan that changes while the editor is open: nothing stored, the edit kept as a draft, exit 3', async () => {
  const { repo } = await setup();
  const racer = join(repo.home, 'racer.sh');
  writeFileSync(
    racer,
    `#!/bin/sh
git show refs/sase/state:sdd/tales/login-fix.md | sed 's/^goal: .*/goal: changed meanwhile/' | sase-sdd-put - >/dev/null
sed -i 's/TODO/Mine./' "$1"
`,
  );
  chmodSync(racer, 0o755);
  const r = await sase(repo, 'sdd-edit', ['login-fix'], { env: { EDITOR: racer } });
  const draft = draftOf(repo, 'login-fix');
  assert.is(r.code, 3, r.stderr);
  assert.equal(r.stderr.split('\n'), [
    "error: 'sdd/tales/login-fix.md' changed while it was being edited; nothing stored",
    `hint: your edit is kept in '${draft}'; 'sase sdd edit login-fix' starts from it (see what changed with 'sase sdd history login-fix')`,
    '',
  ]);
  const text = stored(repo, 'sdd/tales/login-fix.md')!;
  assert.match(text, /goal: changed meanwhile/, 'the other change stays');
  assert.not.match(text, /Mine\./);
  assert.match(readFileSync(draft, 'utf8'), /Mine\./);
});

t('no such plan', async () => {
  const { repo } = await setup();
  fails(await sase(repo, 'sdd-edit', ['nope'], { env: { EDITOR: 'true' } }), 4, "error: no plan 'nope'");
  fails(
    await sase(repo, 'sdd-edit', ['a/../b'], { env: { EDITOR: 'true' } }),
    129,
    "error: 'a/../b' is not a plan slug (lower-case letters and digits joined by single '-') or a path like sdd/epics/<slug>.md",
  );
});

t('--help', async () => {
  const repo = gitdir();
  const r = await sase(repo, 'sdd-edit', ['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /--fresh/);
});

t.run();
