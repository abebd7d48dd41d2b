// How runs look: NDJSON records on pipes; on a terminal a table (list), a
// card (show) or a line (run, kill, reap). Record fields are cleaned of
// control characters before they reach a screen.

import { StringDecoder } from 'node:string_decoder';
import { secondsBetween, waitLabel } from '../core/agents/run.ts';
import { transcriptRenderer } from '../core/agents/transcript.ts';
import { formatDuration } from '../core/changes/spec.ts';
import type { AgentRecord, AgentShowRecord } from '../wire/agent.ts';
import { statusColor } from './colors.ts';
import { type Colors, type Ctx, isoNow } from './context.ts';
import { writeRecord } from './io.ts';
import { clean, printTable, printWritten } from './render.ts';
import { cardTime } from './time.ts';

function label(r: AgentRecord): string {
  return r.name ? `${r.name} (${r.id})` : r.id;
}

/** How long from `from` to `to` (the end, else now). */
function ago(from: string | null, to: string): string {
  const s = from ? secondsBetween(from, to) : null;
  return s === null ? '' : formatDuration(s);
}

function wsLabel(r: AgentRecord): string {
  const w = r.workspace;
  if (!w) return '';
  return w.n === null ? clean(w.path) : `#${w.n}`;
}

/** Runs as a table on a terminal (ids in their short form when `shorts` has one), records otherwise. */
export function printRuns(ctx: Ctx, records: readonly AgentRecord[], shorts?: ReadonlyMap<string, string>): void {
  printTable(ctx, records, (c) => [
    { header: 'ID', get: (r) => shorts?.get(r.id) ?? r.id, color: (s) => c.cyan(s) },
    { header: 'NAME', get: (r) => r.name ?? '' },
    {
      header: 'STATUS',
      get: (r) => (r.dead ? 'failed (dead)' : r.status),
      color: (s, r) => statusColor(c, 'run', r.status, s),
    },
    { header: 'PROVIDER', get: (r) => r.provider },
    { header: 'WS', get: wsLabel },
    { header: 'BEAD', get: (r) => r.bead ?? '' },
    { header: 'TIME', get: (r) => ago(r.started_at, r.ended_at ?? isoNow(ctx)) },
    {
      header: 'NOTE',
      get: (r) => (r.status === 'waiting' ? (r.wait_reason ?? '') : (r.error ?? r.note ?? '')),
      flex: true,
    },
  ]);
}

/** One run as a card. */
export function printRunCard(ctx: Ctx, r: AgentShowRecord, extra: { prompt?: string | null } = {}): void {
  if (ctx.format !== 'text') {
    writeRecord(ctx, r);
    return;
  }
  const c = ctx.colors;
  const field = (name: string, value: string) => `${c.dim(name.padEnd(10))} ${value}`;
  const out = [`${c.bold(clean(label(r)))}  ${statusColor(c, 'run', r.status, r.dead ? 'failed (dead)' : r.status)}`];
  out.push(field('provider', clean(`${r.provider}${r.model ? ` (${r.model})` : ''}`)));
  if (r.workspace)
    out.push(
      field(
        'workspace',
        clean(`${wsLabel(r)} ${r.workspace.path}${r.workspace.branch ? ` on ${r.workspace.branch}` : ''}`),
      ),
    );
  if (r.bead) out.push(field('bead', clean(r.bead)));
  if (r.changespec) out.push(field('change', clean(r.changespec)));
  if (r.mentor) out.push(field('mentor', clean(`${r.mentor.profile} on ${r.mentor.change} (${r.mentor.commit})`)));
  if (r.waits?.length) out.push(field('waits', clean(r.waits.map(waitLabel).join(', '))));
  if (r.wait_reason && r.status === 'waiting') out.push(field('waiting', clean(r.wait_reason)));
  if (r.pid)
    out.push(
      field(
        'process',
        clean(`pid ${r.pid} on ${r.host ?? '?'}${r.alive === true ? '' : r.alive === false ? ' (gone)' : ''}`),
      ),
    );
  if (r.heartbeat_at && r.status === 'running') out.push(field('heartbeat', cardTime(ctx, clean(r.heartbeat_at))));
  out.push(field('created', cardTime(ctx, r.created_at)));
  if (r.started_at) out.push(field('started', cardTime(ctx, r.started_at)));
  if (r.ended_at) out.push(field('ended', `${cardTime(ctx, r.ended_at)} (${ago(r.started_at, r.ended_at)})`));
  if (r.exit_code !== null && r.exit_code !== undefined) out.push(field('exit code', String(r.exit_code)));
  if (r.error) out.push(field('error', c.red(clean(r.error))));
  if (r.noop) out.push(field('no change', clean(r.noop)));
  if (r.note) out.push(field('note', clean(r.note)));
  if (r.session) out.push(field('session', clean(r.session)));
  if (r.retry_of) out.push(field('retry of', clean(r.retry_of)));
  if (r.resume_of) out.push(field('resumes', clean(r.resume_of)));
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
export function printRunLine(ctx: Ctx, r: AgentRecord, verb: string): void {
  if (ctx.format === 'id') return void ctx.stdout.write(`${r.id}\n`);
  // the line all writes print (see printWritten): a run has no title, its state says the most
  printWritten(ctx, [r], (r, c) => ({
    verb,
    id: label(r) + (r.workspace ? ` in ${wsLabel(r)}` : ''),
    note: `: ${runState(r, c)}`,
  }));
}

/** A run's status and why it is so (waiting for, failed with, noted). */
function runState(r: AgentRecord, c: Colors): string {
  const why =
    r.status === 'waiting'
      ? ` (${clean(r.wait_reason ?? '')})`
      : r.error
        ? ` (${clean(r.error)})`
        : r.note || r.noop
          ? ` (${clean(r.note ?? `no change needed: ${r.noop}`)})`
          : '';
  return `${statusColor(c, 'run', r.status)}${why}`;
}

/**
 * An agent's output printed for a person as it comes: each event line made
 * readable (claude, codex, gemini, qwen, opencode, the example agent; gemini's
 * streamed pieces of text joined into lines), other lines as they are, each
 * after `prefix`; with `raw`, the lines unchanged. Chunks may end mid-line
 * or mid-character: the rest waits for the next chunk, or for end().
 */
export class TranscriptPrinter {
  private rest = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly renderer = transcriptRenderer();

  constructor(
    private readonly ctx: Ctx,
    private readonly opts: { raw?: boolean; prefix?: string } = {},
  ) {}

  write(chunk: Buffer): void {
    const lines = (this.rest + this.decoder.write(chunk)).split('\n');
    this.rest = lines.pop()!;
    for (const l of lines) this.line(l);
  }

  end(): void {
    const last = this.rest + this.decoder.end();
    this.rest = '';
    if (last) this.line(last);
    if (!this.opts.raw) this.print(this.renderer.end());
  }

  private line(l: string): void {
    this.print(this.opts.raw ? [l] : this.renderer.line(l));
  }

  private print(lines: string[]): void {
    for (const r of lines) this.ctx.stdout.write(`${this.opts.prefix ?? ''}${clean(r)}\n`);
  }
}
