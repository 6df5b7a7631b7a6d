-- Attachments (SPEC 1, 4, 5): files on tickets (from staff, later from the customer portal) and
-- images in knowledge-base articles. Bytes live in the attachment storage (local disk by
-- default), addressed by their SHA-256; this table holds what the API needs to serve them.

-- Admin-editable limits (one row): largest file, largest article image, allowed content types.
CREATE TABLE attachment_settings (
  id              boolean PRIMARY KEY DEFAULT true CHECK (id),
  max_file_bytes  bigint NOT NULL CHECK (max_file_bytes BETWEEN 1024 AND 1073741824),
  max_image_bytes bigint NOT NULL CHECK (max_image_bytes BETWEEN 1024 AND 1073741824),
  allowed_types   text[] NOT NULL,
  updated_at      timestamptz
);
INSERT INTO attachment_settings (id, max_file_bytes, max_image_bytes, allowed_types) VALUES (
  true,
  20971520,
  5242880,
  ARRAY[
    'image/png', 'image/jpeg', 'image/gif', 'image/webp',
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
    'application/zip',
    'text/plain', 'text/csv'
  ]
);

CREATE TABLE attachments (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Exactly one owner: a ticket or a knowledge-base article.
  ticket_id               uuid REFERENCES tickets (id),
  article_id              uuid REFERENCES kb_articles (id),
  -- Ticket attachments: whether the customer sees it; article images are always 'public'
  -- (who may read them follows the article's audience).
  visibility              text NOT NULL CHECK (visibility IN ('public', 'internal')),
  filename                text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  -- Detected from the content, never the type the client declared.
  mime_type               text NOT NULL CHECK (length(mime_type) BETWEEN 3 AND 255),
  size_bytes              bigint NOT NULL CHECK (size_bytes >= 0),
  sha256                  text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key             text NOT NULL,
  -- Who uploaded it: a staff user or a customer (portal); neither = the system (e.g. mail).
  uploaded_by_user_id     uuid REFERENCES users (id),
  uploaded_by_customer_id uuid REFERENCES customers (id),
  created_at              timestamptz NOT NULL,
  CHECK (num_nonnulls(ticket_id, article_id) = 1),
  CHECK (num_nonnulls(uploaded_by_user_id, uploaded_by_customer_id) <= 1)
);
CREATE INDEX attachments_ticket_idx ON attachments (ticket_id, created_at, id)
  WHERE ticket_id IS NOT NULL;
CREATE INDEX attachments_article_idx ON attachments (article_id, created_at, id)
  WHERE article_id IS NOT NULL;
CREATE INDEX attachments_sha256_idx ON attachments (sha256);

-- The timeline gains the kind 'attachment' (one entry per upload). Other migrations may extend
-- the list of kinds too, so the constraint is rebuilt from what it holds now plus 'attachment'.
DO $$
DECLARE
  con record;
  kinds text;
BEGIN
  SELECT c.conname, pg_get_constraintdef(c.oid) AS def INTO con
  FROM pg_constraint c
  WHERE c.conrelid = 'ticket_events'::regclass AND c.contype = 'c'
    AND pg_get_constraintdef(c.oid) LIKE '%(kind = ANY%';
  IF NOT FOUND OR con.def LIKE '%''attachment''%' THEN
    RETURN;
  END IF;
  SELECT string_agg(quote_literal(k), ', ') INTO kinds
  FROM (SELECT m[1] AS k FROM regexp_matches(con.def, '''([a-z_]+)''', 'g') AS m
        UNION SELECT 'attachment') AS all_kinds;
  EXECUTE format('ALTER TABLE ticket_events DROP CONSTRAINT %I', con.conname);
  EXECUTE format('ALTER TABLE ticket_events ADD CONSTRAINT %I CHECK (kind IN (%s))',
                 con.conname, kinds);
END;
$$;
