-- Knowledge-base search at 100,000 articles (docs/benchmarks.md, kb-search): the title-and-tags
-- vector moves to its own narrow table. A common word's candidates (快递/物流: 20,000 titles and
-- tags at 100,000 articles) are pre-ranked on that vector alone, and reading them from kb_search
-- meant reading ≈ 1.2 kB rows (the whole-article vector beside it) — most of the slow tail.
-- Here a row is ≈ 150–250 bytes, so the same pre-rank reads about a sixth of the pages.
--
-- Kept by the same trigger as kb_search (0012), in the same statement and transaction.

CREATE TABLE kb_search_head (
  article_id  uuid PRIMARY KEY REFERENCES kb_articles (id) ON DELETE CASCADE,
  language    text NOT NULL,
  audience    text NOT NULL,
  category_id uuid NOT NULL,
  -- Title (A) and tags (B): candidate selection and pre-ranking for common words.
  head_vector tsvector NOT NULL
);
CREATE INDEX kb_search_head_vector_idx ON kb_search_head USING gin (head_vector)
  WITH (fastupdate = off);

CREATE OR REPLACE FUNCTION kb_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.live_version_id IS NULL THEN
    DELETE FROM kb_search WHERE article_id = NEW.id;
    DELETE FROM kb_search_head WHERE article_id = NEW.id;
  ELSE
    INSERT INTO kb_search (article_id, version_id, language, audience, category_id, vector)
    VALUES (NEW.id, NEW.live_version_id, NEW.language, COALESCE(NEW.live_audience, 'internal'),
            NEW.category_id, NEW.search_vector)
    ON CONFLICT (article_id) DO UPDATE SET
      version_id = EXCLUDED.version_id, language = EXCLUDED.language,
      audience = EXCLUDED.audience, category_id = EXCLUDED.category_id,
      vector = EXCLUDED.vector;
    INSERT INTO kb_search_head (article_id, language, audience, category_id, head_vector)
    VALUES (NEW.id, NEW.language, COALESCE(NEW.live_audience, 'internal'), NEW.category_id,
            NEW.search_head_vector)
    ON CONFLICT (article_id) DO UPDATE SET
      language = EXCLUDED.language, audience = EXCLUDED.audience,
      category_id = EXCLUDED.category_id, head_vector = EXCLUDED.head_vector;
  END IF;
  RETURN NULL;
END;
$$;

-- The trigger's WHEN (0012) watches search_vector, which contains the title and tags, so a
-- change of the head vector already fires it.
INSERT INTO kb_search_head (article_id, language, audience, category_id, head_vector)
SELECT article_id, language, audience, category_id, head_vector FROM kb_search;

-- kb_search keeps only what the final rank reads.
DROP INDEX kb_search_head_idx;
ALTER TABLE kb_search DROP COLUMN head_vector;
-- Statistics for the planner before the first search (autovacuum would come later).
ANALYZE kb_search_head;
