// The options every command has, as git has them: -C <dir>, --color[=<when>]
// with NO_COLOR and FORCE_COLOR; and the progress line on a terminal, erased
// before anything else is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { colorChoice, colorWanted } from '../../src/cli/colors.ts';
import { makeCtx } from '../../src/cli/context.ts';
import { runCommand } from '../../src/cli/main.ts';
import { spec as fsckSpec } from '../../src/commands/fsck.ts';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { scratchDir } from '../helpers/gitdir.ts';
import { fails, ok, sase, saseBin } from '../helpers/run.ts';

const t = suite('global options');
const repo = await initedRepo();
const bead = await createBead(repo, ['--title', 'hello']);
const elsewhere = scratchDir();
const ESC = '\x1b[';

t('-C <dir>: the repository is found from there, by every command and by sase itself', async () => {
  // broken before: '-C' was an unknown option
  assert.equal(
    (await ok(repo, 'bead-ready', ['-C', repo.dir], { cwd: elsewhere })).map((b) => b.id),
    [bead.id],
  );
  // several compose, a relative one from the one before (git -C a -C b is a/b)
  assert.equal(
    (await ok(repo, 'bead-show', ['-C', join(repo.dir, '..'), '-C', 'repo', bead.short_id], { cwd: elsewhere }))[0]!.id,
    bead.id,
  );
  // an empty one changes nothing, as in git
  assert.is((await ok(repo, 'bead-ready', ['-C', ''])).length, 1);
  for (const r of [
    saseBin(repo, '', ['-C', repo.dir, 'bead', 'ready'], { cwd: elsewhere }),
    saseBin(repo, 'bead-ready', ['-C', repo.dir], { cwd: elsewhere }),
  ]) {
    assert.is(r.code, 0, r.stderr);
    assert.equal(
      r.records.map((b) => b.id),
      [bead.id],
    );
  }
  // without it, elsewhere is not a repository
  assert.is((await sase(repo, 'bead-ready', [], { cwd: elsewhere })).code, 128);
});

t('-C <dir>: relative paths in the arguments are read from <dir>', async () => {
  const sub = join(repo.dir, 'plans');
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, 'in.jsonl'), `${JSON.stringify({ id: 'bd-1', title: 'imported', status: 'open' })}\n`);
  const r = await sase(repo, 'bead-import', ['-C', sub, 'in.jsonl'], { cwd: elsewhere });
  assert.is(r.code, 0, r.stderr);
  assert.ok((await ok(repo, 'bead-list')).some((b) => b.title === 'imported'));
});

t('-C <dir>: a missing folder is fatal (128), a missing value a usage error (129), as in git', async () => {
  fails(
    await sase(repo, 'bead-ready', ['-C', 'nope']),
    128,
    "fatal: cannot change to 'nope': No such file or directory",
  );
  fails(await sase(repo, 'bead-ready', ['-C']), 129, "error: option '-C' needs a value");
  const r = saseBin(repo, '', ['-C', 'nope', 'bead', 'ready']);
  assert.is(r.code, 128);
  assert.is(r.stderr, "fatal: cannot change to 'nope': No such file or directory\n");
  // a value of a command's own option is left alone: a title '-C'
  const made = (await ok(repo, 'bead-create', ['--title', '-C']))[0]!;
  assert.is(made.title, '-C');
});

t('colour: --color=auto|always|never, --no-color, NO_COLOR, FORCE_COLOR', () => {
  const text = ['--format', 'text'];
  const coloured = (args: string[], env: Record<string, string> = {}) => {
    const r = saseBin(repo, 'bead-ready', [...text, ...args], { env });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, 'hello');
    return r.stdout.includes(ESC);
  };
  // a pipe: plain by default; broken before: '--color' was an unknown option
  assert.is(coloured([]), false);
  assert.is(coloured(['--color=always']), true);
  assert.is(coloured(['--color']), true);
  assert.is(coloured(['--color=auto']), false);
  assert.is(coloured([], { FORCE_COLOR: '1' }), true);
  assert.is(coloured([], { FORCE_COLOR: '0' }), false);
  assert.is(coloured([], { FORCE_COLOR: '1', NO_COLOR: '1' }), false);
  assert.is(coloured(['--color=never'], { FORCE_COLOR: '1' }), false);
  assert.is(coloured(['--no-color'], { FORCE_COLOR: '1' }), false);
  assert.is(coloured(['--color=always'], { NO_COLOR: '1' }), true);
  // the last one given wins
  assert.is(coloured(['--no-color', '--color=always']), true);
  const bad = saseBin(repo, 'bead-ready', ['--color=sometimes']);
  assert.is(bad.code, 129);
  assert.is(bad.stderr.split('\n')[0], "error: option '--color': 'sometimes' is not one of auto, always, never");
});

t('colour: the rule, for a terminal and not', () => {
  assert.is(colorWanted('auto', {}, true), true);
  assert.is(colorWanted('auto', {}, false), false);
  assert.is(colorWanted('auto', { TERM: 'dumb' }, true), false);
  assert.is(colorWanted('auto', { NO_COLOR: '1' }, true), false);
  assert.is(colorWanted('auto', { NO_COLOR: '' }, true), true); // no-color.org: set and not empty
  assert.is(colorWanted('auto', { FORCE_COLOR: 'false' }, true), false);
  assert.is(colorWanted('auto', { FORCE_COLOR: '3' }, false), true);
  assert.is(colorWanted('always', { NO_COLOR: '1' }, false), true);
  assert.is(colorWanted('never', { FORCE_COLOR: '1' }, true), false);
  // the choice before a stream is looked at, for the tools sase runs (git diff)
  assert.is(colorChoice('auto', {}), 'auto');
  assert.is(colorChoice('auto', { NO_COLOR: '1' }), 'never');
  assert.is(colorChoice('auto', { FORCE_COLOR: '1' }), 'always');
  assert.is(colorChoice('auto', { FORCE_COLOR: '0' }), 'never');
  assert.is(colorChoice('always', { NO_COLOR: '1' }), 'always');
});

/** What a terminal shows after `text`: a carriage return goes back to the line's start, ESC[K erases the rest. */
function screen(text: string): string {
  const lines: string[] = [''];
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const row = lines.length - 1;
    if (text.startsWith('\x1b[K', i)) {
      lines[row] = lines[row]!.slice(0, col);
      i += 2;
    } else if (ch === '\r') col = 0;
    else if (ch === '\n') {
      lines.push('');
      col = 0;
    } else {
      lines[row] = lines[row]!.slice(0, col) + ch + lines[row]!.slice(col + 1);
      col++;
    }
  }
  return lines.join('\n');
}

/** One terminal that stdout and stderr both write to. */
class Terminal extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function terminalInit(term: Writable, isTTY = true) {
  return {
    cwd: repo.dir,
    env: { ...repo.env, NO_COLOR: '1' },
    stdin: Readable.from([]),
    stdout: term,
    stderr: term,
    stdinIsTTY: false,
    stdoutIsTTY: isTTY,
    stderrIsTTY: isTTY,
  };
}

t('progress: the line is erased before the next output, and when done', () => {
  const term = new Terminal();
  const ctx = makeCtx(terminalInit(term));
  ctx.progress('reading beads: 50000/50000');
  ctx.stdout.write('30952 records\n');
  // broken before: 'reading beads: 50000/5000030952 records'
  assert.is(screen(term.text), '30952 records\n');
  ctx.progress('checking the state ref');
  ctx.stderr.write('CHECK STATUS\n');
  assert.is(screen(term.text), '30952 records\nCHECK STATUS\n');
  ctx.progress('writing beads');
  ctx.progress('writing beads: done');
  assert.is(screen(term.text), '30952 records\nCHECK STATUS\n');
  // and when the command ends with the line still shown
  ctx.progress('almost');
  ctx.close();
  assert.is(screen(term.text), '30952 records\nCHECK STATUS\n');
  // the streams are as they were: nothing more is erased
  const before = term.text;
  ctx.stdout.write('x');
  assert.is(term.text, `${before}x`);
});

t('progress: drawn only on a terminal', () => {
  const pipe = new Terminal();
  const ctx = makeCtx(terminalInit(pipe, false));
  ctx.progress('reading beads: 1/2');
  ctx.stdout.write('{}\n');
  ctx.close();
  assert.is(pipe.text, '{}\n');
});

t('progress: a real command on a terminal leaves no half line (sase fsck)', async () => {
  const term = new Terminal();
  const code = await runCommand(fsckSpec, [], terminalInit(term));
  assert.is(code, 0, term.text);
  assert.ok(term.text.includes('\r'), 'progress was drawn');
  const shown = screen(term.text);
  assert.not.match(shown, /validating plans|replaying/);
  assert.ok(shown.length > 0);
});

t.run();
