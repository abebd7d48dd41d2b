// ACE's lists, in the order Tab goes through them.
export const ACE_TABS = ['beads', 'plans', 'changes', 'agents', 'workflows', 'notifications'] as const;
export type AceTab = (typeof ACE_TABS)[number];
