-- notifications' references to their user and ticket checked once per statement, as qa_items'
-- are (0037, 0041). The SLA sweeper writes up to 5,000 notifications in one statement, and the
-- row-by-row foreign keys ran a look-up per row, locking each referenced ticket row (FOR KEY
-- SHARE: a WAL record and often a page image per ticket) — together about a tenth to a fifth of
-- sweeping 100,000 due timers (docs/benchmarks.md, sla-sweep). Same guarantees:
--
-- - user: it must exist; its rows are locked FOR KEY SHARE once per statement (each distinct
--   user once), so a concurrent deletion or id change waits; deleting a user deletes their
--   notifications (ON DELETE CASCADE before), changing a referenced user's id is refused.
-- - ticket, when one is named: it must exist (checked after the statement with a fresh
--   snapshot), and a ticket that notifications point at can be neither deleted nor given another
--   id. Without the row lock, deleting a ticket first takes notifications in SHARE mode: it waits
--   for transactions writing notifications to end, then sees them. That needs READ COMMITTED;
--   under a stricter level no ticket is deleted at all (Kefu deletes no tickets; this only guards
--   hand-made deletions).
ALTER TABLE notifications DROP CONSTRAINT notifications_user_id_fkey;
ALTER TABLE notifications DROP CONSTRAINT notifications_ticket_id_fkey;

CREATE FUNCTION notifications_check_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM users WHERE id IN (SELECT user_id FROM new_rows) ORDER BY id FOR KEY SHARE;
  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT user_id FROM new_rows) r
      WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id)) THEN
    RAISE EXCEPTION 'insert or update on table "notifications" violates a foreign key to "users"'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM new_rows r
      WHERE r.ticket_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = r.ticket_id)) THEN
    RAISE EXCEPTION 'insert or update on table "notifications" violates a foreign key to "tickets"'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER notifications_refs_ins AFTER INSERT ON notifications
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notifications_check_refs();

-- Changing a notification's user or ticket (nothing does; marking read stays free of checks).
CREATE FUNCTION notifications_check_refs_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM users WHERE id = NEW.user_id FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insert or update on table "notifications" violates a foreign key to "users"'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF NEW.ticket_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tickets WHERE id = NEW.ticket_id) THEN
    RAISE EXCEPTION 'insert or update on table "notifications" violates a foreign key to "tickets"'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER notifications_refs_upd AFTER UPDATE OF user_id, ticket_id ON notifications
  FOR EACH ROW WHEN (NEW.user_id IS DISTINCT FROM OLD.user_id
    OR NEW.ticket_id IS DISTINCT FROM OLD.ticket_id)
  EXECUTE FUNCTION notifications_check_refs_row();

-- The referenced side.
CREATE FUNCTION notifications_follow_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM notifications WHERE user_id = OLD.id;
    RETURN OLD;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id AND EXISTS (SELECT 1 FROM notifications WHERE user_id = OLD.id) THEN
    RAISE EXCEPTION 'user % is still referenced from table "notifications"', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER notifications_follow_user AFTER DELETE OR UPDATE OF id ON users
  FOR EACH ROW EXECUTE FUNCTION notifications_follow_user();

-- A ticket that rows of the table named by the trigger's argument point at (ticket_id) keeps its
-- row and id. One function for qa_items (0041's own copy is replaced) and notifications.
CREATE FUNCTION tickets_keep_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  referenced boolean;
BEGIN
  IF TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id THEN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
      RAISE EXCEPTION 'tickets are deleted (or renumbered) only under READ COMMITTED'
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    EXECUTE format('LOCK TABLE %I IN SHARE MODE', TG_ARGV[0]);
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE ticket_id = $1)', TG_ARGV[0])
      INTO referenced USING OLD.id;
    IF referenced THEN
      RAISE EXCEPTION 'ticket % is still referenced from table "%"', OLD.id, TG_ARGV[0]
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
DROP TRIGGER qa_items_keep_ticket ON tickets;
DROP FUNCTION qa_items_keep_ticket();
CREATE TRIGGER qa_items_keep_ticket BEFORE DELETE OR UPDATE OF id ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_keep_referenced('qa_items');
CREATE TRIGGER notifications_keep_ticket BEFORE DELETE OR UPDATE OF id ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_keep_referenced('notifications');
