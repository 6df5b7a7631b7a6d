-- SLA engine (SPEC chapters 2–3, issue 4): business calendars with holidays and make-up working
-- days (调休), the ordered policy list stored as immutable versions, one clock per ticket target,
-- and the warnings and breaches the sweeper fired (exactly once: see docs/sla.md).

CREATE TABLE sla_calendars (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Calendars created at start-up carry a key ('cn_workdays', '24x7') so seeding is idempotent.
  seed_key      text UNIQUE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  time_zone     text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
  -- Seven arrays, Sunday … Saturday, of {"start": "HH:MM", "end": "HH:MM"} working intervals.
  weekly        jsonb NOT NULL CHECK (jsonb_typeof(weekly) = 'array' AND jsonb_array_length(weekly) = 7),
  -- Working intervals on a make-up day (调休); NULL = Monday's.
  make_up_hours jsonb CHECK (make_up_hours IS NULL OR jsonb_typeof(make_up_hours) = 'array'),
  -- The calendar of teams that chose none.
  is_default    boolean NOT NULL DEFAULT false,
  -- Years of the bundled China holiday data already loaded; start-up adds only new years.
  bundled_years integer[] NOT NULL DEFAULT '{}',
  -- Bumped by every change of the calendar or its days: the key of in-process caches.
  revision      integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX sla_calendars_name_key ON sla_calendars (lower(name));
CREATE UNIQUE INDEX sla_calendars_one_default ON sla_calendars (is_default) WHERE is_default;
CREATE INDEX sla_calendars_created_idx ON sla_calendars (created_at, id);

-- Dates that differ from the weekly pattern: holidays (no working time) and make-up working days.
CREATE TABLE sla_calendar_days (
  calendar_id uuid NOT NULL REFERENCES sla_calendars (id) ON DELETE CASCADE,
  date        date NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name        text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
  PRIMARY KEY (calendar_id, date)
);

-- A team's working calendar; NULL = the default calendar.
ALTER TABLE teams ADD COLUMN calendar_id uuid REFERENCES sla_calendars (id);

-- The ordered policy list, one row per version; an edit inserts a new version, never an update.
CREATE TABLE sla_policy_versions (
  version         integer PRIMARY KEY CHECK (version >= 1),
  policies        jsonb NOT NULL CHECK (jsonb_typeof(policies) = 'array'),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  created_by      uuid REFERENCES users (id),
  created_by_name text,
  created_at      timestamptz NOT NULL
);
CREATE FUNCTION sla_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER sla_policy_versions_no_update BEFORE UPDATE OR DELETE ON sla_policy_versions
  FOR EACH ROW EXECUTE FUNCTION sla_append_only();
CREATE TRIGGER sla_policy_versions_no_truncate BEFORE TRUNCATE ON sla_policy_versions
  FOR EACH STATEMENT EXECUTE FUNCTION sla_append_only();

-- One clock per target of a ticket (one row per occurrence of a repeating target). Open clocks
-- are running, paused, or breached-but-not-yet-met; `breached` stays true once set, for reports.
-- No index covers a column the sweeper changes (state, warned_at, breached*), and pages keep
-- room (fillfactor), so marking a clock is a HOT update that writes no index entry.
CREATE TABLE sla_clocks (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id        uuid NOT NULL REFERENCES tickets (id),
  policy_version   integer NOT NULL REFERENCES sla_policy_versions (version),
  policy_key       text NOT NULL,
  kind             text NOT NULL,
  occurrence       integer NOT NULL DEFAULT 1 CHECK (occurrence >= 1),
  -- The business calendar the clock counts on; NULL = round the clock (a '24x7' target).
  calendar_id      uuid REFERENCES sla_calendars (id),
  limit_ms         bigint NOT NULL CHECK (limit_ms >= 0),
  warn_after_ms    bigint NOT NULL CHECK (warn_after_ms >= 0 AND warn_after_ms <= limit_ms),
  pauses           boolean NOT NULL,
  repeats          boolean NOT NULL,
  state            text NOT NULL CHECK (state IN ('running', 'paused', 'met', 'breached', 'cancelled')),
  started_at       timestamptz NOT NULL,
  warn_at          timestamptz NOT NULL,
  due_at           timestamptz NOT NULL,
  paused_since     timestamptz,
  -- Working time (on the clock's calendar) spent paused so far, in milliseconds.
  paused_ms        bigint NOT NULL DEFAULT 0 CHECK (paused_ms >= 0),
  warned_at        timestamptz,
  breached_at      timestamptz,
  met_at           timestamptz,
  cancelled_at     timestamptz,
  breached         boolean NOT NULL DEFAULT false,
  business_ms_used bigint CHECK (business_ms_used >= 0),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  CHECK ((state = 'paused') = (paused_since IS NOT NULL)),
  CHECK (breached = (breached_at IS NOT NULL)),
  CHECK (state <> 'breached' OR breached),
  CHECK ((state = 'met') = (met_at IS NOT NULL)),
  CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL))
) WITH (fillfactor = 50);
-- At most one open clock per target of a ticket (starting twice inserts nothing). Open = not met
-- and not cancelled (the CHECKs tie these columns to `state`).
CREATE UNIQUE INDEX sla_clocks_open_key ON sla_clocks (ticket_id, kind)
  WHERE met_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX sla_clocks_ticket_idx ON sla_clocks (ticket_id, created_at);

-- When to look at a running clock again: its warning time (until warned) and its due time.
-- Written with the clock (start, resume, next occurrence), removed when it pauses, is met or is
-- cancelled, and consumed by the sweeper, which claims due rows with FOR UPDATE SKIP LOCKED and
-- deletes them. A timer only wakes the sweeper up: the clock row decides whether anything fires.
CREATE TABLE sla_timers (
  clock_id uuid NOT NULL,
  kind     text NOT NULL CHECK (kind IN ('warning', 'breach')),
  fire_at  timestamptz NOT NULL
);
CREATE INDEX sla_timers_fire_idx ON sla_timers (fire_at);
CREATE INDEX sla_timers_clock_idx ON sla_timers (clock_id);

-- Warnings and breaches fired by the sweeper. The unique key is the second guard of
-- exactly-once: a clock fires each kind once per occurrence, whatever the sweepers do.
CREATE TABLE sla_events (
  clock_id       uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('warning', 'breach')),
  occurrence     integer NOT NULL,
  ticket_id      uuid NOT NULL,
  target_kind    text NOT NULL,
  policy_version integer NOT NULL,
  policy_key     text NOT NULL,
  due_at         timestamptz NOT NULL,
  at             timestamptz NOT NULL,
  -- No foreign key to sla_clocks: only the sweeper writes here, from the clock rows it has
  -- just marked in the same statement (and clocks are never deleted); a ticket's events are
  -- found through its clocks (sla_clocks_ticket_idx, then this key).
  PRIMARY KEY (clock_id, kind, occurrence)
);
CREATE TRIGGER sla_events_no_update BEFORE UPDATE OR DELETE ON sla_events
  FOR EACH ROW EXECUTE FUNCTION sla_append_only();
CREATE TRIGGER sla_events_no_truncate BEFORE TRUNCATE ON sla_events
  FOR EACH STATEMENT EXECUTE FUNCTION sla_append_only();
-- Notifications of fired events go to the `notifications` table of migration 0002.
