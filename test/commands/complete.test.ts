// sase-complete answers the completions of positional ids from the cache, and
// the generated scripts of bash, zsh and fish call it for them (before, ids
// completed only after options like --parent, through a full bead list).
import { execFileSync } from 'node:child_process';
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
