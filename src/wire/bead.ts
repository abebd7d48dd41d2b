// The JSON form of a bead on pipes (version 1). Built field by field from the
// stored record, so the stored shape can change without breaking scripts.
import type { Bead } from '../core/beads/model.ts';

export interface WireBeadExtra {
  blocked?: boolean;
  blockers?: string[];
}

export function beadToWire(b: Bead, shortId: string, extra: WireBeadExtra = {}): Record<string, unknown> {
  return {
    v: 1,
    kind: 'bead',
    id: b.id,
    short_id: shortId,
    title: b.title,
    issue_type: b.issue_type,
    tier: b.tier,
    parent_id: b.parent_id,
    status: b.status,
    priority: b.priority,
    assignee: b.assignee,
    owner: b.owner,
    size: b.size,
    model: b.model,
    labels: b.labels,
    links: b.links,
    dependencies: b.dependencies,
    description: b.description,
    notes: b.notes,
    design: b.design,
    created_at: b.created_at,
    created_by: b.created_by,
    updated_at: b.updated_at,
    closed_at: b.closed_at,
    close_reason: b.close_reason,
    resolution: b.resolution,
    close_history: b.close_history,
    ...extra,
  };
}

/** A bead as another record refers to it (show's parent, children, blockers). */
export function beadRef(b: Bead, shortId: string): Record<string, unknown> {
  return {
    id: b.id,
    short_id: shortId,
    title: b.title,
    status: b.status,
    issue_type: b.issue_type,
    priority: b.priority,
  };
}
