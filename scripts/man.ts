// Man pages in roff (man(7) macros), generated from the command specs: one
// sase-<name>(1) a command, sase(1) for the dispatcher and sase(7) for the
// data model. Pure functions of their inputs, so the integrity test can
// compare them with the committed files. No date in .TH: output is stable.
import { printedFields } from '../src/cli/fields.ts';
import { GLOBAL_OPTIONS } from '../src/cli/main.ts';
import { allOptions, type CommandSpec, synopsis } from '../src/cli/spec.ts';

/** Escapes text for roff: backslashes, hyphens (as \-), and control characters at a line start. */
export function esc(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/\\->/g, '\\(->') // an arrow, not a minus and a '>'
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => (l.startsWith('.') || l.startsWith("'") ? `\\&${l}` : l))
    .join('\n');
}

const bold = (s: string) => `\\fB${esc(s)}\\fR`;
const italic = (s: string) => `\\fI${esc(s)}\\fR`;

/** Paragraphs separated by blank lines, each after a .PP. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap((p) => ['.PP', esc(p)]);
}

/** A .TP item: a tag line, then its text. */
function item(tag: string, text: string): string[] {
  return ['.TP', tag, esc(text)];
}

function th(name: string, section: number, version: string): string {
  return `.TH ${name.toUpperCase().replace(/-/g, '\\-')} ${section} "" "sase ${version}" "sase manual"`;
}

/** Flags with the names bold and the value italic: '-s, --status <list>'. */
function flagTag(flags: string): string {
  return flags
    .split(',')
    .map((part) => {
      const [flag, ...value] = part.trim().split(' ');
      return value.length ? `${bold(flag!)} ${italic(value.join(' '))}` : bold(flag!);
    })
    .join(', ');
}

/** 'sase-bead-blocked' -> \fBsase\-bead\-blocked\fR(1); an explicit '(7)' is kept. */
function manRef(ref: string): string {
  const m = /^(.*)\((\d)\)$/.exec(ref);
  return m ? `${bold(m[1]!)}(${m[2]})` : `${bold(ref)}(1)`;
}

const COMMON_EXIT: Array<[number, string]> = [
  [0, 'success; an empty list is success'],
  [
    128,
    'fatal: not a git repository, git missing, corrupt state, or malformed input such as a bad NDJSON line on stdin (named with its line number)',
  ],
  [129, 'usage: unknown option, missing argument, bad value'],
];

/** The spec's own rows first for each code, then the common text; sorted by code. */
export function exitRows(spec: CommandSpec): Array<[number, string[]]> {
  const rows = new Map<number, string[]>();
  for (const [code, text] of [...spec.exit, ...COMMON_EXIT]) {
    const texts = rows.get(code) ?? [];
    if (!texts.includes(text)) texts.push(text);
    rows.set(code, texts);
  }
  return [...rows].sort((a, b) => a[0] - b[0]);
}

export function commandPage(spec: CommandSpec, version: string): string {
  const name = `sase-${spec.name}`;
  const [, ...rest] = synopsis(spec).split(' ');
  const out = [th(name, 1, version), '.SH NAME', `${esc(name)} \\- ${esc(spec.summary)}`];
  // both spellings: the executable and the dispatcher's words; lines wrap
  // only between bracketed items ('\ ' is a space that does not break)
  const tail = esc(rest.join(' ')).replace(/ (?=<)/g, '\\ ');
  out.push('.SH SYNOPSIS', `${bold(name)} ${tail}`, '.br', `${bold(`sase ${spec.name.replace(/-/g, ' ')}`)} ${tail}`);
  out.push('.SH DESCRIPTION', ...paragraphs(spec.description));
  out.push('.SH OPTIONS');
  for (const a of spec.args) out.push(...item(italic(`<${a.name}>${a.variadic ? '...' : ''}`), a.description));
  for (const o of allOptions(spec)) {
    let text = o.description;
    if (o.choices && !o.choices.every((c) => o.description.includes(c))) text += `. One of: ${o.choices.join(', ')}`;
    if (o.default !== undefined) text += `. Default: ${String(o.default)}`;
    out.push(...item(flagTag(o.flags), text));
  }
  for (const [flags, text] of GLOBAL_OPTIONS) out.push(...item(flagTag(flags), text));
  if (spec.input) out.push('.SH INPUT', ...paragraphs(spec.input));
  out.push('.SH OUTPUT', ...paragraphs(spec.output));
  if (spec.prints) {
    const missing = spec.prints.length > 1 ? ' (a record without one has it null)' : '';
    out.push(
      '.SH JSON FIELDS',
      ...paragraphs(`--json FIELDS selects from${missing}: ${printedFields(spec.prints).join(', ')}.`),
    );
  }
  out.push('.SH EXIT STATUS');
  for (const [code, texts] of exitRows(spec)) out.push('.TP', bold(String(code)), texts.map(esc).join('\n.br\n'));
  out.push('.SH EXAMPLES');
  for (const e of spec.examples) out.push(...item(bold(e.cmd), e.text));
  const refs = [...(spec.seeAlso ?? [])];
  for (const r of ['sase', 'sase(7)']) if (!refs.includes(r)) refs.push(r);
  out.push('.SH SEE ALSO', refs.map(manRef).join(', '));
  return out.join('\n') + '\n';
}

/** sase(1): the dispatcher, with every command listed. */
export function dispatcherPage(specs: CommandSpec[], version: string, description: string): string {
  const out = [th('sase', 1, version), '.SH NAME', `sase \\- ${esc(description)}`];
  out.push(
    '.SH SYNOPSIS',
    '.nf',
    `${bold('sase')} ${italic('<noun>')} ${italic('<verb>')} [${italic('<options>')}] [${italic('<args>')}]`,
    `${bold('sase')} ${italic('<noun>')}`,
    `${bold('sase help')} [${italic('<noun>')} [${italic('<verb>')}]]`,
    bold('sase --list-cmds'),
    bold('sase --version'),
    '.fi',
  );
  out.push(
    '.SH DESCRIPTION',
    ...paragraphs(`sase keeps the state of agent-driven engineering work (beads, plans, change records, agent runs) inside the project's own git repository, in the ref refs/sase/state, and exposes it through many small executables that speak JSON. sase(7) describes the data model.

Every command is its own executable, sase-<noun>-<verb>, and sase <noun> <verb> runs the same thing. This program only finds and runs it: it takes the words up to the first argument that starts with '-' (four at most), tries the executable named by all of them joined with '-' (sase-w1-w2-...), then by fewer and fewer words, so the longest matching name wins. It looks in sase's own bin/ folder first, then in each folder of PATH, so any executable sase-<anything> on PATH is a plugin: sase anything runs it. The command gets the remaining arguments, standard input, output and error, and its exit status is passed through unchanged. sase's own commands run inside this program's process, exactly as their executable would (same arguments, streams, signals and exit status), which saves starting a second Node process; plugins run as processes of their own.

A noun alone (sase bead, sase bead dep, sase axe chop) lists its verbs with their summaries: on standard output with exit status 0 when asked for (sase bead --help, sase help bead), otherwise on standard error with exit status 129, as git answers a command that needs a subcommand. A mistyped word gets a hint with the nearest verb or noun (sase bead redy: did you mean 'ready'?), and so does a mistyped option of a command (--limt: did you mean '--limit'?).

sase run is short for sase agent run.

The manual pages are in man/man1 and man/man7 beside bin/, where man(1) looks for the folder ../man of each folder of PATH: with bin/ on PATH (and MANPATH unset), man sase-bead-ready and man 7 sase work.`),
  );
  out.push(
    '.SH OPTIONS',
    ...item(
      bold('help') + ' [' + italic('<noun>') + ' [' + italic('<verb>') + ']]',
      "opens the manual page of the command (sase-<noun>-<verb>(1)) with man(1); with a noun alone, lists its verbs; without a command, opens sase(7), the model every command works on. Without man, prints the command's --help (or, for sase(7), the list of commands)",
    ),
    ...item(
      bold('--list-cmds'),
      'prints the name of every command, one a line (bead-ready for sase-bead-ready), then the plugins found on PATH; used by shell completion',
    ),
    ...item(
      `${bold('-C')} ${italic('<dir>')}`,
      'runs the command as if sase had been started in <dir>, as git -C does: the repository is found from there and relative paths in the arguments are read from there; several compose, each from the one before; an empty one changes nothing',
    ),
    ...item(bold('--version'), "prints 'sase version <version>'"),
    ...item(
      `${bold('-h')}, ${bold('--help')}`,
      'prints the commands grouped by noun; with no argument at all the same list is printed and the exit status is 1',
    ),
  );
  out.push(
    '.SH EXIT STATUS',
    ...paragraphs('The exit status of the command that ran. Otherwise:'),
    '.TP',
    bold('1'),
    esc('unknown command: no executable matches the words given, or no command was given'),

    '.TP',
    bold('128'),
    esc('the command could not be started; 128+n when it was killed by signal n'),
    '.TP',
    bold('129'),
    esc('a noun without a verb (sase bead), or an unknown option before the command'),
  );
  out.push('.SH COMMANDS');
  for (const s of specs) out.push('.TP', manRef(`sase-${s.name}`), esc(s.summary));
  out.push(
    '.SH EXAMPLES',
    ...item(bold('sase bead ready --limit 3'), 'runs sase-bead-ready --limit 3'),
    ...item(bold('sase help bead ready'), 'shows the manual page sase-bead-ready(1)'),
    ...item(bold('sase bead --help'), 'lists the verbs of sase bead with their summaries'),
  );
  out.push('.SH SEE ALSO', ['sase(7)', 'git(1)'].map(manRef).join(', '));
  return out.join('\n') + '\n';
}

/** Record kinds named in the OUTPUT sections ('of kind "bead"', 'kind: "op"'), with the commands that print them. */
export function recordKinds(specs: CommandSpec[]): Map<string, string[]> {
  const kinds = new Map<string, string[]>();
  for (const s of specs) {
    for (const m of s.output.matchAll(/kind:? "([a-z_-]+)"/g)) {
      const list = kinds.get(m[1]!) ?? [];
      if (!list.includes(s.name)) list.push(s.name);
      kinds.set(m[1]!, list);
    }
  }
  return new Map([...kinds].sort((a, b) => a[0].localeCompare(b[0])));
}

/** A plain section of sase(7): paragraphs, and "- " lines as an indented list. */
function section(title: string, body: string): string[] {
  const out = ['.SH ' + title];
  for (const block of body
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean)) {
    if (block.startsWith('- ')) {
      for (const it of block.split(/\n- /)) out.push('.IP \\(bu 2', esc(it.replace(/^- /, '')));
    } else out.push('.PP', esc(block));
  }
  return out;
}

/** A literal block (tree layouts), kept line by line with its indentation. */
function literal(lines: string[]): string[] {
  return [
    '.PP',
    '.RS 4',
    '.nf',
    ...lines.map((l) => (l.startsWith(' ') ? '\\&' : '') + l.replace(/\\/g, '\\e').replace(/-/g, '\\-')),
    '.fi',
    '.RE',
  ];
}

/** sase(7): the data model, written once, here. Facts from ARCHITECTURE.md, FORMATS.md and the store. */
export function modelPage(specs: CommandSpec[], version: string): string {
  const out = [
    th('sase', 7, version),
    '.SH NAME',
    `sase \\- ${esc('the sase data model: the state ref, notes, records, ids and exit codes')}`,
  ];
  out.push(
    ...section(
      'DESCRIPTION',
      `sase keeps its state inside the project's git repository, in one dedicated ref, so that history is git history, sharing is git push and git fetch, and every write is atomic: a compare-and-swap on the ref. It never touches the work tree, the index or refs/heads/* to store state; it writes with git's plumbing: a small write through one git fast-import, which moves the ref only over an ancestor of the new commit under git's ref lock (a compare-and-swap for sase's linear log); the first write and bulk imports as a pack stream (unpack-objects or index-pack) followed by update-ref with the old value.

This page explains that model once. Each command's own page (see sase(1) for the list) documents its options, its OUTPUT records and its EXIT STATUS.`,
    ),
  );
  out.push(
    ...section(
      'THE STATE REF',
      `The ref refs/sase/state is a chain of commits, each one operation. The first line of a commit message is for people (sase: create sase-k3f9abcd); the body holds the operation as one JSON line in the trailer Sase-Op: {"op":"bead.create",...}. An operation records intent (what was asked), not a whole new state, so the history of the ref is the operation log: git log refs/sase/state reads it. The ref is created by sase-init(1), with a reflog, so a bad write can be undone.

The tree of each commit holds the records, sharded so that one write rewrites small trees only:`,
    ),
    ...literal([
      'VERSION                          format version ("1")',
      'settings.json                    what every clone shares: the id prefix',
      'beads/<2 chars>/<id>.json        one bead a file',
      "excerpts/<2 chars>               each shard's beads, a line each, as",
      '                                 the cache keeps them (THE LOCAL CACHE)',
      'sdd/tales/<slug>.md              plans: tales, epics and legends',
      'sdd/epics/<slug>.md',
      'sdd/legends/<slug>.md',
      'sdd/prompts/<slug>.md            the prompt each plan answers',
      'changes/<name>.cs                ChangeSpecs: one change record each',
      'changes/<name>/hooks/<h>-<c>.log the output of hook h run on commit c',
      'agents/<2 chars>/<run-id>.json   agent runs; <run-id>.prompt.md and',
      '                                 <run-id>.log beside each',
      'workflows/                       workflow runs (later)',
      'notifications/<id>.json          notifications: what wants a person',
    ]),
    ...paragraphs(
      `Records are stored canonically: JSON with sorted keys, two-space indent and a trailing newline, so that equal content gives an equal blob and line-based merges work. Nothing read from the ref is trusted: a VERSION other than the one this sase reads (or none), a ref that names anything but a commit, an entry that is not what its place holds (a record under another record's name or in another shard, a directory or a submodule link where a record file belongs), a record larger than 8 MiB, a directory (a tree object) larger than 64 MiB, and a record whose id is not the one its path names are each a fatal error (exit 128) naming the place, for readers and writers alike; sase fsck lists them all.`,
    ),
  );
  out.push(
    ...section(
      'WRITES',
      `A write reads the ref's current commit C and its tree, applies the operation as a pure function of that state (validation happens here: bad input changes nothing), writes the changed blobs and trees, makes a commit whose parent is C, and moves the ref with git update-ref refs/sase/state NEW C. That last step is a compare-and-swap and is the only lock: if another writer moved the ref meanwhile, sase reads the new state and applies the operation again, with jittered back-off, a bounded number of times (for up to 30 seconds); then it gives up with exit status 3, and it is safe to retry. A process killed at any point leaves either the old or the new commit in the ref, never a broken one. One operation may change several records in one commit.`,
    ),
  );
  out.push(
    ...section(
      'NOTES',
      `Provenance of code commits lives in git notes under refs/notes/sase: one JSON object per line on each commit that sase made or recorded, for example {"v":1,"agent":"r-9k2","bead":"sase-7m2q.1"}. One object a line lets two sides' notes merge with git notes merge -s cat_sort_uniq; git log --notes=sase shows them.

A plain git clone copies neither custom refs nor notes, so sase-init(1) adds fetch refspecs to every remote: +refs/sase/*:refs/sase-remotes/<remote>/* and +refs/notes/sase*:refs/sase-remotes/<remote>/notes*. Wildcards never make a fetch fail while the remote has no sase data yet.`,
    ),
  );
  out.push(
    ...section(
      'SHARING',
      `Clones share one state: one root commit, one history, one set of settings. settings.json at the top of the state tree, {"v":1,"prefix":"sase","created_at":"..."}, holds what every clone must agree on: the bead id prefix. The first sase init writes it in the state's first commit (its operation carries the settings, so a replay of the log rebuilds it) and no operation changes it; [beads] prefix in .sase/config.toml may repeat it, but the state's wins, and a disagreement is a warning of sase-init(1) and sase-doctor(1). A state made before settings.json takes the configured prefix (else the folder's name) until a sase init records it.

sase init in a fresh clone fetches the state of the default remote ([sync] remote in the configuration, else the current branch's upstream, else origin, else the only remote) and, when the clone has none, adopts it: refs/sase/state is set to the remote's commit, with a reflog. It never makes a second, unrelated root where the remote has one; a state that shares no history with the remote's is left alone and warned of, as sase sync refuses to join unrelated states. sase init adds no push refspecs: one would change what a bare git push pushes, and a rejected push of the state would make every push fail; the state goes to the remote with sase sync, or git push <remote> refs/sase/state refs/notes/sase. Besides remote, the [sync] table holds auto (true or false; default false) and claims (local or remote; default local), for sase sync; other keys are errors.

sase sync is how clones converge, like git pull --rebase then git push at the level of operations: it fetches the remote's state and notes; adopts, fast-forwards or pushes when one side is behind; and when both moved it replays our operations since the merge base on top of the remote's head, through the same operation functions that first applied them, then pushes with a lease on the remote's old value (another clone that pushed first makes it fetch and replay again). History stays linear and every operation of both sides stays in the log. Edits of different fields of one record both land; the same field set on both sides ends with ours, replayed last, and a sync.overwritten notification names the other side's value; records an operation wrote whole (change records, runs, plans, imports) merge field by field or three-way. An operation that no longer applies (a claim of a bead the other side claimed first, a change to a record it removed, a dependency that would now close a cycle, a change to a run another machine runs) is left out, never silently: reported on stderr, as a sync.left_out notification every clone sees, and with exit 3. A bead id minted on both sides is renamed on ours. Notes merge as cat_sort_uniq. The remote's state is checked before anything is taken from it.

Nothing syncs behind your back. With [sync] auto = true, a command that wrote runs sase sync --auto after itself, best effort (the write stands if the sync fails). With [sync] claims = "remote" (or sase bead claim --remote), a claim counts only once it is on the remote: sase bead claim, sase bead work's checkpoint and sase agent dispatch sync before anything starts, so two machines working one epic against one remote never start the same phase twice; the one that loses exits 3 (dispatch: 1) naming the holder.`,
    ),
  );
  out.push(
    ...section(
      'THE LOCAL CACHE',
      `Reading every record on every command would be slow for large projects, so reads go through a machine-local cache under $GIT_COMMON_DIR/sase/cache/. It is derived from the state ref, keyed by the format version and the tip commit, never shared, and always safe to delete. When the tip moves, git diff-tree names the changed records, only those are read again, and the derived indexes (excerpts, reverse dependencies, each bead's blocked flag, the sorted ready list) are updated.

A cold rebuild (a fresh clone, a deleted cache) does not read every record. Every write that changes beads/<shard>/ also rewrites excerpts/<shard> in the same commit: a header line naming the shard's tree ({"tree":"<id>","v":1}), then in id order one JSON array a bead: id, blob id, title, type, tier, status, priority, parent, assignee, dependencies, labels, created and updated times, satisfied references. A cold rebuild reads these files, a fifth of the bytes of the records, and reads records only for the shards whose file is missing or names another tree (one an older sase wrote) and for the beads it prints. The files are derived data in the shared ref: never edited by hand, left out when sync replays operations (the writer makes them again), and sase fsck checks each one that names its shard's tree against the records.`,
    ),
  );
  const kinds = recordKinds(specs);
  out.push(
    ...section(
      'RECORDS',
      `Commands print records as NDJSON, one JSON object a line, when standard output is not a terminal or with --json; on a terminal they print a table or card, and --format text|json|id forces one (id: one id a line, for xargs). Every record carries kind (what it is), its id (id, or name for ChangeSpecs) and v, the version of its schema. Field names are lower_snake_case and stable: adding a field is free, renaming or removing one, or changing its meaning, bumps v. Timestamps are ISO 8601 in UTC; absent values are null.

Commands that act on records take ids as arguments, or read them on standard input with --stdin, a lone '-', or when no id is given and standard input is not a terminal: bare ids one a line, or NDJSON records whose id is used, so sase-bead-ready | sase-bead-show works. A malformed line is fatal and names its line number (fatal: stdin:3: not a JSON object).

--json FIELDS (--json id,title) prints only those fields of each record, in that order; each command's JSON FIELDS section lists those it has, and a name none of its records has is a usage error (exit 129) before the command does anything.

The record kinds printed now and the commands that print them (each command's OUTPUT section lists the fields):`,
    ),
  );
  for (const [kind, names] of kinds) out.push('.TP', bold(kind), names.map((n) => manRef(`sase-${n}`)).join(', '));
  out.push(
    ...section(
      'BEADS',
      `A bead is a unit of work, stored at beads/<2 chars>/<id>.json, where the 2 characters are the first two of the id's random part.

- Ids: a top-level bead is <prefix>-<8 random base36 characters> (sase-k3f9abcd); the prefix is the state's own, settings.json (see SHARING), and for a state made before it beads.prefix in .sase/config.toml, else the repository folder's name. Random ids mean two clones practically never mint the same one. A child is <parent>.<n> (sase-k3f9abcd.1).
- Short ids: output shows the shortest unique form with at least 4 characters after the dash, as git abbreviates hashes, and JSON carries both id and short_id. Input accepts any unique prefix of the part after the dash, with or without the <prefix>-; an ambiguous one is an error naming the candidates.
- Types (issue_type): plan, phase or task. A plan has a tier: plan, epic or legend. A phase has a parent epic.
- Statuses: open -> claimed -> in_progress -> closed, and claimed -> open on release. blocked is derived, never stored: a bead is blocked while a blocker of it or of an ancestor holds it.
- Blockers: each entry of dependencies ({depends_on_id, created_at, created_by}) names a bead, which holds the bead until it is closed, or an external reference external:<project>:<capability> (a capability another project provides), which sase cannot see close. A blocker sase cannot see (an external reference, or a dependency or parent naming a bead that is not stored) holds the bead until it is marked satisfied with sase-bead-dep-satisfy(1): sase never fails open. Two optional lists, left out when empty, record them: missing, the ids among parent_id and dependencies that named no stored bead when written (sase-bead-import(1) records the beads its input leaves out; sase-fsck(1) reports these as warnings, any other dangling reference as a problem), and satisfied, [{ref, satisfied_at, satisfied_by}], the marks. A mark never speaks for a stored bead: its status decides.
- Priorities: 0 (highest) to 4; the default is 2.
- Ready: status open, not blocked, and no child that is not closed (an epic's work is its phases; it is ready to land once they are closed), ordered by priority, then creation time, then id.`,
    ),
  );
  out.push(
    ...section(
      'PLANS',
      `A plan (spec-driven development, SDD) is Markdown with YAML front matter, stored at sdd/<tier>s/<slug>.md: a tale is an ordinary plan, an epic a plan in phases that agents carry out, a legend a long plan that coordinates epics. The prompt a plan answers is stored beside it at sdd/prompts/<slug>.md. The slug is the front matter's slug, else the title in lower case with every run of other characters than letters and digits turned into one dash; it names one plan across the tiers, and storing a plan with a slug in use makes a new version of it (the log keeps every version: sase-sdd-history(1)).

- Front matter of every tier: tier, title, goal, slug, model; sase manages status, created_at, prompt and bead. A tale adds size; an epic adds phases, each with id (a slug), title, size, depends_on (earlier phases only), and optional description, model and scope (path globs); a legend adds epics, the slugs of the epics it coordinates. Unknown keys are errors.
- Statuses: draft -> approved (sase-sdd-approve(1)) -> in_progress -> done, and abandoned. Claiming or starting one of a plan's beads moves it to in_progress; closing its bead, or all of an epic's phases, to done; reopening work on a done plan back to in_progress. Each move is part of the bead write that causes it.
- Links run both ways: the plan names its prompt and its bead, the prompt names its plan, the bead's design names the plan. Approving an epic creates its epic bead and one phase bead per phase, <epic>.1, <epic>.2, ..., with dependencies from depends_on, in the same commit as the plan's new status. sase-sdd-validate(1) checks every plan and link and lists the diagnostic codes; sase-fsck(1) reports the errors among them.
- Commits that carry out a plan are recorded in the notes (below) with {"v":1,"plan":"sdd/epics/<slug>.md","bead":...}: sase-sdd-link(1).`,
    ),
  );
  out.push(
    ...section(
      'CHANGES',
      `A ChangeSpec records one CL- or PR-sized change, in text, at changes/<name>.cs: NAME, DESCRIPTION, PARENT (another change: changes form stacks), CL (the review id the provider gave it), STATUS, COMMITS, DELTAS, HOOKS, COMMENTS, MENTORS and TIMESTAMPS, in that order; sections hold 2-space entries and 6-space '| ' drawer lines, and empty sections are left out. Names are lower-case letters, digits and '_'.

- Code: each change has a branch sase/cs/<name>, started on its parent's branch or on the target branch ([review] target, main by default). COMMITS are commits of that branch, each also noted in refs/notes/sase with the change (and its bead). DELTAS sum up the change's own diff per file: + added, ~ modified, - removed, with lines added, changed and removed; a moved file is a removal and an addition.
- Statuses: WIP -> Draft or Ready; Draft -> Ready; Ready -> Mailed or Draft; Mailed -> Submitted; any status that is not final -> Archived; Submitted -> Reverted. Every move is logged in TIMESTAMPS; a refused move exits 1 and names the allowed ones.
- Hooks are commands the user wrote, run by sh -c in a temporary worktree at a recorded commit, with a time limit; each run is a drawer line (commit, time, PASSED or FAILED, duration) and its output is kept beside the change. A leading ! marks a hook whose failure does not block submitting.
- Comments come from reviewers, tools and the review provider; an open one ends in - (!: unresolved). Their ids are their positions, from 1.
- Review providers: local (mail pushes the branch to refs/sase/review/<name>, submit fast-forwards the target branch) and github (through the gh command).`,
    ),
  );
  out.push(
    ...section(
      'AGENTS',
      `An agent run is one run of a coding agent's CLI (a provider) on a prompt, recorded at agents/<2 chars>/<run-id>.json (run ids are r- and 8 base36 characters; a run may also have a name, and the newest run of a name answers to it), with the prompt as it was given to the agent (XPrompts expanded, directives applied) and, once it ended, its log beside it. sase-agent-run(1) starts runs; sase-agent-list(1), sase-agent-show(1) and sase-agent-log(1) read them.

- Providers: claude, codex, gemini, qwen and opencode are built in; [providers.<name>] in config adds or changes one: command (an argument array with {prompt}, {model} and {session} placeholders), prompt (stdin or arg), resume and env. The provider example is an example agent shipped with sase, sase-example-agent(1): it runs no model and follows scripted lines (create, append, run, commit, fail, sleep, say, noop), for sase-demo(1) and first steps. sase-doctor(1) says which providers' programs are on PATH, and warns when one's help no longer lists a flag sase passes. In a container run as root, claude starts only with IS_SANDBOX=1 in its environment: env = { IS_SANDBOX = "1" } under [providers.claude].
- Security: a provider's command is run from its argument array, never through a shell; no prompt text, name or record field is ever interpreted by one.
- Workspaces: each run works in a numbered workspace, a git worktree under $GIT_COMMON_DIR/sase/workspaces/<n> on a branch of its own (#0 is the main checkout), or where --ws or a leading #cd:, #git:, #cs:, #gh: reference says; a registry records which run holds which. Cleaning (sase-ws-clean(1)) keeps a workspace with uncommitted work or commits on no other branch unless forced.
- Statuses: queued -> running -> done, failed or killed; waiting (for runs or beads named by --wait or %wait:) -> queued when sase-agent-dispatch(1) finds every named agent done and every named bead closed. A run is supervised by a detached process (sase-agent-exec(1)) that outlives the terminal, runs the agent in a process group of its own, keeps a heartbeat, and records the end. A run whose processes are gone without a recorded end is dead: sase-agent-reap(1) records it failed. Liveness is asked of the kernel, never guessed from the heartbeat's age.
- Beads: with --bead the run claims the bead (assignee: the run id, status in_progress); on success with a commit the bead is closed, on failure released with a note, and the workspace keeps the work for sase-agent-retry(1).
- Finishing: when an agent exits with success, work it left uncommitted in its numbered workspace is committed by sase ("sase: work left uncommitted by run <id>", with Sase-Run and Sase-Bead trailers), or with [agents] on_uncommitted = "fail" the run fails and says so. A bead run that ends with no commit releases its bead with a note instead of closing it, unless the agent's output ends with the no-change marker, a final line {"sase":"noop","reason":"<why>"} (printed as it is, or as the last line of its final message): then the bead is closed with that reason. A failed run's error is its agent's last error line, with the exit code. The run's note and noop fields say what happened.
- Commits: each commit a run made gets a line in refs/notes/sase naming the run, its bead, the bead's plan and the change: {"v":1,"agent":"r-9k2m4x7q","bead":"sase-k3f9abcd.1","plan":"sdd/epics/ready-cache.md"}. A follow-up run on a change (--cs) works on the change's branch and its commits are added to the change; a mentor (sase-cs-mentor(1)) reviews a change's latest commit, and its comments are added to it.
- Fan-out: a prompt of segments separated by lines holding only --- starts one run per segment, and --fanout N starts N runs of one prompt. Directives %provider:, %model:, %name: and %wait: are taken out of a prompt and applied to its run.
- On this machine only, under $GIT_COMMON_DIR/sase/agents/: the live log, the heartbeat and the pid of each run that is going on.`,
    ),
  );
  out.push(
    ...section(
      'BEAD WORK',
      `sase-bead-work(1) works an approved epic with a team of agent runs that respects its dependencies.

- Schedule: the phases not closed, in waves: a phase joins the first wave after all its blockers inside the epic. A cycle, or a blocker outside the epic that is not closed, refuses the epic. Phases of one wave whose scope globs (the plan's phase scope) overlap run one after the other. A phase's model is its own, else the one [bead_work.models] gives its size.
- Checkpoint: one operation (agent.work) claims every phase still to do for its run, named by the phase's bead id (<epic>.<n>), puts the epic in progress for its land run (<epic>.land), and stores the runs waiting, each on the runs and beads of its blockers; the land run waits on every phase. The prompts are the XPrompts tagged work_phase_bead and land_epic, else built-in ones holding the epic, the plan, the phase and its description. Working an epic again continues: closed phases are skipped, existing runs kept, failed or killed ones retried in their workspaces with --retry-failed; no bead or run is made twice.
- Stacks: a run's record carries its stack (base, the runs it builds on, the land change). When it is dispatched its workspace starts at its blocker's branch, or at a merge of its blockers' branches made without a checkout; the land run's at every phase's work merged onto the base, recorded first as the change land_<epic> (with all the phases' commits), on which it works as a follow-up. Its success closes the epic, and so the plan is done.
- Dispatch: sase-agent-dispatch(1) starts the waiting runs whose waits are met, up to a runner limit: --jobs, [bead_work] jobs, else [axe] max_agent_runners (3), counting every run going in the repository. In the foreground sase-bead-work dispatches until the land run ends; with --detach, sase agent dispatch carries the epic on. A failed phase keeps its dependants and the land run waiting (blocked, never fail-open).
- Budgets: [budget] per_run, per_epic and per_day (a cost in the provider's currency, or "<n> tokens"), counted from the usage providers report and store on the run (usage), stop further dispatch when reached; the runs held say which budget in their wait reason.`,
    ),
  );
  out.push(
    ...section(
      'WORKFLOWS',
      `A workflow spec, .sase/workflows/<name>.toml, is a repeatable pipeline of steps: agent (a run through the providers; its output the last JSON object it printed, else its final text), bash and python (the user's script), prompt (text added to the next agent step's prompt), parallel (sub-steps run together, fail_fast optional) and approval (the run waits for sase-wf-approve(1)). Steps may set needs, if (one comparison on earlier outputs), for_each (an instance per item of a list output), timeout and retries. A spec is checked before any step runs (sase-wf-validate(1)).

- Values: {{inputs.x}} and {{steps.<id>.outputs.<key>}} are filled in agent and prompt text only; scripts get them as environment variables SASE_IN_<NAME> and SASE_STEP_<ID>_<KEY> and as the JSON file named by SASE_CONTEXT, never pasted into their text. A script's outputs are its stdout read as a JSON object, else key=value lines, else text.
- Runs: workflows/<run-id>.json in the state ref holds the inputs and every step's state (pending, running, done, failed, skipped, waiting_approval), attempts, outputs and agent runs, written as each step moves (wf.* operations). sase-wf-run(1) starts one (in the foreground, or detached under sase-wf-exec(1)); sase-wf-resume(1) carries a stopped, failed or crashed run on at the step where it stopped, never re-running a finished one. A prompt that is #!name(k=v) given to sase-agent-run(1) starts the workflow name.`,
    ),
  );
  out.push(
    ...section(
      'AXE',
      `The Axe is supervision outside any agent, driven by the user's scheduler: sase-axe-install(1) registers the repository in $XDG_CONFIG_HOME/sase/repos and writes one schedule entry (a crontab line, a systemd user timer or a launchd agent) that runs 'sase axe tick --all --for 55s' every minute. Each tick (sase-axe-tick(1)) is one short, idempotent pass: nothing to do changes nothing, and nothing is done twice.

- Lumberjacks are scheduled loops, each with an interval and its chops: waits (10s: reap dead runs, start waiting runs whose waits are met, so a detached bead work epic goes on to its land run, carry on approved workflows, notify failures and what waits for a person), hooks (30s: hooks and mentors on new commits), reviews (2m: review comments and merged reviews), sync (1m, only with [sync] remote or [sync] auto: sase sync, and the work of finished runs shared as refs/sase/work/<run-id>, so the Axes of several machines work one epic; their claims are remote claims) and housekeeping (1h: reap, clean old finished workspaces, trim, write the error digest). [axe.lumberjacks.<name>] overrides or adds one.
- Chops are executables with a JSON contract, in any language: '<chop> --context <file>', with SASE_CHOP_RESULT_FILE to write {v, status, summary, counters, launches} to; the tick launches the agent runs they propose, once per dedupe key. Built-ins ship as sase-chop-<name>; users put theirs in .sase/axe/chops/<name> or name a command in [axe.chops.<name>], with timeout, run_every, env and enabled.
- A lock in $GIT_COMMON_DIR/sase/axe/ keeps ticks of one repository from overlapping (a dead owner's lock is taken over); sase-axe-maintenance-enter(1) pauses the Axe. What the Axe remembers (the last tick, each lumberjack's and chop's runs with their context, result and log) stays on the machine, never in the state ref; its effects on records are ordinary operations. sase-axe-status(1) tells whether it is healthy.`,
    ),
  );
  out.push(
    ...section(
      'ACE',
      `sase-ace(1) is the one screen over everything: lists of beads, plans, changes, agents, workflows and notifications that a query narrows as it is typed (fzf's extended search with fzf's v1 scores, beside field filters such as status:open or unread), a preview of the record under the cursor, and Alt-key actions that run the very commands a person would type (claim, close with a reason, approve, edit in $EDITOR, diff in $PAGER, submit, kill, retry, resume, act, snooze, ...), which [ace.keys] in the configuration can move. It follows the state ref as others change it and runs Axe ticks in the background. --filter prints the matches without a screen and --pick prints the chosen records, so it sits in pipelines. The beads' rows are kept in the cache folder for the tip they were made at (ace-beads.json), so a screen opening on a state it has seen reads no bead table.`,
    ),
  );
  out.push(
    ...section(
      'NOTIFICATIONS',
      `A notification is what sase wants a person to see, recorded at notifications/<id>.json (ids are n- and 8 random base36 characters): {v, kind: "notification", id, type, severity, title, body, about, action, created_at, host, state, snoozed_until}. sase-notify-list(1), sase-notify-show(1), sase-notify-read(1), sase-notify-dismiss(1) and sase-notify-snooze(1) read and move them, and sase-notify-act(1) does what one asks (approves the plan or the workflow step, retries or resumes the run, shows the record) and marks it read; input takes any unique prefix of the part after n-, with or without it. With [notify] desktop = true in the configuration, new notifications the Axe makes are also shown on the desktop (notify-send or osascript, when present).

- Types: sync.overwritten and sync.left_out (written by sase sync: a value of the other side's that ours, replayed later, replaced; an operation of ours that no longer applied and was left out), and run.failed, phase.failed, plan.waiting, workflow.waiting, change.comments, change.submitted and axe.digest. Severity: info, warning or error.
- about lists the records it concerns, as {kind, id} ({"kind":"bead","id":"sase-k3f9abcd"}); action is null or the one thing to do about it, {verb, target} with the verb approve, retry, resume or show.
- States: unread, read and dismissed; snoozed_until, when still to come, hides it as dismissing does. The default list leaves out dismissed and snoozed ones. A notification is created by a notify.create operation that carries the whole record (or inside the commit of the operation that caused it, which names its path), moved by notify.state operations ({ids, state, snoozed_until}) and snoozed by notify.snooze operations ({ids, until}; until null ends the snooze), so the log replays them and sync carries them between clones.`,
    ),
  );
  out.push(
    ...section(
      'EXIT STATUS',
      `Every command follows git's convention, plus two codes that scripts need to tell apart:`,
    ),
  );
  const codes: Array<[number, string]> = [
    [0, 'done (an empty list is success)'],
    [
      1,
      'a negative answer or a partial failure: validation found problems, a hook or an agent failed, some items of a batch failed',
    ],
    [3, 'conflict: a claim was lost or the state ref kept moving after the retries; safe to retry'],
    [4, 'not found: no such bead, plan, change, run, workspace or ref'],
    [
      128,
      'fatal: not a git repository, git missing, corrupt state, malformed input data (JSON, front matter, ChangeSpec text, TOML)',
    ],
    [129, 'usage: unknown option, missing argument, bad value'],
  ];
  for (const [code, text] of codes) out.push('.TP', bold(String(code)), esc(text));
  out.push(
    ...paragraphs(
      `Messages go to standard error in git's style: a prefix (fatal:, error:, warning:, hint:, usage:), lower case, the subject in single quotes, for example error: no bead 'sase-zz9'. A failed command changes nothing.`,
    ),
  );
  out.push('.SH ENVIRONMENT');
  out.push(
    ...item(bold('SASE_DEBUG'), 'set to 1 to print a stack trace with an unexpected error (BUG:)'),
    ...item(
      bold('SASE_NOW'),
      'an ISO 8601 time that pins the clock, for tests and demos; timestamps written are that time',
    ),
    ...item(
      bold('NO_COLOR'),
      'when set and not empty, no colours in text output (as --no-color); --color=always still colours',
    ),
    ...item(
      bold('FORCE_COLOR'),
      "when set and not empty, colours in text output even when it is not a terminal; '0' or 'false' turns them off. NO_COLOR and --color=never win over it",
    ),
    ...item(
      bold('TZ'),
      'the time zone of times shown on a terminal (cards give local time with the offset, tables how long ago); JSON records are always UTC',
    ),
    ...item(
      bold('XDG_CONFIG_HOME'),
      "user defaults are read from $XDG_CONFIG_HOME/sase/config.toml (else ~/.config/sase/config.toml), under the project's .sase/config.toml",
    ),
  );
  out.push('.SH FILES');
  out.push(
    ...item(
      bold('.sase/config.toml'),
      'project configuration, versioned with the project (beads.prefix, sync.remote, sync.auto, sync.claims, agents.provider, agents.model, agents.on_uncommitted, providers, ...); unknown keys are errors',
    ),
    ...item(
      bold('$GIT_COMMON_DIR/sase/'),
      'machine-local runtime data: the derived cache, the workspace registry, the live logs and heartbeats of agent runs (agents/); never shared',
    ),
    ...item(
      bold('$GIT_COMMON_DIR/sase/workspaces/'),
      'the numbered workspaces of agent runs, git worktrees (the root is [workspace] root in config)',
    ),
  );
  out.push('.SH SEE ALSO', ['sase', 'sase-init', 'git-update-ref', 'git-notes'].map(manRef).join(', '));
  return out.join('\n') + '\n';
}
