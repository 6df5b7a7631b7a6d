-- The weekly QA draw (qa/sampling.ts, docs/benchmarks.md "qa-sampling") made cheaper.

-- 1. A week's candidates read from the index alone: the tickets received in the week, with what
--    the draw needs (id, handler, owner, channel, category). An index-only range scan instead of
--    a sequential scan of every ticket ever received (a week is a small part of the table).
CREATE INDEX tickets_qa_draw_idx ON tickets (received_at)
  INCLUDE (id, handler_id, owner_id, channel, category) WHERE merged_into_id IS NULL;

-- 2. qa_items' reference to its ticket checked once per statement, like its references to users
--    and runs since 0037: the draw writes ~25,000 items at a time and the row-by-row foreign key
--    locked each ticket row (a random heap page written per item). Same guarantees: an item's
--    ticket must exist (checked with a fresh snapshot after the insert or update), and a ticket
--    that items point at can be neither deleted nor given another id. Without the row lock, a
--    ticket deletion first takes qa_items in SHARE mode: it waits for transactions writing items
--    to end, then sees their items. That needs READ COMMITTED (a later snapshot); under a
--    stricter isolation level a referenced-or-not ticket is not deleted at all (Kefu deletes no
--    tickets; this only guards hand-made deletions).
ALTER TABLE qa_items DROP CONSTRAINT qa_items_ticket_id_fkey;

CREATE OR REPLACE FUNCTION qa_items_check_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM users WHERE id IN (
      SELECT agent_id FROM new_rows UNION SELECT inspector_id FROM new_rows
      UNION SELECT added_by FROM new_rows)
    ORDER BY id FOR KEY SHARE;
  PERFORM 1 FROM qa_sample_runs WHERE id IN (SELECT run_id FROM new_rows) ORDER BY id FOR KEY SHARE;
  IF EXISTS (SELECT 1 FROM (
        SELECT agent_id AS id FROM new_rows UNION SELECT inspector_id FROM new_rows
        UNION SELECT added_by FROM new_rows) r
      WHERE r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.id)) THEN
    RAISE EXCEPTION 'insert or update on table "qa_items" violates a foreign key to "users"'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT run_id AS id FROM new_rows) r
      WHERE r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM qa_sample_runs s WHERE s.id = r.id)) THEN
    RAISE EXCEPTION 'insert or update on table "qa_items" violates a foreign key to "qa_sample_runs"'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM new_rows r
      WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = r.ticket_id)) THEN
    RAISE EXCEPTION 'insert or update on table "qa_items" violates a foreign key to "tickets"'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION qa_items_keep_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id THEN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
      RAISE EXCEPTION 'tickets are deleted (or renumbered) only under READ COMMITTED'
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    LOCK TABLE qa_items IN SHARE MODE;
    IF EXISTS (SELECT 1 FROM qa_items WHERE ticket_id = OLD.id) THEN
      RAISE EXCEPTION 'ticket % is still referenced from table "qa_items"', OLD.id
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER qa_items_keep_ticket BEFORE DELETE OR UPDATE OF id ON tickets
  FOR EACH ROW EXECUTE FUNCTION qa_items_keep_ticket();

-- 3. The order a run drew its strata in, so every run stays reproducible from its seed: runs
--    drawn before this migration ordered by md5(seed:id) ('md5'); from now on by
--    uuid_hash_extended(id, first 64 bits of md5(seed)) ('hash64', ten times cheaper in the draw).
--    rules/sampling.ts computes both (drawSample's `order` option).
ALTER TABLE qa_sample_runs ADD COLUMN order_key text NOT NULL DEFAULT 'md5'
  CHECK (order_key IN ('md5', 'hash64'));
ALTER TABLE qa_sample_runs ALTER COLUMN order_key SET DEFAULT 'hash64';
