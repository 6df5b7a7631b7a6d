-- KPI engine and monthly assessment (issue 11, docs/kpi.md).

-- Targets and warning floors per KPI, versioned like the SLA policies: every edit inserts the
-- next version, no version is ever changed; each snapshot pins the version it was assessed with.
CREATE TABLE kpi_target_versions (
  version         integer PRIMARY KEY CHECK (version >= 1),
  targets         jsonb NOT NULL CHECK (jsonb_typeof(targets) = 'object'),
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  created_by      uuid REFERENCES users (id),
  created_by_name text,
  created_at      timestamptz NOT NULL
);
CREATE FUNCTION kpi_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER kpi_target_versions_no_update BEFORE UPDATE OR DELETE ON kpi_target_versions
  FOR EACH ROW EXECUTE FUNCTION kpi_append_only();
CREATE TRIGGER kpi_target_versions_no_truncate BEFORE TRUNCATE ON kpi_target_versions
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_append_only();

-- A month's assessment: every agent's and team's KPIs and outcomes (`results`). A draft may be
-- recomputed; once signed it never changes — a correction is a new draft that names the signed
-- snapshot it supersedes and why.
CREATE TABLE kpi_snapshots (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  period_month      date NOT NULL CHECK (extract(day FROM period_month) = 1),
  target_version    integer NOT NULL REFERENCES kpi_target_versions (version),
  results           jsonb NOT NULL,
  source            text NOT NULL CHECK (source IN ('job', 'manual', 'correction')),
  computed_at       timestamptz NOT NULL,
  computed_by       uuid REFERENCES users (id),
  computed_by_name  text,
  supersedes_id     uuid REFERENCES kpi_snapshots (id),
  correction_reason text CHECK (length(correction_reason) BETWEEN 1 AND 1000),
  signed_at         timestamptz,
  signed_by         uuid REFERENCES users (id),
  signed_by_name    text,
  sign_note         text CHECK (length(sign_note) <= 1000),
  revision          integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  created_at        timestamptz NOT NULL,
  CHECK ((signed_at IS NULL) = (signed_by IS NULL)),
  CHECK ((supersedes_id IS NULL) = (correction_reason IS NULL)),
  CHECK ((source = 'correction') = (supersedes_id IS NOT NULL))
);
-- At most one draft per month, and a signed snapshot is corrected at most once (a chain).
CREATE UNIQUE INDEX kpi_snapshots_draft_key ON kpi_snapshots (period_month) WHERE signed_at IS NULL;
CREATE UNIQUE INDEX kpi_snapshots_supersedes_key ON kpi_snapshots (supersedes_id) WHERE supersedes_id IS NOT NULL;
CREATE INDEX kpi_snapshots_month_idx ON kpi_snapshots (period_month, created_at DESC);

CREATE FUNCTION kpi_snapshots_signed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.signed_at IS NOT NULL THEN
    RAISE EXCEPTION 'a signed KPI snapshot is immutable (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER kpi_snapshots_immutable BEFORE UPDATE OR DELETE ON kpi_snapshots
  FOR EACH ROW EXECUTE FUNCTION kpi_snapshots_signed_immutable();
CREATE TRIGGER kpi_snapshots_no_truncate BEFORE TRUNCATE ON kpi_snapshots
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_append_only();

-- Months the monthly job has assessed: the primary key makes the job run a month exactly once,
-- whatever the number of instances (job_leases keeps them from running at the same time).
CREATE TABLE kpi_job_runs (
  period_month date PRIMARY KEY,
  snapshot_id  uuid REFERENCES kpi_snapshots (id),
  holder       text NOT NULL,
  ran_at       timestamptz NOT NULL
);

-- "Training required" (two months in a row below a floor): open items for the training area.
-- Written when the snapshot that finds it is signed; one per person and month.
CREATE TABLE kpi_training_items (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users (id),
  period_month date NOT NULL,
  snapshot_id  uuid NOT NULL REFERENCES kpi_snapshots (id),
  kpis         text[] NOT NULL,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'scheduled', 'done', 'cancelled')),
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  UNIQUE (user_id, period_month)
);
CREATE INDEX kpi_training_items_open_idx ON kpi_training_items (created_at) WHERE status = 'open';

-- The facts query reads reopenings by month: a small partial index instead of a timeline scan.
CREATE INDEX ticket_events_reopen_idx ON ticket_events (at)
  WHERE kind = 'status' AND data ->> 'to' = 'reopened';
