// Finding workflow specs on disk: `<work tree>/.sase/workflows/<name>.toml`,
// then the user's `$XDG_CONFIG_HOME/sase/workflows/` (default ~/.config); the
// first file of a name wins. Each is read and checked when asked for, so one
// broken spec does not stop the others.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FatalError, NotFoundError, UsageError, withHint } from '../../core/errors.ts';
import type { CheckedWorkflow, WorkflowEntry } from '../../core/workflows/spec.ts';
import { checkWorkflow, WORKFLOW_NAME, type Workflow } from '../../core/workflows/spec.ts';
import type { Repo } from '../../git/repo.ts';
import { userConfigDir } from '../config/config.ts';

export const REPO_WORKFLOWS = '.sase/workflows';
const MAX_SPEC_BYTES = 1 << 20;

function dirs(repo: Repo): Array<{ dir: string; source: 'repo' | 'user' }> {
  const out: Array<{ dir: string; source: 'repo' | 'user' }> = [];
  if (repo.topLevel) out.push({ dir: join(repo.topLevel, REPO_WORKFLOWS), source: 'repo' });
  const user = userConfigDir(repo.env);
  if (user) out.push({ dir: join(user, 'workflows'), source: 'user' });
  return out;
}

/** The specs found, sorted by name (the first file of a name wins), and the files whose name is no workflow name. */
export function listWorkflows(repo: Repo): { entries: WorkflowEntry[]; ignored: string[] } {
  const byName = new Map<string, WorkflowEntry>();
  const ignored: string[] = [];
  for (const { dir, source } of dirs(repo)) {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue; // no such folder
    }
    for (const f of names) {
      if (!f.endsWith('.toml') || f.startsWith('.')) continue;
      const path = join(dir, f);
      const name = f.slice(0, -5);
      if (!WORKFLOW_NAME.test(name)) {
        ignored.push(path);
        continue;
      }
      if (byName.has(name)) continue;
      const display = source === 'repo' && repo.topLevel ? relative(repo.topLevel, path) : path;
      byName.set(name, { name, path, display, source });
    }
  }
  return { entries: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1)), ignored };
}

/** Reads and checks one spec: its TOML, then its shape; every problem found, one line each. */
export async function checkWorkflowFile(entry: WorkflowEntry): Promise<CheckedWorkflow> {
  let text: string;
  try {
    const size = statSync(entry.path).size;
    if (size > MAX_SPEC_BYTES)
      return {
        entry,
        workflow: null,
        problems: [`${entry.display}: ${size} bytes; a spec is at most ${MAX_SPEC_BYTES}`],
      };
    text = readFileSync(entry.path, 'utf8');
  } catch (err) {
    return {
      entry,
      workflow: null,
      problems: [`${entry.display}: cannot read it: ${(err as NodeJS.ErrnoException).code ?? String(err)}`],
    };
  }
  const toml = (await import('toml')).default;
  let raw: Record<string, unknown>;
  try {
    raw = toml.parse(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { line?: number; location?: { start?: { line?: number } }; message?: string };
    const line = e.line ?? e.location?.start?.line;
    return {
      entry,
      workflow: null,
      problems: [`${entry.display}${line ? `:${line}` : ''}: not valid TOML: ${e.message ?? 'parse error'}`],
    };
  }
  const { workflow, problems } = checkWorkflow(raw, entry.name, entry.display);
  return { entry, workflow, problems };
}

export function findWorkflow(repo: Repo, name: string): WorkflowEntry {
  if (!WORKFLOW_NAME.test(name))
    throw new UsageError(`'${name}' is not a workflow name (letters, digits, '_' and '-')`);
  const entry = listWorkflows(repo).entries.find((e) => e.name === name);
  if (!entry)
    throw withHint(
      new NotFoundError(`no workflow '${name}'`),
      `specs live in ${REPO_WORKFLOWS}/<name>.toml; 'sase wf list' lists them`,
    );
  return entry;
}

/** The checked workflow of a name: not found (4), or fatal (128) with the first problem of a malformed spec. */
export async function loadWorkflow(repo: Repo, name: string): Promise<{ entry: WorkflowEntry; workflow: Workflow }> {
  const checked = await checkWorkflowFile(findWorkflow(repo, name));
  if (!checked.workflow) {
    const more = checked.problems.length - 1;
    const err = new FatalError(checked.problems[0]!);
    throw more > 0
      ? withHint(err, `${more} more problem${more === 1 ? '' : 's'}: 'sase wf validate ${name}' lists them`)
      : err;
  }
  return { entry: checked.entry, workflow: checked.workflow };
}
