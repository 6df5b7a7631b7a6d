/** Tabs of the configurable-lists page, each shown to whoever has its ability (menu too). */
export const LIST_TABS = [
  { key: 'kb-categories', ability: 'kb.categories.write' },
  { key: 'ticket-categories', ability: 'ticketCategories.manage' },
  { key: 'phrases', ability: 'kb.categories.write' },
] as const;

export type ListTab = (typeof LIST_TABS)[number]['key'];
