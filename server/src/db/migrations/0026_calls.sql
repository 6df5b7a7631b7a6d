-- Phone / CTI (issue 14, SPEC 1, 3, 8): signed call events from telephony providers, the call
-- records folded from them, call-back tasks for missed calls, and the workspace's phone settings.

-- One row: the providers allowed to post events (each with its HMAC secret), the replay window,
-- the peak windows for the connection rate and the call-back due time (business minutes).
CREATE TABLE call_settings (
  id                     boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- [{ key, name, secret }]
  providers              jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(providers) = 'array'),
  replay_window_seconds  integer NOT NULL DEFAULT 300 CHECK (replay_window_seconds BETWEEN 10 AND 86400),
  -- [{ start: 'HH:MM', end: 'HH:MM' }] in the workspace time zone, working days only.
  peak_windows           jsonb NOT NULL DEFAULT '[{"start":"09:00","end":"11:00"},{"start":"14:00","end":"16:00"}]'
                           CHECK (jsonb_typeof(peak_windows) = 'array'),
  callback_due_minutes   integer NOT NULL DEFAULT 120 CHECK (callback_due_minutes BETWEEN 1 AND 100000),
  updated_at             timestamptz NOT NULL DEFAULT '2026-01-01T00:00:00Z'
);
INSERT INTO call_settings DEFAULT VALUES;

-- A call as folded from its events (modules/calls/rules/call-state.ts); recomputed on every event.
CREATE TABLE calls (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider       text NOT NULL,
  external_id    text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
  state          text NOT NULL CHECK (state IN ('ringing', 'answered', 'completed', 'missed')),
  caller_number  text NOT NULL,
  agent_id       uuid REFERENCES users (id),
  team_id        uuid REFERENCES teams (id) ON DELETE SET NULL,
  queue          text,
  customer_id    uuid REFERENCES customers (id),
  ticket_id      uuid REFERENCES tickets (id),
  ring_at        timestamptz NOT NULL,
  answered_at    timestamptz,
  ended_at       timestamptz,
  answer_ms      bigint CHECK (answer_ms >= 0),
  transfers      integer NOT NULL DEFAULT 0,
  recording_url  text,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  UNIQUE (provider, external_id)
);
CREATE INDEX calls_ring_idx ON calls (ring_at DESC, id DESC);
CREATE INDEX calls_agent_idx ON calls (agent_id, ring_at DESC);
CREATE INDEX calls_customer_idx ON calls (customer_id, ring_at DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX calls_ticket_idx ON calls (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX calls_ringing_idx ON calls (agent_id) WHERE state = 'ringing';

-- Every accepted event, once per provider event id (duplicates are answered, not stored twice).
CREATE TABLE call_events (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_id      uuid NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  provider     text NOT NULL,
  event_id     text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
  kind         text NOT NULL CHECK (kind IN ('ringing', 'answered', 'ended', 'missed', 'transferred')),
  at           timestamptz NOT NULL,
  agent        text,
  -- The Kefu user the provider's agent (email or user id) resolved to, if any.
  agent_id     uuid REFERENCES users (id),
  queue        text,
  recording_url text,
  received_at  timestamptz NOT NULL,
  UNIQUE (provider, event_id)
);
CREATE INDEX call_events_call_idx ON call_events (call_id, at);

-- A missed call to ring back (SPEC 3: the instant channel's promise kept late), due in business time.
CREATE TABLE call_callbacks (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_id       uuid NOT NULL UNIQUE REFERENCES calls (id) ON DELETE CASCADE,
  agent_id      uuid REFERENCES users (id),
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  due_at        timestamptz NOT NULL,
  outcome       text CHECK (outcome IN ('reached', 'no_answer', 'voicemail')),
  note          text NOT NULL DEFAULT '',
  attempted_at  timestamptz,
  attempted_by  uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX call_callbacks_open_idx ON call_callbacks (due_at, id) WHERE status = 'open';
