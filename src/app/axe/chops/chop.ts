// A chop built into sase: the same code answers in the tick's own process
// (nothing to do costs no process start) and as the executable
// sase-chop-<name> (a user, or the tick when there is work and the chop must
// be killable past its timeout, runs it with --context <file>).
import type { ChopContext } from '../../../core/axe/context.ts';
import type { ChopResult } from '../../../core/axe/result.ts';
import type { Store } from '../../../store/store.ts';
import type { LaunchEnv } from '../../agents/launch.ts';

export interface ChopRun {
  store: Store;
  context: ChopContext;
  /** for starting runs and writing records: cwd, environment, time, randomness */
  env: LaunchEnv;
  /** aborted past the chop's timeout: stop soon, kill what was started */
  signal: AbortSignal;
  /** a line for the chop's log (kept in its history) */
  log(line: string): void;
}

export interface BuiltinChop {
  name: string;
  /** one line for `sase axe chop list` and the man page */
  summary: string;
  /**
   * A cheap look, in the tick's process: a result when there is nothing to do
   * (no_op), or null when `run` has work. Without it, `run` is always called.
   */
  idle?(run: ChopRun): Promise<ChopResult | null>;
  run(run: ChopRun): Promise<ChopResult>;
  /**
   * true: when `idle` says there is work, the tick runs sase-chop-<name> in a
   * process group of its own, killed past the timeout (a chop that runs
   * hooks, gh or git over the network); false: `run` runs in the tick's process.
   */
  isolated: boolean;
}
