/**
 * Drizzle's view of the tables, one file per area. The SQL in ../migrations is the source of
 * truth for the database (constraints, triggers, indexes); these files mirror the columns.
 */
export * from './foundation.js';
export * from './kb.js';
export * from './tickets.js';
export * from './sla.js';
export * from './sla-escalation.js';
export * from './attachments.js';
export * from './mail.js';
export * from './portal.js';
export * from './ticket-rules.js';
export * from './surveys.js';
export * from './survey-invitations.js';
export * from './kpi.js';
export * from './qa.js';
export * from './mail-channel.js';
export * from './chat.js';
export * from './calls.js';
export * from './kb-search.js';
export * from './alerts.js';
