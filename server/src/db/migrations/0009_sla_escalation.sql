-- SLA escalation actions, the automatic off-hours acknowledgement, notification e-mail
-- (issue 4; docs/sla.md).

-- Workspace settings of the SLA engine: one row, SPEC defaults, changed by an administrator.
CREATE TABLE sla_settings (
  id                     boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- The automatic acknowledgement of a request received outside working hours (SPEC 3).
  off_hours_ack_enabled  boolean NOT NULL DEFAULT true,
  -- Instant channels on which it is sent (a phone caller cannot read it).
  off_hours_ack_channels text[] NOT NULL DEFAULT '{chat}'
    CHECK (off_hours_ack_channels <@ ARRAY['chat', 'phone', 'email', 'portal', 'walk_in', 'api']),
  -- The message in the customer's language; {number} is replaced by the ticket number.
  off_hours_ack_zh       text NOT NULL
    DEFAULT '您好，我们已收到您的消息（工单 {number}）。现在是非工作时间，我们将在工作时间第一时间为您处理。'
    CHECK (length(off_hours_ack_zh) BETWEEN 1 AND 2000),
  off_hours_ack_en       text NOT NULL
    DEFAULT 'Hello, we have received your message (ticket {number}). It is outside our working hours now; we will handle it first thing in working hours.'
    CHECK (length(off_hours_ack_en) BETWEEN 1 AND 2000),
  -- Breach notifications are also e-mailed to the recipients who have an address.
  email_on_breach        boolean NOT NULL DEFAULT true,
  updated_at             timestamptz
);
INSERT INTO sla_settings DEFAULT VALUES;

-- What the tickets module did for each fired warning or breach (raised priority or tier,
-- reassigned, wrote the timeline entry). The key makes the action happen once per event even if
-- the hook runs twice; `applied_at` NULL = waiting because the ticket was busy (a command held
-- it), applied by the next sweep.
CREATE TABLE sla_event_actions (
  clock_id       uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('warning', 'breach')),
  occurrence     integer NOT NULL,
  -- No foreign key (like sla_events): its check would make the sweeper wait for a command
  -- holding the ticket, which is exactly what the hook avoids (see sla-actions.ts).
  ticket_id      uuid NOT NULL,
  target_kind    text NOT NULL,
  policy_version integer NOT NULL,
  policy_key     text NOT NULL,
  due_at         timestamptz NOT NULL,
  -- The chain that applied (the policy's `escalation`), and how many users were notified.
  escalation     jsonb NOT NULL,
  notified       integer NOT NULL DEFAULT 0,
  -- What was done: {priority: {from, to}, tier, teamId} (empty for a warning).
  actions        jsonb,
  fired_at       timestamptz NOT NULL,
  applied_at     timestamptz,
  PRIMARY KEY (clock_id, kind, occurrence)
);
CREATE INDEX sla_event_actions_pending_idx ON sla_event_actions (fired_at) WHERE applied_at IS NULL;

-- Open clocks by calendar: re-planning them when the calendar is edited (replan.ts). Neither
-- the column nor the predicate is one the sweeper changes, so marking a clock stays a HOT update.
CREATE INDEX sla_clocks_open_calendar_idx ON sla_clocks (calendar_id)
  WHERE met_at IS NULL AND cancelled_at IS NULL;

-- Unread notifications of a user: the bell's badge and "mark all read".
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- The timeline gains the kind 'sla' (a warning or breach, and what the escalation did). Other
-- migrations extend the list too, so the constraint is rebuilt from what it holds now plus 'sla'.
DO $$
DECLARE
  con record;
  kinds text;
BEGIN
  SELECT c.conname, pg_get_constraintdef(c.oid) AS def INTO con
  FROM pg_constraint c
  WHERE c.conrelid = 'ticket_events'::regclass AND c.contype = 'c'
    AND pg_get_constraintdef(c.oid) LIKE '%(kind = ANY%';
  IF NOT FOUND OR con.def LIKE '%''sla''%' THEN
    RETURN;
  END IF;
  SELECT string_agg(quote_literal(k), ', ') INTO kinds
  FROM (SELECT m[1] AS k FROM regexp_matches(con.def, '''([a-z_]+)''', 'g') AS m
        UNION SELECT 'sla') AS all_kinds;
  EXECUTE format('ALTER TABLE ticket_events DROP CONSTRAINT %I', con.conname);
  EXECUTE format('ALTER TABLE ticket_events ADD CONSTRAINT %I CHECK (kind IN (%s))',
                 con.conname, kinds);
END;
$$;
