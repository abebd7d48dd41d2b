// What a review provider (review-local.ts: pure git; review-github.ts: the
// gh CLI) does outside the records, for review.ts to check before and record
// after.

import type { NewComment } from '../../core/changes/comments.ts';
import type { ReviewConfig } from '../../core/changes/review.ts';
import type { ChangeSpec } from '../../core/changes/spec.ts';
import type { BranchCommit } from '../../git/branches.ts';
import type { Store } from '../../store/store.ts';

/** Something done outside the records, and how to take it back. */
export type Undo = () => Promise<void>;

export interface MailResult {
  cl: string;
  /** the commit mailed */
  commit: string;
  /** what mail did, for the user: 'pushed to refs/sase/review/x', 'opened https://...' */
  did: string[];
  undo: Undo;
}

export interface LandInput {
  change: ChangeSpec;
  cfg: ReviewConfig;
  /** the change's branch tip */
  tip: string;
  /** what the change's own commits are counted from */
  upstream: string;
  descendants: ChangeSpec[];
}

export interface Restack {
  name: string;
  /** null: not rebased (see reason) */
  from: string | null;
  to: string | null;
  onto: string;
  reason?: string;
  before: BranchCommit[];
  after: BranchCommit[];
}

export interface LandResult {
  /** the target branch before and after */
  from: string | null;
  to: string | null;
  /** the change's commits before and after landing (when known) */
  before: BranchCommit[];
  after: BranchCommit[];
  restacks: Restack[];
  event: string;
  did: string[];
  undo: Undo;
}

/** What a poll of a mailed change's review found (sase axe's reviews chop). */
export interface ReviewState {
  /** merged: it landed on the target; closed: given up without landing */
  state: 'open' | 'merged' | 'closed';
  /** the review's comments, every one (the caller keeps the new ones) */
  comments: NewComment[];
  /** the TIMESTAMPS event of a merge or close ('' while open) */
  event: string;
}

export interface Provider {
  mail(store: Store, c: ChangeSpec, cfg: ReviewConfig, tip: string, parent: ChangeSpec | null): Promise<MailResult>;
  land(store: Store, input: LandInput): Promise<LandResult>;
  revert?(
    store: Store,
    c: ChangeSpec,
    cfg: ReviewConfig,
  ): Promise<{ from: string; to: string; event: string; did: string[]; undo: Undo }>;
  comments?(store: Store, c: ChangeSpec): Promise<NewComment[]>;
  /** reads the review's state (and comments) without changing anything */
  poll(store: Store, c: ChangeSpec, cfg: ReviewConfig): Promise<ReviewState>;
}
