-- Knowledge-base search at 100,000 articles (docs/benchmarks.md, kb-search): a narrow search
-- table, one row per live article, so that search ranks ~1 kB rows instead of the wide article
-- rows (tokens, tags, review fields, and the bloat of every publication's update), and can
-- pre-rank common-word candidates on titles and tags alone before ranking the best of them over
-- the whole article (search/service.ts).
--
-- Kept by a trigger on kb_articles, so publishing, replacing the live version, re-tagging and
-- unpublishing change the search row in the same statement — and transaction — as the article.
-- The vectors are copied from the article's generated columns (0003, 0010): one formula.

CREATE TABLE kb_search (
  article_id  uuid PRIMARY KEY REFERENCES kb_articles (id) ON DELETE CASCADE,
  version_id  uuid NOT NULL REFERENCES kb_versions (id),
  language    text NOT NULL,
  audience    text NOT NULL,
  category_id uuid NOT NULL,
  -- Title (A) and tags (B): candidate selection and pre-ranking for common words.
  head_vector tsvector NOT NULL,
  -- Title (A), tags (B), body (D): the final rank.
  vector      tsvector NOT NULL
);
-- fastupdate off: no pending list for searches to scan after a burst of publications; the
-- manual changes rarely, so the slower insert is the better trade.
CREATE INDEX kb_search_vector_idx ON kb_search USING gin (vector) WITH (fastupdate = off);
CREATE INDEX kb_search_head_idx ON kb_search USING gin (head_vector) WITH (fastupdate = off);

CREATE FUNCTION kb_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.live_version_id IS NULL THEN
    DELETE FROM kb_search WHERE article_id = NEW.id;
  ELSE
    INSERT INTO kb_search (article_id, version_id, language, audience, category_id,
                           head_vector, vector)
    VALUES (NEW.id, NEW.live_version_id, NEW.language, COALESCE(NEW.live_audience, 'internal'),
            NEW.category_id, NEW.search_head_vector, NEW.search_vector)
    ON CONFLICT (article_id) DO UPDATE SET
      version_id = EXCLUDED.version_id, language = EXCLUDED.language,
      audience = EXCLUDED.audience, category_id = EXCLUDED.category_id,
      head_vector = EXCLUDED.head_vector, vector = EXCLUDED.vector;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER kb_search_insert AFTER INSERT ON kb_articles
  FOR EACH ROW EXECUTE FUNCTION kb_search_sync();
-- AFTER: the generated vectors are computed by then. Review dates, urgent flags, working titles
-- … do not touch the search row.
CREATE TRIGGER kb_search_update AFTER UPDATE ON kb_articles
  FOR EACH ROW WHEN (OLD.live_version_id IS DISTINCT FROM NEW.live_version_id
    OR OLD.live_audience IS DISTINCT FROM NEW.live_audience
    OR OLD.language IS DISTINCT FROM NEW.language
    OR OLD.category_id IS DISTINCT FROM NEW.category_id
    OR OLD.search_vector IS DISTINCT FROM NEW.search_vector)
  EXECUTE FUNCTION kb_search_sync();

INSERT INTO kb_search (article_id, version_id, language, audience, category_id, head_vector, vector)
SELECT id, live_version_id, language, COALESCE(live_audience, 'internal'), category_id,
       search_head_vector, search_vector
FROM kb_articles WHERE live_version_id IS NOT NULL;

-- Search no longer reads the article's own vectors: their indexes only slowed every write.
DROP INDEX kb_articles_search_idx;
DROP INDEX kb_articles_search_head_idx;
