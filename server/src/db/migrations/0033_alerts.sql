-- Staff alerts (docs/alerts.md): escalations, SLA breaches and green-channel complaints pushed to
-- WeCom / DingTalk group robots and signed generic webhooks, per team and event type.
--
-- Outbox: triggers on the tables where the events are recorded (sla_events, tickets) write an
-- alert_events row in the same transaction, so an event that commits is never lost and one that
-- rolls back never alerts. The alert job (jobs/alerts.ts, under a job lease) fans each event out
-- to the matching channels as alert_deliveries rows and delivers them with retries and back-off.

CREATE TABLE alert_channels (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- NULL: every team (and tickets without a team).
  team_id      uuid REFERENCES teams (id) ON DELETE CASCADE,
  event_types  text[] NOT NULL CHECK (cardinality(event_types) >= 1
                 AND event_types <@ ARRAY['escalation', 'sla_breach', 'green_channel', 'incident']::text[]),
  channel_type text NOT NULL CHECK (channel_type IN ('wecom', 'dingtalk', 'webhook')),
  msg_type     text NOT NULL DEFAULT 'markdown' CHECK (msg_type IN ('markdown', 'text')),
  url          text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  secret       text NOT NULL DEFAULT '' CHECK (length(secret) <= 500),
  enabled      boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX alert_channels_list_idx ON alert_channels (created_at DESC, id DESC);

CREATE TABLE alert_events (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_type    text NOT NULL CHECK (event_type IN ('escalation', 'sla_breach', 'green_channel', 'incident')),
  ticket_id     uuid,
  team_id       uuid,
  occurred_at   timestamptz NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  fanned_out_at timestamptz
);
CREATE INDEX alert_events_pending_idx ON alert_events (occurred_at, id) WHERE fanned_out_at IS NULL;

CREATE TABLE alert_deliveries (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL for a test send from the admin screen.
  event_id         uuid REFERENCES alert_events (id) ON DELETE CASCADE,
  channel_id       uuid NOT NULL REFERENCES alert_channels (id) ON DELETE CASCADE,
  event_type       text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz,
  UNIQUE (event_id, channel_id)
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX alert_deliveries_list_idx ON alert_deliveries (created_at DESC, id DESC);
CREATE INDEX alert_deliveries_channel_idx ON alert_deliveries (channel_id, created_at DESC);

-- SLA breaches: one alert event per breach the sweeper records.
CREATE FUNCTION alerts_on_sla_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'breach' THEN
    INSERT INTO alert_events (event_type, ticket_id, team_id, occurred_at, data)
    SELECT 'sla_breach', t.id, t.team_id, NEW.at,
           jsonb_build_object('targetKind', NEW.target_kind, 'dueAt', NEW.due_at)
      FROM tickets t WHERE t.id = NEW.ticket_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER alert_events_from_sla AFTER INSERT ON sla_events
  FOR EACH ROW EXECUTE FUNCTION alerts_on_sla_event();

-- Tickets: a tier raised (L1 → L2 → L3) is an escalation; reaching L3 (on registration or later)
-- is a green-channel complaint.
CREATE FUNCTION alerts_on_ticket_tier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.tier > OLD.tier THEN
    INSERT INTO alert_events (event_type, ticket_id, team_id, occurred_at, data)
    VALUES ('escalation', NEW.id, NEW.team_id, NEW.updated_at,
            jsonb_build_object('fromTier', OLD.tier, 'toTier', NEW.tier));
  END IF;
  IF NEW.tier = 'L3' AND (TG_OP = 'INSERT' OR OLD.tier <> 'L3') THEN
    INSERT INTO alert_events (event_type, ticket_id, team_id, occurred_at, data)
    VALUES ('green_channel', NEW.id, NEW.team_id, NEW.updated_at, '{}'::jsonb);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER alert_events_from_ticket_insert AFTER INSERT ON tickets
  FOR EACH ROW WHEN (NEW.tier = 'L3') EXECUTE FUNCTION alerts_on_ticket_tier();
CREATE TRIGGER alert_events_from_ticket_tier AFTER UPDATE OF tier ON tickets
  FOR EACH ROW WHEN (NEW.tier IS DISTINCT FROM OLD.tier) EXECUTE FUNCTION alerts_on_ticket_tier();
