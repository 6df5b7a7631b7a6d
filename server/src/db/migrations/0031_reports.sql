-- Reports (issue 12, docs/reports.md): the report settings (repeat-problem window), scheduled
-- service reports mailed through the outbox, and files attached to outbox mail (the PDF).
CREATE TABLE report_settings (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  repeat_window_days integer NOT NULL DEFAULT 7 CHECK (repeat_window_days BETWEEN 1 AND 365),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO report_settings (id) VALUES (1);

CREATE TABLE report_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  period text NOT NULL CHECK (period IN ('month', 'quarter')),
  recipients text[] NOT NULL,
  locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en-US')),
  enabled boolean NOT NULL DEFAULT true,
  -- The last period mailed (YYYY-MM or YYYY-Qn): the job mails a period once, by moving this.
  last_period text,
  last_sent_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE mail_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mail_id uuid NOT NULL REFERENCES mail_outbox (id) ON DELETE CASCADE,
  position integer NOT NULL DEFAULT 0,
  filename text NOT NULL,
  content_type text NOT NULL,
  content bytea NOT NULL
);
CREATE INDEX mail_attachments_mail_idx ON mail_attachments (mail_id, position);
