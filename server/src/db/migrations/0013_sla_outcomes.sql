-- Issue 9 (SLA): how each clock ended, rework clocks, and the handling plan as a record.

-- The final outcome of a finished clock: 'met' (by the event that achieves it; `breached` says
-- whether late), 'missed' (closed or re-planned while overdue or breached), 'cancelled' (stopped
-- before its due time). NULL while the clock is open. Closing keeps the evidence instead of
-- hiding it. `cause` says why a clock was started other than on registration: 'rework' = a
-- fresh resolution clock after the ticket was reopened.
ALTER TABLE sla_clocks ADD COLUMN outcome text CHECK (outcome IN ('met', 'missed', 'cancelled'));
ALTER TABLE sla_clocks ADD COLUMN cause text CHECK (cause IN ('rework'));
UPDATE sla_clocks SET outcome = CASE
    WHEN state = 'met' THEN 'met'
    WHEN breached THEN 'missed'
    ELSE 'cancelled' END
  WHERE state IN ('met', 'cancelled');

-- The handling plan (处理方案) of a complaint or an L3 ticket: what will be done, who does it,
-- by when; public when the agent shares it with the customer. Creating the first one meets the
-- `handling_plan` and `complaint_plan` targets.
CREATE TABLE ticket_handling_plans (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id    uuid NOT NULL REFERENCES tickets (id),
  body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  owner_id     uuid NOT NULL REFERENCES users (id),
  due_at       timestamptz NOT NULL,
  public       boolean NOT NULL DEFAULT false,
  revision     integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL,
  updated_by   uuid REFERENCES users (id),
  updated_at   timestamptz NOT NULL
);
CREATE INDEX ticket_handling_plans_ticket_idx ON ticket_handling_plans (ticket_id, created_at);

-- The timeline gains 'handling_plan' (as 0010 added 'citation': rebuild the kind CHECK).
DO $$
DECLARE
  con record;
  kinds text;
BEGIN
  SELECT c.conname, pg_get_constraintdef(c.oid) AS def INTO con
  FROM pg_constraint c
  WHERE c.conrelid = 'ticket_events'::regclass AND c.contype = 'c'
    AND pg_get_constraintdef(c.oid) LIKE '%(kind = ANY%';
  IF NOT FOUND OR con.def LIKE '%''handling_plan''%' THEN
    RETURN;
  END IF;
  SELECT string_agg(quote_literal(k), ', ') INTO kinds
  FROM (SELECT m[1] AS k FROM regexp_matches(con.def, '''([a-z_]+)''', 'g') AS m
        UNION SELECT 'handling_plan') AS all_kinds;
  EXECUTE format('ALTER TABLE ticket_events DROP CONSTRAINT %I', con.conname);
  EXECUTE format('ALTER TABLE ticket_events ADD CONSTRAINT %I CHECK (kind IN (%s))',
                 con.conname, kinds);
END;
$$;
