import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dataOf } from '../../lib/http.js';
import { slaPolicy } from './policy.js';
import { riskBoard, riskBoardQuery, riskBoardSchema } from './risk-board.js';

/** The supervisors' risk board (docs/sla.md, "Web"). */
export async function slaRiskRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;

  r.get('/sla/risk-board', {
    config: { permission: slaPolicy.riskBoard },
    schema: {
      tags: ['sla'],
      summary: 'Clocks about to breach and breached, counted per team and listed by due time',
      querystring: riskBoardQuery,
      response: { 200: dataOf(riskBoardSchema) },
    },
    handler: async (req) => ({ data: await riskBoard(db, req.query, clock.now()) }),
  });
}
