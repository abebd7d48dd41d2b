// sase-complete answers the completions of positional ids from the cache, and
// the generated scripts of bash, zsh and fish call it for them (before, ids
// completed only after options like --parent, through a full bead list).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { BIN, fails, ok, ROOT, sase, saseBin } from '../helpers/run.ts';
import { addBeadsWithIds, beadRecord } from '../helpers/state.ts';

const t = suite('complete');

const repo = await initedRepo();
await addBeadsWithIds(repo, [
  beadRecord({ id: 'ts-k3f9aaaa' }),
  beadRecord({ id: 'ts-k3f9aaaa.1', parent_id: 'ts-k3f9aaaa', issue_type: 'phase' }),
  beadRecord({ id: 'ts-k3m2bbbb' }),
  beadRecord({ id: 'ts-zz01cccc' }),
]);
await ok(repo, 'cs-new', ['fix_login', '--description', 'fix the login']);

const lines = (s: string) => s.split('\n').filter(Boolean);
const complete = (...args: string[]) => {
  const r = saseBin(repo, 'complete', args);
  assert.is(r.code, 0, r.stderr);
  return lines(r.stdout);
};

t('beads complete by short id, with or without the prefix, from the shards the word reaches', () => {
  assert.equal(complete('beads', 'k3'), ['k3f9', 'k3f9.1', 'k3m2']);
  assert.equal(complete('beads', 'ts-k3f'), ['ts-k3f9', 'ts-k3f9.1']);
  assert.equal(complete('beads', 'ts-'), ['ts-k3f9', 'ts-k3f9.1', 'ts-k3m2', 'ts-zz01']);
  assert.equal(complete('beads', 'q'), []);
});

t('a bead created after the cache was made completes too (the cache is brought up to date)', async () => {
  complete('beads', '');
  const [b] = await ok(repo, 'bead-create', ['--title', 'new one']);
  assert.ok(complete('beads', 'ts-').includes(b!.short_id));
});

t(
  "every id comes from the cache's list: made by the first completion of everything, kept by a write that adds no bead, spliced by a refresh that adds or removes one",
  async () => {
    const r = await initedRepo();
    await addBeadsWithIds(r, [
      beadRecord({ id: 'ts-k3f9aaaa' }),
      beadRecord({ id: 'ts-k3f9aaaa.1', parent_id: 'ts-k3f9aaaa', issue_type: 'phase' }),
      beadRecord({ id: 'ot-k3m2bbbb' }),
      beadRecord({ id: 'ts-zz01cccc' }),
    ]);
    const dir = join(r.dir, '.git', 'sase', 'cache', 'beads-9');
    const answer = async (word: string) => {
      const x = await sase(r, 'complete', ['beads', word]);
      assert.is(x.code, 0, x.stderr);
      return lines(x.stdout);
    };
    const headLine = () =>
      JSON.parse(readFileSync(join(dir, 'HEAD'), 'utf8').split('\n')[0]!) as { tip: string; ids: string };
    const list = () => readFileSync(join(dir, 'IDS'), 'utf8');
    /** the answer when the cache is made anew */
    const cold = async (word: string) => {
      rmSync(join(r.dir, '.git', 'sase', 'cache'), { recursive: true });
      return answer(word);
    };

    await ok(r, 'bead-ready');
    assert.not.ok(existsSync(join(dir, 'IDS')), 'no list before a completion of everything');
    const first = await answer('');
    assert.equal(first, ['k3f9', 'k3f9.1', 'k3m2', 'zz01']);
    assert.is(list(), `${headLine().ids}\n${first.map((l) => `${l}\n`).join('')}`);

    // a write that adds no bead: HEAD moves to the new tip, its list stays as it is
    const kept = list();
    await ok(r, 'bead-update', ['ts-zz01cccc', '--priority', '1']);
    await ok(r, 'bead-ready');
    assert.is.not(headLine().ids, headLine().tip);
    assert.is(list(), kept);
    assert.equal(await answer(''), first);

    // a bead added, then one removed: the refresh (a ready here) splices the list, stamped with the new tip
    const [b] = await ok(r, 'bead-create', ['--title', 'new one']);
    await ok(r, 'bead-ready');
    assert.is(headLine().ids, headLine().tip);
    assert.is(list().split('\n')[0], headLine().tip);
    const added = await answer('');
    assert.equal(added, [...first, b!.short_id.slice(3)].sort());
    await ok(r, 'bead-rm', ['ts-k3f9aaaa.1', '--yes']);
    await ok(r, 'bead-ready');
    assert.is(list().split('\n')[0], headLine().tip);
    const removed = await answer('');
    assert.equal(
      removed,
      added.filter((l) => l !== 'k3f9.1'),
    );
    assert.equal(await answer('k3'), ['k3f9', 'k3m2']);
    assert.equal(await cold(''), removed, 'the spliced list is the one made anew');

    // a typed word is a range of the list; a list stamped otherwise, or cut short, is none
    writeFileSync(join(dir, 'IDS'), `${headLine().ids}\nk3aa\nk3f9\n`);
    assert.equal(await answer('k3'), ['k3aa', 'k3f9'], 'read from the list');
    writeFileSync(join(dir, 'IDS'), `${headLine().tip.replace(/./, 'x')}\nk3aa\n`);
    assert.equal(await answer('k3'), ['k3f9', 'k3m2']);
    writeFileSync(join(dir, 'IDS'), `${headLine().ids}\nk3aa\nk3f`);
    assert.equal(await answer(''), removed);
    assert.is(list(), `${headLine().ids}\n${removed.map((l) => `${l}\n`).join('')}`, 'made anew');
  },
);

t('runs, changes and the other kinds complete from their ids; an unknown kind is a usage error', async () => {
  assert.equal(complete('changes', 'fix'), ['fix_login']);
  assert.equal(complete('plans', ''), []);
  const [run] = await ok(repo, 'agent-run', ['--provider', 'example', '--format', 'json', 'say: hi']);
  assert.equal(complete('runs', 'r-'), [run!.id]);
  fails(
    await sase(repo, 'complete', ['things']),
    129,
    "error: 'things' is not a kind to complete (beads, runs, plans, workflow-runs, notifications, changes)",
  );
});

const env = { ...repo.env, PATH: `${BIN}:${process.env.PATH}` };
const shell = (cmd: string, args: string[]) => lines(execFileSync(cmd, args, { cwd: repo.dir, env, encoding: 'utf8' }));

t('bash: sase bead show <TAB> and sase-cs-show <TAB> complete ids; options still complete after -', () => {
  const script = (words: string, fn: string) =>
    `source ${join(ROOT, 'completions', 'sase.bash')}; COMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`;
  assert.equal(shell('bash', ['-c', script("sase bead show 'ts-k3'", '_sase')]), ['ts-k3f9', 'ts-k3f9.1', 'ts-k3m2']);
  assert.equal(shell('bash', ['-c', script("sase-cs-show ''", '_sase_dashed')]), ['fix_login']);
  // the second argument of dep add is a bead too, after an option with its value
  assert.equal(shell('bash', ['-c', script("sase-bead-dep-add ts-zz01 'zz'", '_sase_dashed')]), ['zz01']);
  assert.ok(shell('bash', ['-c', script("sase bead show '--j'", '_sase')]).includes('--json'));
  // the options every command reads before its own: -C and --color
  assert.equal(shell('bash', ['-c', script("sase bead show '--co'", '_sase')]), ['--color']);
  assert.ok(shell('bash', ['-c', script("sase-bead-ready '-'", '_sase_dashed')]).includes('-C'));
  // bead-show is completed by the dashed function
  assert.match(
    shell('bash', ['-c', `source ${join(ROOT, 'completions', 'sase.bash')}; complete -p sase-bead-show`])[0]!,
    /_sase_dashed/,
  );
});

t('zsh: the spec of bead show completes ids through _sase_ids, which asks sase-complete', () => {
  // _arguments and compadd stand in for the completion system: the spec given, and the ids offered
  const out = shell('zsh', [
    '-f',
    '-c',
    [
      'compdef() { :; }',
      `source ${join(ROOT, 'completions', '_sase')}`,
      '_arguments() { print -l -- "$@" | grep \'^\\*:id:\' }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's parameter expansion
      'compadd() { [[ $1 == -a ]] && print -l -- ${(P)2} }',
      '_sase_command bead-show',
      'PREFIX=ts-k3m _sase_ids beads',
    ].join('\n'),
  ]);
  assert.equal(out, ['*:id:{_sase_ids beads}', 'ts-k3m2']);
});

t('fish: sase bead show <TAB> and sase-cs-show <TAB> complete ids', () => {
  const src = `source ${join(ROOT, 'completions', 'sase.fish')}`;
  const ids = (line: string) =>
    shell('fish', ['--no-config', '-c', `${src}; complete -C '${line}'`]).map((l) => l.split('\t')[0]);
  assert.equal(ids('sase bead show ts-k3'), ['ts-k3f9', 'ts-k3f9.1', 'ts-k3m2']);
  assert.equal(ids('sase-cs-show '), ['fix_login']);
});

t.run();
