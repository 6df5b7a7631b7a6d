-- Quality inspection (质检, issue 15, docs/qa.md): settings, versioned scorecards, weekly samples,
-- evaluations, appeals and training needs.

-- One row of settings an administrator changes (SPEC chapter 7's numbers are the defaults).
CREATE TABLE qa_settings (
  id                  boolean PRIMARY KEY DEFAULT true CHECK (id),
  sample_percent      numeric(5,2) NOT NULL DEFAULT 10 CHECK (sample_percent > 0 AND sample_percent <= 100),
  min_per_agent       integer NOT NULL DEFAULT 1 CHECK (min_per_agent BETWEEN 0 AND 100),
  sampling_weekday    integer NOT NULL DEFAULT 1 CHECK (sampling_weekday BETWEEN 1 AND 7),
  sampling_hour       integer NOT NULL DEFAULT 6 CHECK (sampling_hour BETWEEN 0 AND 23),
  appeal_working_days integer NOT NULL DEFAULT 3 CHECK (appeal_working_days BETWEEN 1 AND 30),
  low_csat_below      integer NOT NULL DEFAULT 60 CHECK (low_csat_below BETWEEN 1 AND 100),
  fail_ratio          numeric(4,3) NOT NULL DEFAULT 0.6 CHECK (fail_ratio > 0 AND fail_ratio <= 1),
  training_failures   integer NOT NULL DEFAULT 3 CHECK (training_failures BETWEEN 1 AND 50),
  training_weeks      integer NOT NULL DEFAULT 4 CHECK (training_weeks BETWEEN 1 AND 52),
  updated_at          timestamptz
);
INSERT INTO qa_settings DEFAULT VALUES;

-- Scorecard templates, versioned: every edit inserts the next version; an evaluation pins one.
CREATE TABLE qa_scorecard_versions (
  version         integer PRIMARY KEY CHECK (version >= 1),
  criteria        jsonb NOT NULL CHECK (jsonb_typeof(criteria) = 'array'),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  created_by      uuid REFERENCES users (id),
  created_by_name text,
  created_at      timestamptz NOT NULL
);
CREATE FUNCTION qa_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER qa_scorecard_versions_no_update BEFORE UPDATE OR DELETE ON qa_scorecard_versions
  FOR EACH ROW EXECUTE FUNCTION qa_append_only();

-- A drawing of a week's sample; the seed is stored so the drawing can be repeated and checked.
-- A week is drawn once, by the job or by hand (unique week_start): never twice.
CREATE TABLE qa_sample_runs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  week_start  date NOT NULL,
  seed        text NOT NULL CHECK (length(seed) BETWEEN 1 AND 100),
  percent     numeric(5,2) NOT NULL,
  min_per_agent integer NOT NULL,
  source      text NOT NULL CHECK (source IN ('job', 'manual')),
  candidates  integer NOT NULL,
  sampled     integer NOT NULL,
  created_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX qa_sample_runs_week_key ON qa_sample_runs (week_start);

-- A sampled item: one ticket, never sampled twice (unique ticket_id).
CREATE TABLE qa_items (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id       uuid REFERENCES qa_sample_runs (id),
  ticket_id    uuid NOT NULL UNIQUE REFERENCES tickets (id),
  agent_id     uuid NOT NULL REFERENCES users (id),
  inspector_id uuid REFERENCES users (id),
  channel      text NOT NULL,
  category     text NOT NULL,
  reason       text NOT NULL CHECK (reason IN ('random', 'complaint', 'breached', 'low_csat')),
  week_start   date NOT NULL,
  calibration  boolean NOT NULL DEFAULT false,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'scored')),
  added_by     uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL,
  CHECK (inspector_id IS NULL OR inspector_id <> agent_id)
);
CREATE INDEX qa_items_inspector_idx ON qa_items (inspector_id, status, created_at);
CREATE INDEX qa_items_agent_idx ON qa_items (agent_id, week_start);

-- An inspector's scoring of an item against a pinned scorecard version; several inspectors may
-- score the same item (calibration), each once.
CREATE TABLE qa_evaluations (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id           uuid NOT NULL REFERENCES qa_items (id),
  inspector_id      uuid NOT NULL REFERENCES users (id),
  scorecard_version integer NOT NULL REFERENCES qa_scorecard_versions (version),
  scores            jsonb NOT NULL DEFAULT '{}',
  comments          jsonb NOT NULL DEFAULT '{}',
  summary           text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  total             numeric(5,1),
  critical_failed   boolean NOT NULL DEFAULT false,
  failed_criteria   text[] NOT NULL DEFAULT '{}',
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  submitted_at      timestamptz,
  appeal_deadline   timestamptz,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  UNIQUE (item_id, inspector_id),
  CHECK ((status = 'submitted') = (submitted_at IS NOT NULL AND total IS NOT NULL))
);
CREATE INDEX qa_evaluations_submitted_idx ON qa_evaluations (submitted_at) WHERE status = 'submitted';

-- An agent's appeal of an evaluation, and the supervisor's decision; the evaluation is kept as it was.
CREATE TABLE qa_appeals (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id  uuid NOT NULL UNIQUE REFERENCES qa_evaluations (id),
  agent_id       uuid NOT NULL REFERENCES users (id),
  reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'upheld', 'rejected')),
  revised_total  numeric(5,1) CHECK (revised_total BETWEEN 0 AND 100),
  decision_note  text CHECK (length(decision_note) <= 2000),
  decided_by     uuid REFERENCES users (id),
  decided_by_name text,
  decided_at     timestamptz,
  created_at     timestamptz NOT NULL,
  CHECK ((status = 'pending') = (decided_at IS NULL))
);

-- Repeated failures of one criterion by one agent: a training need (one open per agent and criterion).
CREATE TABLE qa_training_needs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id      uuid NOT NULL REFERENCES users (id),
  criterion_key text NOT NULL,
  failures      integer NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX qa_training_needs_open_key ON qa_training_needs (agent_id, criterion_key) WHERE status = 'open';
