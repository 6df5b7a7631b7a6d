-- An event no enabled alert channel listens to is not queued (0033 queued every one, and the job
-- then fanned it out to nobody). With no channel for SLA breaches — the default — the SLA sweeper
-- no longer writes an alert_events row per breach (50,000 rows in a sweep of 100,000 due timers,
-- docs/benchmarks.md, sla-sweep). The channel's team is not checked here: the job matches teams
-- at fan-out, against the ticket's team then. So an event reaches the channels enabled when it
-- happened (and still enabled at fan-out); a channel added or enabled later starts with the
-- next event.
CREATE FUNCTION alerts_listened(kind text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM alert_channels WHERE enabled AND kind = ANY (event_types))
$$;

CREATE OR REPLACE FUNCTION alerts_on_sla_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'breach' AND alerts_listened('sla_breach') THEN
    INSERT INTO alert_events (event_type, ticket_id, team_id, occurred_at, data)
    SELECT 'sla_breach', t.id, t.team_id, NEW.at,
           jsonb_build_object('targetKind', NEW.target_kind, 'dueAt', NEW.due_at)
      FROM tickets t WHERE t.id = NEW.ticket_id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION alerts_on_ticket_tier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.tier > OLD.tier AND alerts_listened('escalation') THEN
    INSERT INTO alert_events (event_type, ticket_id, team_id, occurred_at, data)
    VALUES ('escalation', NEW.id, NEW.team_id, NEW.updated_at,
            jsonb_build_object('fromTier', OLD.tier, 'toTier', NEW.tier));
  END IF;
  IF NEW.tier = 'L3' AND (TG_OP = 'INSERT' OR OLD.tier <> 'L3') AND alerts_listened('green_channel') THEN
    INSERT INTO alert_events (event_type, ticket_id, team_id, occurred_at, data)
    VALUES ('green_channel', NEW.id, NEW.team_id, NEW.updated_at, '{}'::jsonb);
  END IF;
  RETURN NULL;
END $$;
