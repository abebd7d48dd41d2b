import { readIdsFromStdin } from '../cli/io.ts';
import { clean, printWritten } from '../cli/render.ts';
import { defineCommand } from '../cli/spec.ts';
import { NotFoundError, RefusedError, UsageError, withHint } from '../core/errors.ts';
import { parsePlan } from '../core/sdd/plan.ts';
import { appendNotes, type CommitSummary, resolveCommit } from '../store/notes.ts';
import { findPlan } from '../store/sdd.ts';
import { linkToWire } from '../wire/plan.ts';

export const spec = defineCommand({
  name: 'sdd-link',
  prints: ['link'],
  summary: 'record that code commits carry out a plan (a note in refs/notes/sase)',
  args: [
    {
      name: 'plan',
      complete: 'plans',
      description: 'the plan: its slug, or a path like sdd/epics/<slug>.md',
      required: true,
    },
  ],
  options: [
    {
      flags: '--commit <revs>',
      description:
        'the commits (any revision git names: a full or short id, HEAD~2, a branch); repeatable or comma-separated',
      type: 'list',
    },
    {
      flags: '--phase <id>',
      description:
        "for an approved epic: the phase the commits carry out (its id, or its number from 1); the note names the phase's bead",
    },
  ],
  stdin: true,
  description: `Adds a line to the note of each commit in refs/notes/sase, the commit-provenance notes: {"v":1,"plan":"<path>","bead":"<id>"}, where bead is the plan's bead (left out while the plan is not approved) or, with --phase, the bead of that phase of an epic (<bead>.<n>). 'sase sdd show' lists the commits whose notes name a plan or its beads, and 'git log --notes=sase' shows the lines beside each commit.

A note holds one JSON object a line, sorted and without repeats, so notes from two clones merge with git's cat_sort_uniq strategy ('git notes --ref=sase merge -s cat_sort_uniq'). Linking a commit again is a no-op. All commits named are resolved before anything is written, and their lines are added in one commit of the notes ref (a compare-and-swap, retried when another writer moved it).`,
  input:
    'With --stdin, a lone "-" as --commit, or no --commit while stdin is not a terminal: commits on stdin, one revision a line (as git rev-list prints them) or NDJSON records with a "commit" or "id" field. No commit at all (an empty pipe included) is a usage error, exit 129.',
  output:
    'One NDJSON record of kind "link" a commit: {v, kind, id (the full commit id), commit, subject, plan (its path), bead (or null), phase (the phase id or null), added (false when the line was there already)}. On a terminal, one line a commit: linked <sha>: <subject> (-> <plan>[, <bead>]), or unchanged when the line was there already.',
  exit: [
    [1, 'refused: --phase on a plan that is not approved (it has no beads yet)'],
    [4, 'no such plan, commit or phase'],
    [
      129,
      'no commit given (with --commit or on stdin), --phase on a plan that is not an epic, or the slug names plans in two tiers (the candidates are named)',
    ],
  ],
  examples: [
    { cmd: 'sase sdd link ready-cache --commit HEAD', text: 'the last commit carries out the plan' },
    {
      cmd: 'git rev-list main~3..main | sase sdd link ready-cache --phase store --stdin',
      text: 'three commits carry out the phase "store"',
    },
    { cmd: 'git log --notes=sase -1', text: 'see the note beside the commit' },
  ],
  seeAlso: ['sase-sdd-show', 'git-notes'],
  async run(ctx, args, opts) {
    const [ref] = args;
    if (!ref) throw new UsageError('no plan given');
    if (args.length > 1) throw new UsageError(`one plan at a time; '${args[1]}' is extra`);
    const given = opts.commit ?? [];
    const dash = given.length === 1 && given[0] === '-';
    const fromStdin = opts.stdin || dash || (given.length === 0 && !ctx.stdinIsTTY);
    if (fromStdin && given.length && !dash) throw new UsageError("give commits with '--commit' or on stdin, not both");
    const revs = fromStdin ? await readIdsFromStdin(ctx, ['commit', 'id']) : given;
    if (revs.length === 0) throw new UsageError("no commit given (use '--commit <sha>', or pipe commits on stdin)");

    const store = await ctx.store();
    const snap = await store.snapshot();
    const found = await findPlan(snap, ref);
    if (found.dir === 'prompts') throw new UsageError(`'${found.path}' is a prompt, not a plan`);
    const { plan, diagnostics } = parsePlan(found.text, found.path);
    if (!plan)
      throw withHint(
        new RefusedError(`'${found.path}' does not validate (${diagnostics[0]?.code ?? 'invalid'}); fix it first`),
        "see 'sase sdd validate'",
      );

    let bead = plan.bead;
    let phase: string | null = null;
    if (opts.phase !== undefined) {
      const want = opts.phase;
      if (plan.tier !== 'epic') throw new UsageError(`'--phase' is for epics; '${plan.slug}' is a ${plan.tier}`);
      const index = /^\d+$/.test(want) ? Number(want) - 1 : plan.phases.findIndex((p) => p.id === want);
      const ph = plan.phases[index];
      if (!ph)
        throw withHint(
          new NotFoundError(`no phase '${want}' in plan '${plan.slug}'`),
          `its phases: ${plan.phases.map((p) => p.id).join(', ')}`,
        );
      if (!plan.bead)
        throw withHint(
          new RefusedError(`plan '${plan.slug}' is ${plan.status} and has no beads yet`),
          `approve it with 'sase sdd approve ${plan.slug}'`,
        );
      phase = ph.id;
      bead = `${plan.bead}.${index + 1}`;
    }

    // every commit resolved before anything is written: a failed command changes nothing
    const commits: CommitSummary[] = [];
    for (const rev of revs) {
      const c = await resolveCommit(store, rev);
      if (!c) throw new NotFoundError(`no commit '${rev}'`);
      if (!commits.some((x) => x.oid === c.oid)) commits.push(c);
    }
    const record = { v: 1, plan: found.path, ...(bead ? { bead } : {}) };
    const added = await appendNotes(
      store,
      commits.map((c) => ({ commit: c.oid, record })),
    );
    printWritten(
      ctx,
      commits.map((c, i) => ({ c, added: added[i]! })),
      ({ c, added }, col) => ({
        verb: added ? 'linked' : 'unchanged',
        id: c.oid.slice(0, 10),
        title: c.subject,
        note: col.dim(` (-> ${clean(found.path)}${bead ? `, ${bead}` : ''})`),
      }),
      ({ c, added }) => linkToWire(c, found.path, bead ?? null, phase, added),
    );
    return 0;
  },
});
