-- Knowledge base, part 2 (SPEC 5): tickets cite the manual — which article *version* a reply
-- relied on — and the knowledge-base settings row (feedback reply deadline in working days).

CREATE TABLE ticket_article_citations (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id      uuid NOT NULL REFERENCES tickets (id),
  article_id     uuid NOT NULL REFERENCES kb_articles (id),
  -- The version live when it was cited: published versions are immutable, so this is exactly
  -- what the agent read, even after the article is revised.
  version_id     uuid NOT NULL REFERENCES kb_versions (id),
  version_number integer NOT NULL CHECK (version_number >= 1),
  -- How it went into the reply: a link to the article, or an excerpt of its text.
  mode           text NOT NULL CHECK (mode IN ('link', 'excerpt')),
  cited_by       uuid NOT NULL REFERENCES users (id),
  at             timestamptz NOT NULL
);
CREATE INDEX ticket_article_citations_ticket_idx ON ticket_article_citations (ticket_id, at, id);
CREATE INDEX ticket_article_citations_article_idx ON ticket_article_citations (article_id, at, id);

-- A citation is a timeline event of kind 'citation'. Other migrations may have extended the
-- list of kinds too, so the constraint is rebuilt from whatever it holds now plus 'citation'
-- rather than restated here.
DO $$
DECLARE
  con record;
  kinds text;
BEGIN
  SELECT c.conname, pg_get_constraintdef(c.oid) AS def INTO con
  FROM pg_constraint c
  WHERE c.conrelid = 'ticket_events'::regclass AND c.contype = 'c'
    AND pg_get_constraintdef(c.oid) LIKE '%(kind = ANY%';
  IF NOT FOUND OR con.def LIKE '%''citation''%' THEN
    RETURN;
  END IF;
  SELECT string_agg(quote_literal(k), ', ') INTO kinds
  FROM (SELECT m[1] AS k FROM regexp_matches(con.def, '''([a-z_]+)''', 'g') AS m
        UNION SELECT 'citation') AS all_kinds;
  EXECUTE format('ALTER TABLE ticket_events DROP CONSTRAINT %I', con.conname);
  EXECUTE format('ALTER TABLE ticket_events ADD CONSTRAINT %I CHECK (kind IN (%s))',
                 con.conname, kinds);
END;
$$;

-- Knowledge-base settings: one row, defaults from SPEC, changed by an administrator.
CREATE TABLE kb_settings (
  id                          boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- Reply deadline for feedback on articles, counted on the default business calendar.
  feedback_reply_working_days integer NOT NULL DEFAULT 30
                              CHECK (feedback_reply_working_days BETWEEN 1 AND 365),
  updated_at                  timestamptz
);
INSERT INTO kb_settings DEFAULT VALUES;

-- Search at 100,000 articles (docs/benchmarks.md, kb-search): ranking every article that
-- contains a common word (快递, 退货 … are in tens of thousands) cost 300–900 ms. A word found
-- in many articles now selects candidates only through the title and tags (this vector and
-- its index); rare words still match anywhere. The rank itself is unchanged.
ALTER TABLE kb_articles ADD COLUMN search_head_vector tsvector GENERATED ALWAYS AS (
  CASE WHEN language = 'en-US' THEN
    setweight(to_tsvector('english'::regconfig, search_title_tokens), 'A') ||
    setweight(to_tsvector('english'::regconfig, search_keywords), 'B')
  ELSE
    setweight(to_tsvector('simple'::regconfig, search_title_tokens), 'A') ||
    setweight(to_tsvector('simple'::regconfig, search_keywords), 'B')
  END) STORED;
CREATE INDEX kb_articles_search_head_idx ON kb_articles USING gin (search_head_vector);
