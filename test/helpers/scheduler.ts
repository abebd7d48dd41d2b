// The user's schedulers in tests: stand-in crontab, systemctl and launchctl
// (test/fixtures/scheduler/) first on PATH, the crontab a file in the test's
// temp folder, every call logged; nothing touches the real user's crontab,
// units or agents. Also a small reader of the property lists launchd takes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestRepo } from './gitdir.ts';
import { BIN, ROOT } from './run.ts';

export const SCHED_BIN = join(ROOT, 'test', 'fixtures', 'scheduler');

export interface Sched {
  /** the environment to run install and uninstall with (stand-ins first on PATH) */
  env: Record<string, string>;
  /** the stand-in's crontab file */
  crontabFile: string;
  /** the user's crontab as the stand-in holds it ('' when there is none) */
  crontab(): string;
  /** the calls made to the stand-ins, one line each ('crontab -l', 'systemctl --user daemon-reload') */
  calls(): string[];
  /** where the units, the agent and the registry go */
  unitDir: string;
  plist: string;
  registry: string;
  /** the repositories registered */
  registered(): string[];
}

/** The stand-ins for `repo`'s temp home; `extra` set on top (SYSTEMCTL_WORKS: '1'). */
export function sched(repo: TestRepo, extra: Record<string, string> = {}): Sched {
  const crontabFile = join(repo.home, '..', 'crontab');
  const log = join(repo.home, '..', 'scheduler.log');
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  const registry = join(repo.env.XDG_CONFIG_HOME!, 'sase', 'repos');
  return {
    env: {
      PATH: `${SCHED_BIN}:${BIN}:${repo.env.PATH}`,
      CRONTAB_FILE: crontabFile,
      SCHED_LOG: log,
      ...extra,
    },
    crontabFile,
    crontab: () => read(crontabFile),
    calls: () => read(log).split('\n').filter(Boolean),
    unitDir: join(repo.env.XDG_CONFIG_HOME!, 'systemd', 'user'),
    plist: join(repo.home, 'Library', 'LaunchAgents', 'dev.sase.axe.plist'),
    registry,
    registered: () => read(registry).split('\n').filter(Boolean),
  };
}

/** The calls that change something: everything but `crontab -l` and the probe of systemd. */
export function writes(calls: string[]): string[] {
  return calls.filter((c) => c !== 'crontab -l' && c !== 'systemctl --user show-environment');
}

export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/**
 * Parses the XML property list launchd reads (dict, array, key, string,
 * integer, true, false), insisting that it is well formed: one declaration,
 * the DOCTYPE, every tag closed in order, text only where it belongs, and the
 * five entities. Throws saying what is wrong.
 */
export function parsePlist(text: string): PlistValue {
  const head =
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n';
  if (!text.startsWith(head)) throw new Error('no XML declaration and plist DOCTYPE');
  const tokens = [...text.slice(head.length).matchAll(/<(\/?)([a-z]+)([^>]*?)(\/?)>|([^<]+)/gy)];
  let consumed = 0;
  for (const m of tokens) consumed += m[0].length;
  if (consumed !== text.length - head.length) throw new Error('a stray "<" or an unreadable tag');
  let i = 0;
  const decode = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`a bare '&' in ${JSON.stringify(s)}`);
    return s
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&apos;', "'")
      .replaceAll('&amp;', '&');
  };
  const skipSpace = () => {
    while (i < tokens.length && tokens[i]![5] !== undefined && !tokens[i]![5]!.trim()) i++;
  };
  const open = (): { name: string; empty: boolean } => {
    skipSpace();
    const m = tokens[i++];
    if (!m || m[5] !== undefined || m[1]) throw new Error(`expected an opening tag at token ${i}`);
    return { name: m[2]!, empty: m[4] === '/' };
  };
  const close = (name: string) => {
    const m = tokens[i++];
    if (m?.[1] !== '/' || m[2] !== name) throw new Error(`<${name}> is not closed where it should be`);
  };
  const textOf = (name: string): string => {
    let s = '';
    if (tokens[i]?.[5] !== undefined) s = tokens[i++]![5]!;
    close(name);
    return decode(s);
  };
  const value = (): PlistValue => {
    const { name, empty } = open();
    if (empty) {
      if (name === 'true') return true;
      if (name === 'false') return false;
      if (name === 'dict') return {};
      if (name === 'array') return [];
      throw new Error(`<${name}/> is not a plist value`);
    }
    if (name === 'string') return textOf(name);
    if (name === 'integer') {
      const s = textOf(name);
      if (!/^-?\d+$/.test(s)) throw new Error(`<integer> holds ${JSON.stringify(s)}`);
      return Number(s);
    }
    if (name === 'array') {
      const out: PlistValue[] = [];
      for (;;) {
        skipSpace();
        if (tokens[i]?.[1] === '/') break;
        out.push(value());
      }
      close(name);
      return out;
    }
    if (name === 'dict') {
      const out: Record<string, PlistValue> = {};
      for (;;) {
        skipSpace();
        if (tokens[i]?.[1] === '/') break;
        const k = open();
        if (k.name !== 'key' || k.empty) throw new Error(`a <${k.name}> where a <key> belongs`);
        const key = textOf('key');
        if (key in out) throw new Error(`key '${key}' twice`);
        out[key] = value();
      }
      close(name);
      return out;
    }
    throw new Error(`<${name}> is not a plist value`);
  };
  const root = open();
  if (root.name !== 'plist' || root.empty) throw new Error('the root is not <plist>');
  const v = value();
  skipSpace();
  close('plist');
  skipSpace();
  if (i !== tokens.length) throw new Error('something after </plist>');
  return v;
}
