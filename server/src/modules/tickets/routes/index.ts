import type { FastifyInstance } from 'fastify';
import { ticketAdminRoutes } from './admin.js';
import { assignmentRuleRoutes } from './assignment-rules.js';
import { ticketCoreRoutes } from './core.js';
import { ticketFieldRoutes } from './custom-fields.js';
import { handlingPlanRoutes } from './handling-plans.js';
import { notificationRoutes } from './notifications.js';
import { portalRoutes } from './portal.js';
import { ticketRelationRoutes } from './relations.js';
import { savedViewRoutes } from './saved-views.js';
import { ticketSplitRoutes } from './split.js';
import { ticketWorkRoutes } from './work.js';

/** Every route of the tickets area (one registration line in app.ts). */
export async function ticketsRoutes(app: FastifyInstance) {
  await app.register(ticketCoreRoutes);
  await app.register(ticketWorkRoutes);
  await app.register(ticketRelationRoutes);
  await app.register(ticketAdminRoutes);
  await app.register(notificationRoutes);
  await app.register(portalRoutes);
  await app.register(ticketFieldRoutes);
  await app.register(assignmentRuleRoutes);
  await app.register(savedViewRoutes);
  await app.register(ticketSplitRoutes);
  await app.register(handlingPlanRoutes);
}
