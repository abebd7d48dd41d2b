// The top-level fields of each record a command prints, so `--json FIELDS`
// can be checked before the command runs (a write with a misspelt field
// changes nothing). Each list is held to its record's type by the compiler:
// a field the type has and the list lacks, or the other way round, fails the
// build (fieldsOf).

import type { AgentRecord, AgentShowRecord, DispatchRecord } from './agent.ts';
import type { AxeInstallRecord, AxeUninstallRecord } from './axe.ts';
import type {
  axeStatusToWire,
  chopRunToWire,
  chopToWire,
  lumberjackToWire,
  maintenanceToWire,
  tickToWire,
} from './axe-state.ts';
import type {
  BeadRecord,
  BeadShowRecord,
  BlockedBeadRecord,
  DepNodeRecord,
  ImportRecord,
  RemovedRecord,
} from './bead.ts';
import type {
  ChangeRecord,
  CommentRecord,
  DeltaRecord,
  HookRunRecord,
  ListedChangeRecord,
  MailedChangeRecord,
  MentorRecord,
  RebasedChangeRecord,
  RevertedChangeRecord,
  StackedChangeRecord,
  SubmittedChangeRecord,
} from './change.ts';
import type { OpRecord } from './log.ts';
import type { NotificationRecord, NotifyActRecord } from './notification.ts';
import type {
  DiagnosticRecord,
  ExportedFileRecord,
  InvalidPlanRecord,
  InvalidPromptRecord,
  LinkRecord,
  PlanRecord,
  PlanShowRecord,
  PlanVersionRecord,
  PromptRecord,
} from './plan.ts';
import type { CheckRecord, FsckRecord, InitRecord, ProblemRecord, warningToWire } from './repo.ts';
import type { SyncRecord, SyncStatusRecord } from './sync.ts';
import type { WorkRecord } from './work.ts';
import type { WfRunRecord, WorkflowRecord } from './workflow.ts';
import type { WorkspaceRecord, WsCleanRecord } from './workspace.ts';
import type { ExpansionRecord, XPromptRecord } from './xprompt.ts';

/** Words<'a b c'> is ['a', 'b', 'c']. */
type Words<S extends string, Acc extends string[] = []> = S extends `${infer W} ${infer Rest}`
  ? Words<Rest, [...Acc, W]>
  : [...Acc, S];

/** unknown when the names are exactly T's fields; else what is wrong, for the compiler to say. */
type Exactly<T, N extends string> = [Exclude<N, keyof T>] extends [never]
  ? [Exclude<keyof T, N>] extends [never]
    ? unknown
    : { unlisted: Exclude<keyof T, N> }
  : { unknown: Exclude<N, keyof T> };

/**
 * `fieldsOf<R>()('v kind id ...')`: the top-level fields of R, in the order
 * its serializer writes them; the compiler refuses a name R lacks (naming it
 * as `unknown`) and a list that leaves one of R's out (as `unlisted`).
 */
function fieldsOf<T>() {
  return <const S extends string>(names: S & Exactly<T, Words<S>[number]>): Words<S> => names.split(' ') as Words<S>;
}

// the fields of the records others extend
const AGENT =
  'v kind id name provider model status recorded_status dead alive prompt_path ws_ref workspace bead close_bead changespec mentor waits wait_reason pid host heartbeat_at created_at seq started_at ended_at seconds exit_code signal error note noop timeout commits retry_of resume_of session usage log_bytes';
const BEAD =
  'v kind id short_id title issue_type tier parent_id status priority assignee owner size model labels links dependencies description notes design created_at created_by updated_at closed_at close_reason resolution close_history missing satisfied blocked';
const CHANGE =
  'v kind id name description parent cl status branch commits deltas hooks comments unresolved mentors timestamps';
const PLAN =
  'v kind id path slug tier title goal status bead prompt model size phases epics created_at updated_at body';
const PROBLEM = 'v kind check path id commit message';

/** The records commands print, by the name a command's spec gives them (`prints`). */
export const RECORD_FIELDS = {
  agent: fieldsOf<AgentRecord>()(AGENT),
  'agent-show': fieldsOf<AgentShowRecord>()(`${AGENT} prompt`),
  dispatch: fieldsOf<DispatchRecord>()('v kind id name action reason dry_run run'),
  'axe-install': fieldsOf<AxeInstallRecord>()(
    'v kind id repo registered repos scheduler chosen_by every for command entry changed enabled removed log dry_run',
  ),
  'axe-uninstall': fieldsOf<AxeUninstallRecord>()('v kind id repo unregistered repos removed dry_run'),
  'axe-status': fieldsOf<ReturnType<typeof axeStatusToWire>>()(
    'v kind repository health problems registered registry scheduler maintenance lock last_tick lumberjacks chops',
  ),
  'axe-tick': fieldsOf<ReturnType<typeof tickToWire>>()(
    'v kind repository action reason at lumberjacks chops next_due_at notes',
  ),
  'axe-maintenance': fieldsOf<ReturnType<typeof maintenanceToWire>>()('v kind active reason since owner cleared'),
  chop: fieldsOf<ReturnType<typeof chopToWire>>()(
    'v kind name where problem timeout run_every enabled lumberjacks last_run_at last_status last_summary last_run_id',
  ),
  'chop-run': fieldsOf<ReturnType<typeof chopRunToWire>>()(
    'v kind chop lumberjack run_id at seconds how status summary counters launched dir',
  ),
  lumberjack: fieldsOf<ReturnType<typeof lumberjackToWire>>()(
    'v kind name interval chops enabled last_run_at last_status last_summary next_due_at',
  ),
  bead: fieldsOf<BeadRecord>()(BEAD),
  'bead-blocked': fieldsOf<BlockedBeadRecord>()(`${BEAD} blocked_by`),
  'bead-show': fieldsOf<BeadShowRecord>()(`${BEAD} open_blockers parent children blockers dependants runs`),
  'dep-node': fieldsOf<DepNodeRecord>()('v kind id depth via status title missing external satisfied cycle repeat'),
  removed: fieldsOf<RemovedRecord>()('v kind id'),
  import: fieldsOf<ImportRecord>()('v kind created updated unchanged skipped warnings warned commit'),
  change: fieldsOf<ChangeRecord>()(CHANGE),
  'change-stacked': fieldsOf<StackedChangeRecord>()(`${CHANGE} stack`),
  'change-listed': fieldsOf<ListedChangeRecord>()(`${CHANGE} depth`),
  'change-mailed': fieldsOf<MailedChangeRecord>()(`${CHANGE} mailed`),
  'change-reverted': fieldsOf<RevertedChangeRecord>()(`${CHANGE} reverted`),
  'change-submitted': fieldsOf<SubmittedChangeRecord>()(`${CHANGE} submitted overridden restacked`),
  'change-rebased': fieldsOf<RebasedChangeRecord>()(`${CHANGE} rebase`),
  comment: fieldsOf<CommentRecord>()('v kind id change n author path line text resolved'),
  delta: fieldsOf<DeltaRecord>()('v kind id changespec op path added changed removed'),
  'hook-run': fieldsOf<HookRunRecord>()(
    'v kind id change hook command blocking commit sha result at seconds exit_code timed_out output_bytes log',
  ),
  mentor: fieldsOf<MentorRecord>()(
    'v kind id change profile commit sha status run run_name run_status error workspace comments',
  ),
  op: fieldsOf<OpRecord>()('v kind id op subjects summary actor at commit'),
  notification: fieldsOf<NotificationRecord>()(
    'v kind id type severity title body about action created_at host state snoozed_until',
  ),
  'notify-act': fieldsOf<NotifyActRecord>()('v kind id verb target subject command dry_run results state'),
  plan: fieldsOf<PlanRecord>()(PLAN),
  'plan-invalid': fieldsOf<InvalidPlanRecord>()(`${PLAN} diagnostics`),
  'plan-show': fieldsOf<PlanShowRecord>()(`${PLAN} prompt_record bead_record phase_beads epic_plans commits`),
  prompt: fieldsOf<PromptRecord>()('v kind id path slug plan created_at updated_at body'),
  'prompt-invalid': fieldsOf<InvalidPromptRecord>()(
    'v kind id path slug plan created_at status updated_at body diagnostics',
  ),
  diagnostic: fieldsOf<DiagnosticRecord>()('v kind code severity path line message'),
  'plan-version': fieldsOf<PlanVersionRecord>()('v kind id commit path op actor at summary status blob patch'),
  link: fieldsOf<LinkRecord>()('v kind id commit subject plan bead phase added'),
  file: fieldsOf<ExportedFileRecord>()('v kind id path source'),
  init: fieldsOf<InitRecord>()(
    'v kind id state_ref tip created adopted_from remote remote_state prefix settings_created config config_created refspecs_added',
  ),
  problem: fieldsOf<ProblemRecord>()(PROBLEM),
  warning: fieldsOf<ReturnType<typeof warningToWire>>()(PROBLEM),
  fsck: fieldsOf<FsckRecord>()('v kind id ok tip beads operations problems warnings'),
  check: fieldsOf<CheckRecord>()('v kind id what ok needed detail version path'),
  sync: fieldsOf<SyncRecord>()(
    'v kind remote action fetched replayed same left_out overwritten renamed pushed tip remote_tip notes notes_pushed dry_run attempts',
  ),
  'sync-status': fieldsOf<SyncStatusRecord>()('v kind remote ahead behind tip remote_tip related fetched last_sync'),
  work: fieldsOf<WorkRecord>()(
    'v kind id epic bead plan title land wave blockers after model size bead_status run_id run_status started_at ended_at error changespec',
  ),
  workflow: fieldsOf<WorkflowRecord>()(
    'v kind id name path source valid problems description provider model inputs steps order',
  ),
  'workflow-run': fieldsOf<WfRunRecord>()(
    'v kind id workflow source status recorded_status dead alive error waiting_on next inputs provider model pid host resumes created_at seq updated_at ended_at seconds steps',
  ),
  workspace: fieldsOf<WorkspaceRecord>()('v kind id n path branch base run state created_at source ref exists dirty'),
  'ws-clean': fieldsOf<WsCleanRecord>()('v kind id n path action reason dry_run'),
  xprompt: fieldsOf<XPromptRecord>()('v kind id name path source description inputs tags body'),
  expansion: fieldsOf<ExpansionRecord>()('v kind id text directives segments trace'),
} as const;

/** A name of a record commands print. */
export type RecordShape = keyof typeof RECORD_FIELDS;
