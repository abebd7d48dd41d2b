// What a chop is told when it runs: the JSON file named by `--context`. Pure.
import type { ChopResult } from './result.ts';

export interface ChopContext {
  v: 1;
  /** the repository's main work tree (absolute), where the chop runs */
  repository: string;
  /** git's common directory of the repository */
  git_dir: string;
  /** the lumberjack the chop runs for ('manual' for `sase axe chop run`) */
  lumberjack: string;
  chop: string;
  /** this run's id (sortable: '20261202T061500Z-k3f9') */
  run_id: string;
  /** when the tick started it (ISO UTC) */
  at: string;
  /** the previous run of this chop on this machine: when, and what it answered; null the first time */
  previous: { run_id: string; at: string; result: ChopResult } | null;
  /** a dry run: the chop reports what it would do and writes nothing */
  dry_run: boolean;
  /** records the chop is asked to look at only (ids); empty for all */
  targets: string[];
  /** where to write the result (also in SASE_CHOP_RESULT_FILE) */
  result_file: string;
}
