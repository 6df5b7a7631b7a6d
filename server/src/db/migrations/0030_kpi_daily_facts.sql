-- Pre-aggregated KPI facts (docs/kpi.md, "Scale"). Exact by construction: every write that can
-- change a month's ticket or clock facts logs the instants it touches (kpi_facts_dirty); a month
-- is read from kpi_daily_facts only after the days of those instants are recomputed (facts.ts).

-- Each ticket (or clock) that counts in a month is one item, filed under its anchor day: the
-- earliest of its instants inside the month (received, resolved, closed, first reopening; met,
-- breached), in the workspace time zone. Rows add up per month; a day's rows are recomputed
-- from scratch when one of its items may have changed.
CREATE TABLE kpi_daily_facts (
  month                   date NOT NULL,
  day                     date NOT NULL,
  owner_id                uuid,
  handler_id              uuid,
  team_id                 uuid,
  channel                 text,
  category                text,
  tier                    text,
  received                bigint NOT NULL DEFAULT 0,
  complaints              bigint NOT NULL DEFAULT 0,
  l1_resolved             bigint NOT NULL DEFAULT 0,
  l1_first_contact        bigint NOT NULL DEFAULT 0,
  concluded               bigint NOT NULL DEFAULT 0,
  resolved                bigint NOT NULL DEFAULT 0,
  complaints_concluded    bigint NOT NULL DEFAULT 0,
  complaints_resolved     bigint NOT NULL DEFAULT 0,
  reopen_base             bigint NOT NULL DEFAULT 0,
  reopened                bigint NOT NULL DEFAULT 0,
  first_response_due      bigint NOT NULL DEFAULT 0,
  first_response_in_time  bigint NOT NULL DEFAULT 0,
  first_response_ms_sum   numeric NOT NULL DEFAULT 0,
  first_response_ms_count bigint NOT NULL DEFAULT 0,
  resolution_ms_sum       numeric NOT NULL DEFAULT 0,
  resolution_ms_count     bigint NOT NULL DEFAULT 0
);
CREATE INDEX kpi_daily_facts_month_idx ON kpi_daily_facts (month, day);

-- The same rows summed over the month (no day): what reads use. Rewritten from the month's daily
-- rows whenever some of its days are recomputed.
CREATE TABLE kpi_month_facts (LIKE kpi_daily_facts);
ALTER TABLE kpi_month_facts DROP COLUMN day;
CREATE INDEX kpi_month_facts_month_idx ON kpi_month_facts (month);

-- Months whose rows are complete, and the time zone their days were cut in.
CREATE TABLE kpi_fact_months (
  month     date PRIMARY KEY,
  time_zone text NOT NULL,
  built_at  timestamptz NOT NULL DEFAULT now()
);

-- Instants (to the quarter hour: every time zone offset in use is a multiple of 15 minutes)
-- whose day must be recomputed. Append-only for writers (no unique key, so concurrent ticket
-- writes never wait on each other); the refresh deletes what it consumed.
CREATE TABLE kpi_facts_dirty (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL
);
CREATE INDEX kpi_facts_dirty_at_idx ON kpi_facts_dirty (at);

CREATE FUNCTION kpi_mark_dirty(ats timestamptz[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO kpi_facts_dirty (at)
  SELECT DISTINCT date_bin('15 minutes', a, timestamptz '2000-01-01 00:00:00+00')
  FROM unnest(ats) a WHERE a IS NOT NULL;
$$;

-- Everything a ticket's facts hang on: its own instants, its reopenings and its clocks.
CREATE FUNCTION kpi_ticket_instants(ids uuid[]) RETURNS TABLE (at timestamptz) LANGUAGE sql STABLE AS $$
  SELECT x.at FROM tickets t,
    LATERAL (VALUES (t.received_at), (t.resolved_at), (t.closed_at)) x (at)
  WHERE t.id = ANY (ids)
  UNION ALL
  SELECT e.at FROM ticket_events e
  WHERE e.ticket_id = ANY (ids) AND e.kind = 'status' AND e.data ->> 'to' = 'reopened'
  UNION ALL
  SELECT x.at FROM sla_clocks c, LATERAL (VALUES (c.met_at), (c.breached_at)) x (at)
  WHERE c.ticket_id = ANY (ids) AND c.kind IN ('first_response', 'resolution');
$$;

CREATE FUNCTION kpi_dirty_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_mark_dirty(ARRAY(SELECT x.at FROM new_rows t,
      LATERAL (VALUES (t.received_at), (t.resolved_at), (t.closed_at)) x (at)));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_mark_dirty(ARRAY(SELECT x.at FROM old_rows t,
      LATERAL (VALUES (t.received_at), (t.resolved_at), (t.closed_at)) x (at)));
  ELSE
    -- Only changes to what the facts read: instants, outcome, merge, attribution, scope.
    PERFORM kpi_mark_dirty(ARRAY(
      WITH changed AS (
        SELECT o.id, o.received_at, o.resolved_at, o.closed_at
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.received_at, o.resolved_at, o.closed_at, o.close_kind, o.merged_into_id,
               o.owner_id, o.handler_id, o.team_id, o.channel, o.category, o.tier)
          IS DISTINCT FROM
              (n.received_at, n.resolved_at, n.closed_at, n.close_kind, n.merged_into_id,
               n.owner_id, n.handler_id, n.team_id, n.channel, n.category, n.tier))
      SELECT x.at FROM changed c,
        LATERAL (VALUES (c.received_at), (c.resolved_at), (c.closed_at)) x (at)
      UNION ALL
      SELECT i.at FROM kpi_ticket_instants(ARRAY(SELECT id FROM changed)) i));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER kpi_dirty_tickets_ins AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_tickets();
CREATE TRIGGER kpi_dirty_tickets_upd AFTER UPDATE ON tickets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_tickets();
CREATE TRIGGER kpi_dirty_tickets_del AFTER DELETE ON tickets
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_tickets();

-- A reopening changes its ticket's reopened / first-contact facts wherever the ticket is filed.
CREATE FUNCTION kpi_dirty_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT DISTINCT ticket_id FROM new_rows
                 WHERE kind = 'status' AND data ->> 'to' = 'reopened');
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY(SELECT DISTINCT ticket_id FROM old_rows
                 WHERE kind = 'status' AND data ->> 'to' = 'reopened');
  ELSE
    ids := ARRAY(SELECT ticket_id FROM old_rows
                 WHERE kind = 'status' AND data ->> 'to' = 'reopened'
                 UNION SELECT ticket_id FROM new_rows
                 WHERE kind = 'status' AND data ->> 'to' = 'reopened');
  END IF;
  IF cardinality(ids) > 0 THEN
    PERFORM kpi_mark_dirty(ARRAY(SELECT at FROM kpi_ticket_instants(ids)));
    IF TG_OP <> 'INSERT' THEN
      PERFORM kpi_mark_dirty(ARRAY(SELECT at FROM old_rows
        WHERE kind = 'status' AND data ->> 'to' = 'reopened'));
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER kpi_dirty_events_ins AFTER INSERT ON ticket_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_events();
CREATE TRIGGER kpi_dirty_events_upd AFTER UPDATE ON ticket_events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_events();
CREATE TRIGGER kpi_dirty_events_del AFTER DELETE ON ticket_events
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_events();

-- A clock counts on its own instants (met, breached) for its ticket's people and scope.
CREATE FUNCTION kpi_dirty_clocks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_mark_dirty(ARRAY(
      SELECT x.at FROM new_rows c, LATERAL (VALUES (c.met_at), (c.breached_at)) x (at)
      WHERE c.kind IN ('first_response', 'resolution')));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_mark_dirty(ARRAY(
      SELECT x.at FROM old_rows c, LATERAL (VALUES (c.met_at), (c.breached_at)) x (at)
      WHERE c.kind IN ('first_response', 'resolution')));
  ELSE
    PERFORM kpi_mark_dirty(ARRAY(
      SELECT x.at FROM old_rows o JOIN new_rows n ON n.id = o.id,
        LATERAL (VALUES (o.met_at), (o.breached_at), (n.met_at), (n.breached_at)) x (at)
      WHERE (o.kind IN ('first_response', 'resolution') OR n.kind IN ('first_response', 'resolution'))
        AND (o.kind, o.ticket_id, o.met_at, o.breached_at, o.breached, o.business_ms_used)
          IS DISTINCT FROM (n.kind, n.ticket_id, n.met_at, n.breached_at, n.breached, n.business_ms_used)));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER kpi_dirty_clocks_ins AFTER INSERT ON sla_clocks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_clocks();
CREATE TRIGGER kpi_dirty_clocks_upd AFTER UPDATE ON sla_clocks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_clocks();
CREATE TRIGGER kpi_dirty_clocks_del AFTER DELETE ON sla_clocks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_clocks();

-- TRUNCATE logs nothing row by row: forget every built month instead.
CREATE FUNCTION kpi_facts_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kpi_fact_months;
  DELETE FROM kpi_daily_facts;
  DELETE FROM kpi_month_facts;
  RETURN NULL;
END;
$$;
CREATE TRIGGER kpi_facts_forget_tickets AFTER TRUNCATE ON tickets
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_facts_forget();
CREATE TRIGGER kpi_facts_forget_events AFTER TRUNCATE ON ticket_events
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_facts_forget();
CREATE TRIGGER kpi_facts_forget_clocks AFTER TRUNCATE ON sla_clocks
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_facts_forget();

-- Survey answers of a month (by period_month) per agent and team, for reads without a scope (a
-- scope narrows answers by their ticket: those are counted directly). Same log-and-recompute
-- scheme, by month: any write to an answer logs its period_month.
CREATE TABLE kpi_survey_month_facts (
  month            date NOT NULL,
  agent_id         uuid,
  team_id          uuid,
  surveys_sent     bigint NOT NULL,
  surveys_answered bigint NOT NULL,
  csat_sum         numeric NOT NULL,
  csat_count       bigint NOT NULL
);
CREATE INDEX kpi_survey_month_facts_month_idx ON kpi_survey_month_facts (month);
CREATE TABLE kpi_survey_months (month date PRIMARY KEY);
CREATE TABLE kpi_survey_dirty (
  id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  month date NOT NULL
);
CREATE INDEX kpi_survey_dirty_month_idx ON kpi_survey_dirty (month);

CREATE FUNCTION kpi_dirty_surveys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO kpi_survey_dirty (month) SELECT DISTINCT period_month FROM new_rows;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO kpi_survey_dirty (month) SELECT DISTINCT period_month FROM old_rows;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER kpi_dirty_surveys_ins AFTER INSERT ON survey_responses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_surveys();
CREATE TRIGGER kpi_dirty_surveys_upd AFTER UPDATE ON survey_responses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_surveys();
CREATE TRIGGER kpi_dirty_surveys_del AFTER DELETE ON survey_responses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_dirty_surveys();
CREATE FUNCTION kpi_survey_facts_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM kpi_survey_months;
  DELETE FROM kpi_survey_month_facts;
  RETURN NULL;
END;
$$;
CREATE TRIGGER kpi_survey_facts_forget AFTER TRUNCATE ON survey_responses
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_survey_facts_forget();
