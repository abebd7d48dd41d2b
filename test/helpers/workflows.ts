// Workflow runs in tests: a repository whose agent steps run the scripted
// agent (the default provider 'fixture'), specs written into it, and reading
// a run back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { agentRepo } from './agents.ts';
import type { TestRepo } from './gitdir.ts';
import { type RunResult, sase } from './run.ts';

/** A repository initialised for sase whose default provider is the scripted agent. */
export async function wfRepo(): Promise<TestRepo> {
  return await agentRepo('[agents]\nprovider = "fixture"\n');
}

export function writeSpec(repo: TestRepo, name: string, toml: string): void {
  repo.write(`.sase/workflows/${name}.toml`, toml);
}

/** The run record as sase-wf-status gives it. */
export async function wfStatus(repo: TestRepo, ref: string): Promise<Record<string, any>> {
  const r = await sase(repo, 'wf-status', [ref, '--json']);
  assert.is(r.code, 0, r.stderr);
  return r.records[0]!;
}

export function step(run: Record<string, any>, id: string): Record<string, any> {
  const s = run.steps.find((x: Record<string, any>) => x.id === id);
  if (!s) throw new Error(`no step '${id}' in ${run.id}`);
  return s;
}

/** The one run record a command printed. */
export function theRun(r: RunResult): Record<string, any> {
  assert.is(r.records.length, 1, r.stdout + r.stderr);
  return r.records[0]!;
}

export function readRepoFile(repo: TestRepo, path: string): string {
  return readFileSync(join(repo.dir, path), 'utf8');
}

/** The workflow run records in the state ref. */
export function wfRunFiles(repo: TestRepo): string[] {
  let out = '';
  try {
    out = repo.git('ls-tree', '--name-only', 'refs/sase/state', 'workflows/');
  } catch {
    return [];
  }
  return out.split('\n').filter((l) => l.endsWith('.json'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a run until its status is one of `statuses`; fails after 30 s. */
export async function waitForWf(
  repo: TestRepo,
  id: string,
  statuses = ['done', 'failed', 'waiting_approval'],
): Promise<Record<string, any>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await sase(repo, 'wf-status', [id, '--json']);
    const rec = r.records[0];
    if (rec && statuses.includes(rec.recorded_status) && rec.pid === null) return rec;
    if (Date.now() > deadline)
      throw new Error(`workflow run ${id} did not reach ${statuses.join('|')}: ${r.stdout}${r.stderr}`);
    await sleep(100);
  }
}

/** A bash step, an approval step 'ok' that asks about its output, and a bash step after it. */
export const GATE = `[[steps]]
id = "build"
kind = "bash"
run = 'echo built >> built.txt; echo "version=1.2"'
[[steps]]
id = "ok"
kind = "approval"
needs = "build"
prompt = "Release {{steps.build.outputs.version}}?"
[[steps]]
id = "release"
kind = "bash"
needs = "ok"
run = 'echo "note=$SASE_STEP_OK_NOTE"'
`;

/**
 * The pipeline the issue names: bash -> agent -> approval -> parallel (bash
 * and python). The bash step appends to side-effect.txt (so a second run of
 * it shows); the agent prints a JSON object; `fail_at` makes a step fail
 * while the file it names does not exist.
 */
export const PIPELINE = `name = "pipeline"
description = "bash, agent, approval, parallel"
[inputs]
topic = { type = "line" }
count = { type = "int", default = 2 }

[[steps]]
id = "prep"
kind = "bash"
run = '''
echo "prep ran" >> side-effect.txt
echo '{"status": "ok", "files": ["a.txt", "b.txt"]}'
'''

[[steps]]
id = "think"
kind = "agent"
needs = ["prep"]
prompt = '''
say: thinking about {{inputs.topic}}
say: {"plan": "plan for {{inputs.topic}} ({{steps.prep.outputs.status}})", "n": 3}
'''

[[steps]]
id = "ship"
kind = "approval"
needs = ["think"]
prompt = "Ship {{steps.think.outputs.plan}}?"

[[steps]]
id = "checks"
kind = "parallel"
needs = ["ship"]
[[steps.steps]]
id = "lint"
kind = "bash"
run = '''
test -f lint-ok || { echo "lint: not yet" >&2; exit 3; }
echo "lint=clean"
echo "topic=$SASE_IN_TOPIC"
'''
[[steps.steps]]
id = "py"
kind = "python"
run = '''
import json, os
ctx = json.load(open(os.environ["SASE_CONTEXT"]))
print(json.dumps({"plan": ctx["steps"]["think"]["outputs"]["plan"], "count": os.environ["SASE_IN_COUNT"], "approved": os.environ["SASE_STEP_SHIP_APPROVED"]}))
'''
`;
