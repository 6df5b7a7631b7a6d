-- Knowledge-base search learns from use: the words of a question (a ticket's subject and
-- description when an agent cites an article in it, a help-centre search when the customer marks
-- the article found helpful) become evidence that the article answers questions with those
-- words. One row per (term, article) with a count; search blends it into the ranking with a
-- capped weight. Deleting an article removes its evidence.
CREATE TABLE kb_query_evidence (
  term       text NOT NULL,
  article_id uuid NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  hits       integer NOT NULL DEFAULT 1 CHECK (hits > 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (term, article_id),
  CONSTRAINT kb_query_evidence_term_check CHECK (char_length(term) BETWEEN 1 AND 40)
);
CREATE INDEX kb_query_evidence_article_idx ON kb_query_evidence (article_id);
