import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../context.js';
import { dataOf, pageOf } from '../../lib/http.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import {
  articleHistory,
  createArticle,
  editVersion,
  listArticles,
  listVersions,
  updateArticle,
} from './articles.js';
import { createCategory, listCategories, reorderCategories, updateCategory } from './categories.js';
import { citationRoutes } from './routes-citations.js';
import { helpRoutes } from './routes-help.js';
import { reviewRoutes } from './routes-review.js';
import { searchRoutes } from './routes-search.js';
import { kbSettingsRoutes } from './settings-routes.js';
import { kbDictionaryRoutes } from './routes-dictionary.js';
import { kbPolicy } from './policy.js';
import { articleView, versionView } from './presenters.js';
import {
  articleSchema,
  categorySchema,
  createArticleBody,
  createCategoryBody,
  eventSchema,
  idParams,
  listArticlesQuery,
  reorderCategoriesBody,
  updateArticleBody,
  updateCategoryBody,
  updateVersionBody,
  versionSchema,
} from './schemas.js';
import { detectSearchCapabilities } from './search/service.js';

/** Knowledge base and the service manual (SPEC 5): staff routes, then the public help centre. */
export async function kbRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const tags = ['kb'];

  const caps = await detectSearchCapabilities(db);
  app.log.debug(
    { trigram: caps.trigram },
    caps.trigram
      ? 'kb search: pg_trgm available (typo-tolerant titles)'
      : 'kb search: pg_trgm not available, full-text and prefix matching only',
  );

  r.get('/kb/categories', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Category tree (flat, by position)',
      response: { 200: dataOf(z.array(categorySchema)) },
    },
    handler: async () => ({ data: await listCategories(db) }),
  });

  r.post('/kb/categories', {
    config: { permission: kbPolicy.categories },
    schema: {
      tags,
      summary: 'Create a category',
      body: createCategoryBody,
      response: { 201: dataOf(categorySchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await createCategory(db, req.auditContext(), requireActor(req.actor), req.body),
      }),
  });

  r.post('/kb/categories/reorder', {
    config: { permission: kbPolicy.categories },
    schema: {
      tags,
      summary: 'Reorder categories (positions 10, 20, 30 … in the order given)',
      body: reorderCategoriesBody,
      response: { 200: dataOf(z.array(categorySchema)) },
    },
    handler: async (req) => ({
      data: await reorderCategories(db, req.auditContext(), req.body.ids),
    }),
  });

  r.patch('/kb/categories/:id', {
    config: { permission: kbPolicy.categories },
    schema: {
      tags,
      summary:
        'Rename, move, archive or configure a category (reviewer roles: administrators only)',
      params: idParams,
      body: updateCategoryBody,
      response: { 200: dataOf(categorySchema) },
    },
    handler: async (req) => ({
      data: await updateCategory(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      ),
    }),
  });

  r.get('/kb/articles', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'List articles',
      querystring: listArticlesQuery,
      response: { 200: pageOf(articleSchema) },
    },
    handler: async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const { rows, views } = await listArticles(
        db,
        filter,
        limit,
        decodeCursor(cursor),
        clock.now(),
        requireActor(req.actor),
      );
      if (filter.awaitingMe === 'true') return { data: views, nextCursor: null };
      const page = toPage(rows, limit, (a) => ({ at: a.createdAt.toISOString(), id: a.id }));
      return { data: views, nextCursor: page.nextCursor };
    },
  });

  r.post('/kb/articles', {
    config: { permission: kbPolicy.write },
    schema: {
      tags,
      summary: 'Create an article; its first version starts as a draft',
      body: createArticleBody,
      response: { 201: dataOf(articleSchema) },
    },
    handler: async (req, reply) =>
      reply.code(201).send({
        data: await createArticle(db, req.auditContext(), requireActor(req.actor), req.body),
      }),
  });

  r.get('/kb/articles/:id', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Get an article',
      params: idParams,
      response: { 200: dataOf(articleSchema) },
    },
    handler: async (req) => ({ data: await articleView(db, req.params.id, clock.now()) }),
  });

  r.patch('/kb/articles/:id', {
    config: { permission: kbPolicy.write },
    schema: {
      tags,
      summary: 'Move to another category or change tags (live at once, recorded)',
      params: idParams,
      body: updateArticleBody,
      response: { 200: dataOf(articleSchema) },
    },
    handler: async (req) => ({
      data: await updateArticle(db, req.auditContext(), req.params.id, req.body),
    }),
  });

  r.get('/kb/articles/:id/versions', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'Every version, newest first, with the actions the caller may take',
      params: idParams,
      response: { 200: dataOf(z.array(versionSchema)) },
    },
    handler: async (req) => ({
      data: await listVersions(db, req.params.id, requireActor(req.actor)),
    }),
  });

  r.get('/kb/articles/:id/history', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: "The article's history: every workflow step, edit and decision",
      params: idParams,
      response: { 200: dataOf(z.array(eventSchema)) },
    },
    handler: async (req) => ({ data: await articleHistory(db, req.params.id) }),
  });

  r.get('/kb/versions/:id', {
    config: { permission: kbPolicy.read },
    schema: {
      tags,
      summary: 'One version (old versions stay readable)',
      params: idParams,
      response: { 200: dataOf(versionSchema) },
    },
    handler: async (req) => ({
      data: await versionView(db, req.params.id, requireActor(req.actor)),
    }),
  });

  r.patch('/kb/versions/:id', {
    config: { permission: kbPolicy.write },
    schema: {
      tags,
      summary: 'Edit a draft version (409 with the allowed actions otherwise)',
      params: idParams,
      body: updateVersionBody,
      response: { 200: dataOf(versionSchema) },
    },
    handler: async (req) => ({
      data: await editVersion(
        db,
        req.auditContext(),
        requireActor(req.actor),
        req.params.id,
        req.body,
      ),
    }),
  });

  await app.register(reviewRoutes);
  await app.register(searchRoutes);
  await app.register(helpRoutes);
  await app.register(citationRoutes);
  await app.register(kbSettingsRoutes);
  await app.register(kbDictionaryRoutes);
}
