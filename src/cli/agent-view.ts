// How runs look: NDJSON records on pipes; on a terminal a table (list), a
// card (show) or a line (run, kill, reap). Record fields are cleaned of
// control characters before they reach a screen.
import { type Colors, type Ctx, isoNow } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printTable } from './render.ts';
import { secondsBetween } from '../core/agents/run.ts';
import { formatDuration } from '../core/changes/spec.ts';

type Rec = Record<string, any>;

export function runStatusColor(c: Colors, status: string, text = status): string {
  switch (status) {
    case 'done':
      return c.green(text);
    case 'failed':
      return c.red(text);
    case 'killed':
      return c.magenta(text);
    case 'running':
      return c.yellow(text);
    case 'waiting':
    case 'queued':
      return c.cyan(text);
    default:
      return text;
  }
}

function label(r: Rec): string {
  return r.name ? `${r.name} (${r.id})` : r.id;
}

/** How long from `from` to `to` (the end, else now). */
function ago(from: string | null, to: string): string {
  const s = from ? secondsBetween(from, to) : null;
  return s === null ? '' : formatDuration(s);
}

function wsLabel(r: Rec): string {
  const w = r.workspace;
  if (!w) return '';
  return w.n === null ? clean(String(w.path)) : `#${w.n}`;
}

/** Runs as a table on a terminal, records otherwise. */
export function printRuns(ctx: Ctx, records: Rec[]): void {
  printTable(ctx, records, (c) => [
    { header: 'ID', get: (r) => String(r.id), color: (s) => c.cyan(s) },
    { header: 'NAME', get: (r) => String(r.name ?? '') },
    {
      header: 'STATUS',
      get: (r) => (r.dead ? 'failed (dead)' : String(r.status)),
      color: (s, r) => runStatusColor(c, String(r.status), s),
    },
    { header: 'PROVIDER', get: (r) => String(r.provider) },
    { header: 'WS', get: wsLabel },
    { header: 'BEAD', get: (r) => String(r.bead ?? '') },
    { header: 'TIME', get: (r) => ago(r.started_at as string | null, (r.ended_at as string | null) ?? isoNow(ctx)) },
    {
      header: 'NOTE',
      get: (r) => String(r.status === 'waiting' ? (r.wait_reason ?? '') : (r.error ?? '')),
      flex: true,
    },
  ]);
}

/** One run as a card. */
export function printRunCard(ctx: Ctx, r: Rec, extra: { prompt?: string | null } = {}): void {
  if (ctx.format !== 'text') return writeRecord(ctx, r);
  const c = ctx.colors;
  const field = (name: string, value: string) => `${c.dim(name.padEnd(10))} ${value}`;
  const out = [
    `${c.bold(clean(label(r)))}  ${runStatusColor(c, String(r.status), r.dead ? 'failed (dead)' : String(r.status))}`,
  ];
  out.push(field('provider', clean(`${r.provider}${r.model ? ` (${r.model})` : ''}`)));
  if (r.workspace)
    out.push(
      field(
        'workspace',
        clean(`${wsLabel(r)} ${r.workspace.path}${r.workspace.branch ? ` on ${r.workspace.branch}` : ''}`),
      ),
    );
  if (r.bead) out.push(field('bead', clean(String(r.bead))));
  if (r.changespec) out.push(field('change', clean(String(r.changespec))));
  if (r.mentor) out.push(field('mentor', clean(`${r.mentor.profile} on ${r.mentor.change} (${r.mentor.commit})`)));
  if (r.waits?.length) out.push(field('waits', clean(r.waits.map((w: Rec) => w.agent ?? `bead:${w.bead}`).join(', '))));
  if (r.wait_reason && r.status === 'waiting') out.push(field('waiting', clean(String(r.wait_reason))));
  if (r.pid)
    out.push(
      field(
        'process',
        clean(`pid ${r.pid} on ${r.host ?? '?'}${r.alive === true ? '' : r.alive === false ? ' (gone)' : ''}`),
      ),
    );
  if (r.heartbeat_at && r.status === 'running') out.push(field('heartbeat', clean(String(r.heartbeat_at))));
  out.push(field('created', String(r.created_at)));
  if (r.started_at) out.push(field('started', String(r.started_at)));
  if (r.ended_at) out.push(field('ended', `${r.ended_at} (${ago(r.started_at, r.ended_at)})`));
  if (r.exit_code !== null && r.exit_code !== undefined) out.push(field('exit code', String(r.exit_code)));
  if (r.error) out.push(field('error', c.red(clean(String(r.error)))));
  if (r.session) out.push(field('session', clean(String(r.session))));
  if (r.retry_of) out.push(field('retry of', clean(String(r.retry_of))));
  if (r.resume_of) out.push(field('resumes', clean(String(r.resume_of))));
  if (r.usage)
    out.push(
      field(
        'usage',
        clean(
          `${r.usage.input_tokens ?? '?'} in, ${r.usage.output_tokens ?? '?'} out${r.usage.cost !== null ? `, $${r.usage.cost}` : ''}`,
        ),
      ),
    );
  if (r.commits?.length) {
    out.push(field('commits', String(r.commits.length)));
    for (const k of r.commits) out.push(`           ${c.yellow(String(k).slice(0, 12))}`);
  }
  if (extra.prompt) {
    out.push('', c.dim('prompt:'));
    for (const line of extra.prompt.replace(/\n+$/, '').split('\n').slice(0, 20)) out.push(`  ${clean(line)}`);
  }
  ctx.stdout.write(out.join('\n') + '\n');
}

/** A run just started, killed or reaped: its record, or a line on a terminal. */
export function printRunLine(ctx: Ctx, r: Rec, verb: string): void {
  if (ctx.format === 'id') return void ctx.stdout.write(`${r.id}\n`);
  if (ctx.format !== 'text') return writeRecord(ctx, r);
  const c = ctx.colors;
  const where = r.workspace ? ` in ${wsLabel(r)}` : '';
  const why =
    r.status === 'waiting' ? ` (${clean(String(r.wait_reason ?? ''))})` : r.error ? ` (${clean(String(r.error))})` : '';
  ctx.stdout.write(`${verb} ${c.bold(clean(label(r)))}${where}: ${runStatusColor(c, String(r.status))}${why}\n`);
}
