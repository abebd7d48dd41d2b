// How changes look: NDJSON records on pipes; on a terminal a card (sase cs
// show) or an indented tree of stacks (sase cs list). Also the names a cs
// command acts on, from its arguments or stdin.

import { isBlocking } from '../core/changes/hooks.ts';
import { type ChangeSpec, checkChangeName, formatDuration } from '../core/changes/spec.ts';
import { type StackPlace, stackPlace } from '../core/changes/stack.ts';
import { resolveChangeName } from '../store/changes.ts';
import { changeToWire, listedChangeToWire, type StackedChangeRecord, stackedChangeToWire } from '../wire/change.ts';
import { statusColor } from './colors.ts';
import type { Ctx } from './context.ts';
import { inputIds, writeRecord } from './io.ts';
import { clean, printWritten, table, width } from './render.ts';
import { cardTime } from './time.ts';

/**
 * The change names a command acts on: its arguments; or stdin (bare names, or
 * NDJSON records carrying `name` or `id`) with --stdin, a lone '-', or no
 * arguments while stdin is not a terminal. None at all is a usage error.
 */
export function inputNames(ctx: Ctx, args: string[], opts: { readonly stdin?: boolean }): Promise<string[]> {
  return inputIds(ctx, args, opts, 'change name', ['name', 'id']);
}

/**
 * The change an argument names, checked as a name and then resolved: the
 * name itself, or a unique prefix of a stored one (ambiguous: 129, naming
 * the candidates).
 */
export async function changeArg(ctx: Ctx, input: string): Promise<string> {
  const name = checkChangeName(input);
  return resolveChangeName(await (await ctx.store()).snapshot(), name);
}

/** The record sase cs show prints: the change, its place in its stack, its open comments counted. */
export function changeWithStack(all: ChangeSpec[], c: ChangeSpec): StackedChangeRecord {
  return stackedChangeToWire(c, stackPlace(all, c.name));
}

/** '2 of 3: base <- this <- child' (root first; several children in braces). */
export function stackLine(name: string, place: StackPlace): string {
  const chain = [...place.below].reverse();
  chain.push(name);
  if (place.above.length === 1) chain.push(place.above[0]!);
  else if (place.above.length > 1) chain.push(`{${place.above.join(', ')}}`);
  return `${place.position} of ${place.size}: ${chain.join(' <- ')}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** A change on a terminal. */
export function printChangeCard(ctx: Ctx, all: ChangeSpec[], c: ChangeSpec): void {
  const k = ctx.colors;
  const place = stackPlace(all, c.name);
  const unresolved = c.comments.filter((x) => !x.resolved);
  const field = (label: string, value: string) => `${k.dim(label.padEnd(8))} ${value}`;
  const out: string[] = [`${k.bold(clean(c.name))}  ${statusColor(k, 'change', c.status)}`];
  out.push(field('cl', c.cl ? clean(c.cl) : k.dim('not mailed')));
  out.push(field('branch', `sase/cs/${c.name}`));
  out.push(field('stack', clean(stackLine(c.name, place))));
  out.push(
    field(
      'comments',
      unresolved.length
        ? k.yellow(`${unresolved.length} unresolved`) + ` of ${c.comments.length}`
        : `${c.comments.length ? `all ${c.comments.length} resolved` : 'none'}`,
    ),
  );
  out.push('');
  for (const line of c.description.split('\n')) out.push(`  ${clean(line)}`.trimEnd());
  if (c.commits.length) {
    out.push('', k.bold('Commits'));
    for (const commit of c.commits) {
      out.push(
        `  (${commit.n}) ${k.yellow(commit.sha.slice(0, 12))} ${clean(commit.subject)}${commit.bead ? k.dim(` [${clean(commit.bead)}]`) : ''}`,
      );
      for (const h of c.hooks) {
        const runs = h.runs.filter((r) => r.commit === commit.n);
        const run = runs[runs.length - 1];
        if (!run) continue;
        const seconds = run.result === 'RUNNING' ? '' : ` (${formatDuration(run.seconds)})`;
        out.push(
          `      ${statusColor(k, 'hook', run.result)}${seconds} ${clean(h.command)}${runs.length > 1 ? k.dim(` (${runs.length} runs)`) : ''}`,
        );
      }
    }
  }
  if (c.hooks.length) {
    out.push('', k.bold('Hooks'));
    for (const h of c.hooks) {
      const last = h.runs[h.runs.length - 1];
      const state = last ? `${statusColor(k, 'hook', last.result)} on (${last.commit})` : k.dim('not run');
      out.push(`  ${clean(h.command)}  ${state}${isBlocking(h.command) ? '' : k.dim('  (does not block)')}`);
    }
  }
  if (c.deltas.length) {
    out.push('', k.bold('Deltas'));
    const width = Math.max(...c.deltas.map((d) => d.path.length));
    for (const d of c.deltas) {
      const op = d.op === '+' ? k.green('+') : d.op === '-' ? k.red('-') : k.yellow('~');
      out.push(
        `  ${op} ${clean(d.path).padEnd(width)}  ${k.green(`+${d.added}`)} ${k.yellow(`~${d.changed}`)} ${k.red(`-${d.removed}`)}`,
      );
    }
  }
  if (unresolved.length) {
    out.push('', k.bold(`Unresolved comments (${unresolved.length})`));
    for (const x of unresolved) {
      const [first, ...more] = x.text.split('\n');
      out.push(
        `  #${x.id} ${k.cyan(clean(x.path + (x.line === null ? '' : `:${x.line}`)))} ${k.dim(`[${clean(x.author)}]`)} ${clean(first ?? '')}`,
      );
      for (const m of more) out.push(`      ${clean(m)}`);
    }
  }
  if (c.mentors.length) {
    out.push('', k.bold('Mentors'));
    for (const m of c.mentors) {
      out.push(`  ${clean(m.entry)}`);
      for (const r of m.runs) out.push(`      ${clean(r)}`);
    }
  }
  if (c.timestamps.length) {
    out.push('', k.bold('Timestamps'));
    for (const t of c.timestamps) out.push(`  ${k.dim(cardTime(ctx, t.at))}  ${clean(t.event)}`);
  }
  ctx.stdout.write(out.join('\n') + '\n');
}

/** Changes in tree order: NDJSON records with `depth` on pipes, an indented table on a terminal. */
export function printChangeList(ctx: Ctx, rows: Array<{ change: ChangeSpec; depth: number }>): void {
  if (ctx.format !== 'text') {
    for (const r of rows) writeRecord(ctx, listedChangeToWire(r.change, r.depth));
    return;
  }
  if (!rows.length) return;
  const k = ctx.colors;
  ctx.stdout.write(
    table(
      rows,
      [
        {
          header: 'NAME',
          get: (r) => `${'  '.repeat(r.depth)}${r.depth > 0 ? '└ ' : ''}${r.change.name}`,
          color: (s) => k.bold(s),
        },
        {
          header: 'STATUS',
          get: (r) => r.change.status,
          color: (s, r) => statusColor(k, 'change', r.change.status, s),
        },
        { header: 'PARENT', get: (r) => r.change.parent ?? '' },
        { header: 'CL', get: (r) => r.change.cl ?? '' },
        { header: 'COMMITS', get: (r) => String(r.change.commits.length) },
        {
          header: 'UNRESOLVED',
          get: (r) => String(r.change.comments.filter((x) => !x.resolved).length),
          color: (s) => (s.trim() !== '0' ? k.yellow(s) : s),
        },
        { header: 'DESCRIPTION', get: (r) => firstLine(r.change.description), flex: true },
      ],
      k,
      width(ctx, 40),
    ),
  );
}

/**
 * What a change write did: on a terminal a line a change ('archived
 * fix_login: Fix the login page (Archived)', the summary being the first line
 * of its description), elsewhere its record as sase-cs-show prints it.
 */
export function printWrittenChanges(
  ctx: Ctx,
  changes: readonly ChangeSpec[],
  verb: string,
  more: (c: ChangeSpec) => string = () => '',
): void {
  printWritten(
    ctx,
    changes,
    (ch, c) => ({
      verb,
      id: ch.name,
      title: ch.description,
      note: ` (${statusColor(c, 'change', ch.status)}${more(ch)})`,
    }),
    changeToWire,
  );
}
