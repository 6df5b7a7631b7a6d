-- Knowledge base and the service manual (SPEC chapter 5): categories with per-step reviewer
-- roles, articles, immutable published versions, the article history, revision requests and
-- feedback. Search columns hold application-segmented tokens (jieba for Chinese) and a
-- generated tsvector ('simple' for zh-CN, 'english' stemming for en-US).

CREATE TABLE kb_categories (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id              uuid REFERENCES kb_categories (id) ON DELETE RESTRICT,
  name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description            text NOT NULL DEFAULT '',
  position               integer NOT NULL DEFAULT 0,
  -- Role that decides each step: initial review (初审), second review (复审), final approval (终审).
  review_roles           text[] NOT NULL DEFAULT '{knowledge_editor,supervisor,reviewer}'
                         CHECK (cardinality(review_roles) = 3),
  review_interval_months integer NOT NULL DEFAULT 3 CHECK (review_interval_months BETWEEN 1 AND 24),
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  CHECK (parent_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX kb_categories_name_key
  ON kb_categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));

CREATE TABLE kb_articles (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type                text NOT NULL CHECK (type IN ('faq', 'sop', 'standard', 'script', 'policy',
                                                    'emergency_plan', 'appendix')),
  category_id         uuid NOT NULL REFERENCES kb_categories (id) ON DELETE RESTRICT,
  language            text NOT NULL CHECK (language IN ('zh-CN', 'en-US')),
  -- Translations of one article share a group; one article per language in a group.
  translation_group   uuid NOT NULL,
  tags                text[] NOT NULL DEFAULT '{}',
  -- Title of the newest version (working or live), for lists.
  title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- Copied from the live version when it is published; NULL until the first publication.
  live_version_id     uuid,
  live_audience       text CHECK (live_audience IN ('internal', 'all_customers', 'tier:vip',
                                                    'tier:regular', 'tier:prospect')),
  published_at        timestamptz,
  next_review_at      date,
  urgent_revision     boolean NOT NULL DEFAULT false,
  urgent_reason       text,
  search_title_tokens text NOT NULL DEFAULT '',
  search_keywords     text NOT NULL DEFAULT '',
  search_tokens       text NOT NULL DEFAULT '',
  search_vector       tsvector GENERATED ALWAYS AS (
    CASE WHEN language = 'en-US' THEN
      setweight(to_tsvector('english'::regconfig, search_title_tokens), 'A') ||
      setweight(to_tsvector('english'::regconfig, search_keywords), 'B') ||
      setweight(to_tsvector('english'::regconfig, search_tokens), 'D')
    ELSE
      setweight(to_tsvector('simple'::regconfig, search_title_tokens), 'A') ||
      setweight(to_tsvector('simple'::regconfig, search_keywords), 'B') ||
      setweight(to_tsvector('simple'::regconfig, search_tokens), 'D')
    END) STORED,
  created_by          uuid NOT NULL REFERENCES users (id),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE UNIQUE INDEX kb_articles_translation_key ON kb_articles (translation_group, language);
CREATE INDEX kb_articles_created_idx ON kb_articles (created_at, id);
CREATE INDEX kb_articles_category_idx ON kb_articles (category_id);
CREATE INDEX kb_articles_review_idx ON kb_articles (next_review_at) WHERE live_version_id IS NOT NULL;
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search_vector);
CREATE INDEX kb_articles_tags_idx ON kb_articles USING gin (tags);

CREATE TABLE kb_versions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  article_id          uuid NOT NULL REFERENCES kb_articles (id) ON DELETE RESTRICT,
  number              integer NOT NULL CHECK (number >= 1),
  status              text NOT NULL CHECK (status IN ('draft', 'submitted', 'initial_review',
                        'second_review', 'final_approval', 'published', 'superseded')),
  title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body                text NOT NULL,
  audience            text NOT NULL CHECK (audience IN ('internal', 'all_customers', 'tier:vip',
                                                        'tier:regular', 'tier:prospect')),
  -- Scripts (话术): { forbidden: [{ phrase, suggestion }], required: [{ phrase }] }.
  phrases             jsonb NOT NULL DEFAULT '{"forbidden": [], "required": []}',
  reason              text NOT NULL DEFAULT '',
  revision_request_id uuid,
  author_id           uuid NOT NULL REFERENCES users (id),
  -- Decisions of the current review round: [{ step, userId, userName, at, comment }].
  approvals           jsonb NOT NULL DEFAULT '[]',
  submitted_at        timestamptz,
  published_at        timestamptz,
  published_by        uuid REFERENCES users (id),
  superseded_at       timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  UNIQUE (article_id, number)
);
-- At most one version in progress and one live version per article.
CREATE UNIQUE INDEX kb_versions_one_working ON kb_versions (article_id)
  WHERE status NOT IN ('published', 'superseded');
CREATE UNIQUE INDEX kb_versions_one_live ON kb_versions (article_id) WHERE status = 'published';

ALTER TABLE kb_articles ADD CONSTRAINT kb_articles_live_version_fk
  FOREIGN KEY (live_version_id) REFERENCES kb_versions (id);

-- Published versions are immutable: only the move published → superseded is allowed.
CREATE FUNCTION kb_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN ('published', 'superseded') THEN
      RAISE EXCEPTION 'published knowledge-base versions cannot be deleted'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'superseded'
     OR (OLD.status = 'published' AND (NEW.status <> 'superseded'
         OR NEW.title IS DISTINCT FROM OLD.title OR NEW.body IS DISTINCT FROM OLD.body
         OR NEW.audience IS DISTINCT FROM OLD.audience OR NEW.phrases IS DISTINCT FROM OLD.phrases
         OR NEW.approvals IS DISTINCT FROM OLD.approvals)) THEN
    RAISE EXCEPTION 'published knowledge-base versions are immutable'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER kb_versions_immutable BEFORE UPDATE OR DELETE ON kb_versions
  FOR EACH ROW EXECUTE FUNCTION kb_versions_immutable();

-- Every step of an article's life (create, edit, submit, approve, reject, publish, …).
CREATE TABLE kb_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id  uuid NOT NULL REFERENCES kb_articles (id),
  version_id  uuid REFERENCES kb_versions (id),
  at          timestamptz NOT NULL,
  actor_id    uuid,
  actor_name  text,
  action      text NOT NULL,
  step        text,
  from_status text,
  to_status   text,
  comment     text NOT NULL DEFAULT ''
);
CREATE INDEX kb_events_article_idx ON kb_events (article_id, at, id);

CREATE TABLE kb_revision_requests (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  article_id      uuid NOT NULL REFERENCES kb_articles (id),
  version_id      uuid NOT NULL REFERENCES kb_versions (id),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  proposed_change text NOT NULL DEFAULT '',
  urgent          boolean NOT NULL DEFAULT false,
  feedback_id     uuid,
  requested_by    uuid NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL
);
CREATE INDEX kb_revision_requests_article_idx ON kb_revision_requests (article_id, created_at);

CREATE TABLE kb_feedback (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  article_id          uuid NOT NULL REFERENCES kb_articles (id),
  version_id          uuid REFERENCES kb_versions (id),
  source              text NOT NULL CHECK (source IN ('agent', 'customer')),
  user_id             uuid REFERENCES users (id),
  helpful             boolean NOT NULL,
  comment             text NOT NULL DEFAULT '',
  category            text CHECK (category IN ('process', 'accuracy', 'guidance', 'attitude')),
  status              text NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'answered', 'revision_requested')),
  answer              text,
  answered_by         uuid REFERENCES users (id),
  answered_at         timestamptz,
  revision_request_id uuid REFERENCES kb_revision_requests (id),
  due_at              timestamptz NOT NULL,
  created_at          timestamptz NOT NULL
);
CREATE INDEX kb_feedback_queue_idx ON kb_feedback (status, due_at, id);
CREATE INDEX kb_feedback_article_idx ON kb_feedback (article_id);

-- Typo-tolerant title matching where the engine ships pg_trgm (PostgreSQL with contrib); PGlite
-- does not, and search falls back to full-text + prefix matching (the app detects which).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXECUTE 'CREATE INDEX kb_articles_title_trgm_idx ON kb_articles USING gin (lower(title) gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm not available: knowledge-base search runs without typo tolerance';
END;
$$;
