// How changes look: NDJSON records on pipes; on a terminal a card (sase cs
// show) or an indented tree of stacks (sase cs list). Also the names a cs
// command acts on, from its arguments or stdin.
import type { Colors, Ctx } from './context.ts';
import { readIdsFromStdin, writeRecord } from './io.ts';
import { clean, table } from './render.ts';
import { UsageError } from '../core/errors.ts';
import { formatDuration, type ChangeSpec } from '../core/changes/spec.ts';
import { stackPlace, type StackPlace } from '../core/changes/stack.ts';
import { changeToWire } from '../wire/change.ts';
import { isBlocking } from '../core/changes/hooks.ts';

type Rec = Record<string, unknown>;

/**
 * The change names a command acts on: its arguments; or stdin (bare names, or
 * NDJSON records carrying `name` or `id`) with --stdin, a lone '-', or no
 * arguments while stdin is not a terminal.
 */
export async function inputNames(ctx: Ctx, args: string[], opts: { readonly stdin?: boolean }): Promise<string[]> {
  const lone = args.length === 1 && args[0] === '-';
  if (opts.stdin || lone || (args.length === 0 && !ctx.stdinIsTTY)) {
    if (args.length && !lone) throw new UsageError('give names as arguments or on stdin, not both');
    return readIdsFromStdin(ctx, ['name', 'id']);
  }
  if (!args.length) throw new UsageError('no change given');
  return args;
}

export function changeStatusColor(colors: Colors, status: string, text = status): string {
  switch (status) {
    case 'WIP':
      return colors.yellow(text);
    case 'Draft':
      return colors.cyan(text);
    case 'Ready':
      return colors.blue(text);
    case 'Mailed':
      return colors.magenta(text);
    case 'Submitted':
      return colors.green(text);
    case 'Reverted':
      return colors.red(text);
    case 'Archived':
      return colors.dim(text);
    default:
      return text;
  }
}

/** The record sase cs show prints: the change, its place in its stack, its open comments counted. */
export function changeWithStack(all: ChangeSpec[], c: ChangeSpec): Rec {
  const place = stackPlace(all, c.name);
  return changeToWire(c, {
    stack: { position: place.position, size: place.size, below: place.below, above: place.above },
  });
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

function resultColor(colors: Colors, result: string): string {
  return result === 'PASSED' ? colors.green(result) : result === 'FAILED' ? colors.red(result) : colors.yellow(result);
}

/** A change on a terminal. */
export function printChangeCard(ctx: Ctx, all: ChangeSpec[], c: ChangeSpec): void {
  const k = ctx.colors;
  const place = stackPlace(all, c.name);
  const unresolved = c.comments.filter((x) => !x.resolved);
  const field = (label: string, value: string) => `${k.dim(label.padEnd(8))} ${value}`;
  const out: string[] = [`${k.bold(clean(c.name))}  ${changeStatusColor(k, c.status)}`];
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
          `      ${resultColor(k, run.result)}${seconds} ${clean(h.command)}${runs.length > 1 ? k.dim(` (${runs.length} runs)`) : ''}`,
        );
      }
    }
  }
  if (c.hooks.length) {
    out.push('', k.bold('Hooks'));
    for (const h of c.hooks) {
      const last = h.runs[h.runs.length - 1];
      const state = last ? `${resultColor(k, last.result)} on (${last.commit})` : k.dim('not run');
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
    for (const t of c.timestamps) out.push(`  ${k.dim(t.at.replace('T', ' ').replace('Z', ''))}  ${clean(t.event)}`);
  }
  ctx.stdout.write(out.join('\n') + '\n');
}

/** Changes in tree order: NDJSON records with `depth` on pipes, an indented table on a terminal. */
export function printChangeList(ctx: Ctx, rows: Array<{ change: ChangeSpec; depth: number }>): void {
  if (ctx.format !== 'text') {
    for (const r of rows) writeRecord(ctx, changeToWire(r.change, { depth: r.depth }));
    return;
  }
  if (!rows.length) return;
  const k = ctx.colors;
  const cols = (ctx.stdout as { columns?: number }).columns;
  const recs = rows.map((r) => ({ ...r, c: r.change }) as unknown as Rec);
  const c = (r: Rec) => r.c as ChangeSpec;
  ctx.stdout.write(
    table(
      recs,
      [
        {
          header: 'NAME',
          get: (r) => `${'  '.repeat(r.depth as number)}${(r.depth as number) > 0 ? '└ ' : ''}${c(r).name}`,
          color: (s) => k.bold(s),
        },
        { header: 'STATUS', get: (r) => c(r).status, color: (s, r) => changeStatusColor(k, c(r).status, s) },
        { header: 'PARENT', get: (r) => c(r).parent ?? '' },
        { header: 'CL', get: (r) => c(r).cl ?? '' },
        { header: 'COMMITS', get: (r) => String(c(r).commits.length) },
        {
          header: 'UNRESOLVED',
          get: (r) => String(c(r).comments.filter((x) => !x.resolved).length),
          color: (s) => (s.trim() !== '0' ? k.yellow(s) : s),
        },
        { header: 'DESCRIPTION', get: (r) => firstLine(c(r).description), flex: true },
      ],
      k,
      cols && cols > 40 ? cols : 100,
    ),
  );
}
