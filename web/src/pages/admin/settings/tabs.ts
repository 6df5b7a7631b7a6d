/** The settings tabs, each shown to whoever has its ability (the menu uses the same list). */
export const SETTINGS_TABS = [
  { key: 'tickets', ability: 'ticketSettings.manage' },
  { key: 'attachments', ability: 'attachmentSettings.manage' },
  { key: 'mail', ability: 'mail.read' },
  { key: 'inbound', ability: 'mail.configure' },
  { key: 'mailTemplates', ability: 'mail.templates' },
  { key: 'deadLetters', ability: 'mail.dead_letters' },
  { key: 'portal', ability: 'portal.settings.update' },
  { key: 'sla', ability: 'sla.settings.write' },
  { key: 'kb', ability: 'kb.feedback.manage' },
] as const;

export type SettingsTab = (typeof SETTINGS_TABS)[number]['key'];
