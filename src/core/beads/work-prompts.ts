// The prompts of `sase bead work`: a phase's (the XPrompt tagged
// `work_phase_bead`, else the built-in below), a land run's (`land_epic`)
// and a task's (`work_task_bead`). Each is a body with {{placeholders}}
// filled from the bead, its epic and its plan. Pure.

export const PHASE_TAG = 'work_phase_bead';
export const LAND_TAG = 'land_epic';
export const TASK_TAG = 'work_task_bead';

export const BUILTIN_BODIES: Record<string, string> = {
  [PHASE_TAG]: `You are working one phase of an epic, in a checkout of its own.

Epic: {{epic}} ({{epic_title}})
Plan: {{plan}}
Phase: {{bead}} ({{title}})
Blockers done before you, whose work this checkout holds: {{blockers}}

{{description}}

Do this phase only. Commit your work with clear messages as you go. When the phase is done, exit with success: sase records your commits and closes the bead {{bead}}. If you cannot finish, say why and exit with failure: the bead is released and your work stays in this workspace for a retry. If the phase needs no change at all, say why in the last line of your output, exactly as {"sase":"noop","reason":"<why>"}: a run that ends without a commit otherwise leaves the bead open.
`,
  [LAND_TAG]: `You are landing an epic: every phase is done, and this checkout holds all their work merged.

Epic: {{epic}} ({{epic_title}})
Plan: {{plan}}
Phases: {{phases}}
Change: {{change}}

Check that the merged work builds and its tests pass; fix what the merge broke, and commit. Your commits are added to the change {{change}}, to be reviewed, mailed and submitted. When you exit with success, the epic {{epic}} is closed.
`,
  [TASK_TAG]: `You are working one task, in a checkout of its own.

Task: {{bead}} ({{title}})

{{description}}

Commit your work with clear messages. When the task is done, exit with success: sase records your commits and closes the bead {{bead}}. If the task needs no change at all, say why in the last line of your output, exactly as {"sase":"noop","reason":"<why>"}: a run that ends without a commit otherwise leaves the bead open.
`,
};
