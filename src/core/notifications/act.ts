// What `sase notify act` makes of a notification's action: its target read as
// the record it names (a plan, a workflow run or one of its steps, an agent
// run, a bead, a change, a notification), and the sase command that does the
// same as the verb. Pure: whether the record exists is the caller's to ask.
import { isRunId } from '../agents/run.ts';
import { isValidId } from '../beads/model.ts';
import { isValidChangeName } from '../changes/spec.ts';
import { RefusedError, withHint } from '../errors.ts';
import { parseSddPath } from '../sdd/paths.ts';
import { isWfRunId } from '../workflows/run.ts';
import { isStepId } from '../workflows/spec.ts';
import { type About, type ActionVerb, isNotificationId, type Notification } from './model.ts';

/** The record an action's target names. */
export type ActSubject =
  | { kind: 'plan'; path: string }
  | { kind: 'workflow_step'; run: string; step: string }
  | { kind: 'workflow_run'; id: string }
  | { kind: 'run'; id: string }
  | { kind: 'bead'; id: string }
  | { kind: 'change'; name: string }
  | { kind: 'notification'; id: string };

/** What acting on a notification does: its verb, on the subject its target names, as the sase command would. */
export interface ActStep {
  notification: string;
  verb: ActionVerb;
  target: string;
  subject: ActSubject;
  /** the sase command that does the same, as its words ('sase', 'sdd', 'approve', <path>) */
  command: string[];
}

/**
 * The record a target names, by its form: r-<8> a run, w-<8> a workflow run,
 * w-<8>/<step> one of its steps, sdd/<tier>s/<slug>.md a plan, n-<8> a
 * notification, a name of lower-case letters, digits and '_' a change, and
 * <prefix>-<hash> a bead. Null for anything else.
 */
export function actSubject(target: string): ActSubject | null {
  if (isRunId(target)) return { kind: 'run', id: target };
  if (isWfRunId(target)) return { kind: 'workflow_run', id: target };
  if (isNotificationId(target)) return { kind: 'notification', id: target };
  const slash = target.indexOf('/');
  if (slash > 0 && isWfRunId(target.slice(0, slash)) && isStepId(target.slice(slash + 1)))
    return { kind: 'workflow_step', run: target.slice(0, slash), step: target.slice(slash + 1) };
  const sdd = parseSddPath(target);
  if (sdd && sdd.dir !== 'prompts') return { kind: 'plan', path: target };
  if (isValidChangeName(target)) return { kind: 'change', name: target };
  if (isValidId(target)) return { kind: 'bead', id: target };
  return null;
}

/** A subject as {kind, id}, as a notification's about names records. */
export function subjectRef(s: ActSubject): About {
  switch (s.kind) {
    case 'plan':
      return { kind: s.kind, id: s.path };
    case 'workflow_step':
      return { kind: s.kind, id: `${s.run}/${s.step}` };
    case 'change':
      return { kind: s.kind, id: s.name };
    default:
      return { kind: s.kind, id: s.id };
  }
}

/** The command of each verb on each subject it takes; what a verb cannot take is missing. */
function commandOf(verb: ActionVerb, s: ActSubject): string[] | null {
  switch (verb) {
    case 'approve':
      if (s.kind === 'plan') return ['sdd', 'approve', s.path];
      if (s.kind === 'workflow_step') return ['wf', 'approve', s.run, s.step, '--resume', '--detach'];
      return null;
    case 'retry':
      if (s.kind === 'run') return ['agent', 'retry', s.id, '--detach'];
      if (s.kind === 'workflow_run') return ['wf', 'resume', s.id, '--detach'];
      return null;
    case 'resume':
      if (s.kind === 'run') return ['agent', 'resume', s.id, '--detach'];
      if (s.kind === 'workflow_run') return ['wf', 'resume', s.id, '--detach'];
      return null;
    case 'show':
      switch (s.kind) {
        case 'plan':
          return ['sdd', 'show', s.path];
        case 'workflow_step':
          return ['wf', 'status', s.run];
        case 'workflow_run':
          return ['wf', 'status', s.id];
        case 'run':
          return ['agent', 'show', s.id];
        case 'bead':
          return ['bead', 'show', s.id];
        case 'change':
          return ['cs', 'show', s.name];
        case 'notification':
          return ['notify', 'show', s.id];
      }
  }
}

/** What each verb takes, for the refusal of a target it cannot take. */
const TAKES: Record<ActionVerb, string> = {
  approve: "a plan (sdd/<tier>s/<slug>.md) or a workflow run's step (w-<id>/<step>)",
  retry: 'an agent run (r-<id>) or a workflow run (w-<id>)',
  resume: 'an agent run (r-<id>) or a workflow run (w-<id>)',
  show: 'a run, a workflow run, a plan, a bead, a change or a notification',
};

/**
 * What acting on `n` does; refused (exit 1) for a notification without an
 * action, or one whose target its verb cannot take.
 */
export function actStep(n: Notification): ActStep {
  if (!n.action)
    throw withHint(
      new RefusedError(`notification '${n.id}' has no action`),
      `'sase notify show ${n.id}' shows it; 'sase notify read ${n.id}' marks it read`,
    );
  const { verb, target } = n.action;
  const subject = actSubject(target);
  const command = subject && commandOf(verb, subject);
  if (!subject || !command)
    throw new RefusedError(`notification '${n.id}' asks to ${verb} '${target}', which is not ${TAKES[verb]}`);
  return { notification: n.id, verb, target, subject, command: ['sase', ...command] };
}
