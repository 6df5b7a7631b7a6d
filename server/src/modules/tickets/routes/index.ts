import type { FastifyInstance } from 'fastify';
import { ticketAdminRoutes } from './admin.js';
import { ticketCoreRoutes } from './core.js';
import { notificationRoutes } from './notifications.js';
import { portalRoutes } from './portal.js';
import { ticketRelationRoutes } from './relations.js';
import { ticketWorkRoutes } from './work.js';

/** Every route of the tickets area (one registration line in app.ts). */
export async function ticketsRoutes(app: FastifyInstance) {
  await app.register(ticketCoreRoutes);
  await app.register(ticketWorkRoutes);
  await app.register(ticketRelationRoutes);
  await app.register(ticketAdminRoutes);
  await app.register(notificationRoutes);
  await app.register(portalRoutes);
}
