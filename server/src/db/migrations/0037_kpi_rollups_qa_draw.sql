-- Two read paths made cheaper (docs/benchmarks.md, "reports" and "qa-sampling").

-- 1. The month's ticket and clock facts already grouped per owner, per handler, per team and for
--    the workspace (docs/kpi.md, "Scale"): what a read without a scope (channel, category, tier)
--    takes as it is, instead of summing kpi_month_facts with GROUPING SETS on every read. Integer
--    columns only (the millisecond sums fit a bigint by far). Rewritten with kpi_month_facts, in
--    the same transaction, from the same rows; gone with the month's kpi_fact_months row.
--    g is GROUPING(owner_id, handler_id, team_id): 3 per owner, 5 per handler, 6 per team,
--    7 the workspace.
CREATE TABLE kpi_month_rollups (
  month                   date NOT NULL REFERENCES kpi_fact_months (month) ON DELETE CASCADE,
  g                       smallint NOT NULL CHECK (g IN (3, 5, 6, 7)),
  id                      uuid,
  received                bigint NOT NULL,
  complaints              bigint NOT NULL,
  l1_resolved             bigint NOT NULL,
  l1_first_contact        bigint NOT NULL,
  concluded               bigint NOT NULL,
  resolved                bigint NOT NULL,
  complaints_concluded    bigint NOT NULL,
  complaints_resolved     bigint NOT NULL,
  reopen_base             bigint NOT NULL,
  reopened                bigint NOT NULL,
  first_response_due      bigint NOT NULL,
  first_response_in_time  bigint NOT NULL,
  first_response_ms_sum   bigint NOT NULL,
  first_response_ms_count bigint NOT NULL,
  resolution_ms_sum       bigint NOT NULL,
  resolution_ms_count     bigint NOT NULL
);
CREATE INDEX kpi_month_rollups_month_idx ON kpi_month_rollups (month);

-- Months built before this migration: their rollups from their month rows.
INSERT INTO kpi_month_rollups
SELECT month, GROUPING(owner_id, handler_id, team_id), coalesce(owner_id, handler_id, team_id),
  sum(received), sum(complaints), sum(l1_resolved), sum(l1_first_contact), sum(concluded),
  sum(resolved), sum(complaints_concluded), sum(complaints_resolved), sum(reopen_base),
  sum(reopened), sum(first_response_due), sum(first_response_in_time),
  sum(first_response_ms_sum), sum(first_response_ms_count), sum(resolution_ms_sum),
  sum(resolution_ms_count)
FROM kpi_month_facts WHERE month IN (SELECT month FROM kpi_fact_months)
GROUP BY GROUPING SETS ((month, owner_id), (month, handler_id), (month, team_id), (month));

-- The survey sums of a month the same way: per agent (g 1), per team (g 2), workspace (g 3).
CREATE TABLE kpi_survey_month_rollups (
  month            date NOT NULL REFERENCES kpi_survey_months (month) ON DELETE CASCADE,
  g                smallint NOT NULL CHECK (g IN (1, 2, 3)),
  id               uuid,
  surveys_sent     bigint NOT NULL,
  surveys_answered bigint NOT NULL,
  csat_sum         bigint NOT NULL,
  csat_count       bigint NOT NULL
);
CREATE INDEX kpi_survey_month_rollups_month_idx ON kpi_survey_month_rollups (month);

INSERT INTO kpi_survey_month_rollups
SELECT month, GROUPING(agent_id, team_id), coalesce(agent_id, team_id),
  sum(surveys_sent), sum(surveys_answered), sum(csat_sum), sum(csat_count)
FROM kpi_survey_month_facts WHERE month IN (SELECT month FROM kpi_survey_months)
GROUP BY GROUPING SETS ((month, agent_id), (month, team_id), (month));

-- 2. The weekly QA draw writes ~25,000 qa_items in one statement (qa/sampling.ts). Each row's
--    foreign keys to users (agent, inspector, added_by) and to its run were checked row by row
--    (100,000 lookups and row locks for a handful of distinct users and one run). They are checked
--    once per statement instead, with the same guarantees: every distinct user and run referenced
--    is locked FOR KEY SHARE (as the row-level check does), then must exist; a user or run still
--    referenced cannot be deleted nor change its id. The ticket's foreign key stays row by row.
ALTER TABLE qa_items
  DROP CONSTRAINT qa_items_run_id_fkey,
  DROP CONSTRAINT qa_items_agent_id_fkey,
  DROP CONSTRAINT qa_items_inspector_id_fkey,
  DROP CONSTRAINT qa_items_added_by_fkey;

CREATE FUNCTION qa_items_check_refs() RETURNS trigger LANGUAGE plpgsql AS $$
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
  RETURN NULL;
END;
$$;
CREATE TRIGGER qa_items_refs_ins AFTER INSERT ON qa_items
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION qa_items_check_refs();
CREATE TRIGGER qa_items_refs_upd AFTER UPDATE ON qa_items
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION qa_items_check_refs();

-- The referenced side: a user or run that qa_items still point at keeps its row and its id.
CREATE FUNCTION qa_items_keep_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id) AND EXISTS (SELECT 1 FROM qa_items
      WHERE agent_id = OLD.id OR inspector_id = OLD.id OR added_by = OLD.id) THEN
    RAISE EXCEPTION 'user % is still referenced from table "qa_items"', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER qa_items_keep_user BEFORE DELETE OR UPDATE OF id ON users
  FOR EACH ROW EXECUTE FUNCTION qa_items_keep_user();
CREATE FUNCTION qa_items_keep_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id)
      AND EXISTS (SELECT 1 FROM qa_items WHERE run_id = OLD.id) THEN
    RAISE EXCEPTION 'sample run % is still referenced from table "qa_items"', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER qa_items_keep_run BEFORE DELETE OR UPDATE OF id ON qa_sample_runs
  FOR EACH ROW EXECUTE FUNCTION qa_items_keep_run();

-- 3. A version per month of facts, replaced (random) whenever the month's rollups are rewritten:
--    a process may keep the facts it filed from them under (month, version) and skip reading them
--    again while the version is unchanged (facts.ts, loadMonthsFacts).
ALTER TABLE kpi_fact_months ADD COLUMN facts_version uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE kpi_survey_months ADD COLUMN facts_version uuid NOT NULL DEFAULT gen_random_uuid();
