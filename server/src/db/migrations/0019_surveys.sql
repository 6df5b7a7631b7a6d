-- Satisfaction surveys (issue 11, SPEC 6): templates of 1–3 questions with versions, the
-- workspace's survey settings, the links sent to customers (only a SHA-256 of each token), the
-- customer-level opt-out, delayed sends, monthly campaigns, and the surveys area's own columns on
-- survey_responses (migration 0018 is the KPI contract; nothing here changes its columns).

-- A template's current text; every version ever used stays in survey_template_versions.
CREATE TABLE survey_templates (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- [{ key, type: 'solved' | 'rating5' | 'score100', zh, en, overall? }], 1–3 of them.
  questions     jsonb NOT NULL CHECK (jsonb_typeof(questions) = 'array'
                  AND jsonb_array_length(questions) BETWEEN 1 AND 3),
  allow_comment boolean NOT NULL DEFAULT true,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE survey_template_versions (
  template_id   uuid NOT NULL REFERENCES survey_templates (id),
  version       integer NOT NULL CHECK (version >= 1),
  name          text NOT NULL,
  questions     jsonb NOT NULL,
  allow_comment boolean NOT NULL,
  created_by    uuid,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (template_id, version)
);

-- The default template (also in a fresh workspace): solved?, attitude 1–5, overall 1–5.
INSERT INTO survey_templates (id, name, version, questions, allow_comment, active, created_at, updated_at)
VALUES ('00000000-0000-4000-8000-00000000a011', '默认满意度调查', 1,
  '[{"key":"solved","type":"solved","zh":"您的问题是否已经解决？","en":"Was your problem solved?"},
    {"key":"attitude","type":"rating5","zh":"您对客服人员的服务态度是否满意？","en":"How satisfied are you with the agent''s attitude?"},
    {"key":"overall","type":"rating5","zh":"请为本次服务打分","en":"How would you rate this service overall?","overall":true}]',
  true, true, now(), now());
INSERT INTO survey_template_versions (template_id, version, name, questions, allow_comment, created_at)
SELECT id, version, name, questions, allow_comment, created_at FROM survey_templates;

-- Workspace survey settings: one row, changed by an administrator.
CREATE TABLE survey_settings (
  id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
  enabled              boolean NOT NULL DEFAULT true,
  send_on              text NOT NULL DEFAULT 'closed' CHECK (send_on IN ('resolved', 'closed')),
  delay_minutes        integer NOT NULL DEFAULT 0 CHECK (delay_minutes BETWEEN 0 AND 10080),
  channels             text[] NOT NULL DEFAULT '{email}' CHECK (channels <@ ARRAY['email', 'sms']::text[]),
  link_days            integer NOT NULL DEFAULT 7 CHECK (link_days BETWEEN 1 AND 90),
  -- 0 = no reminder.
  reminder_after_hours integer NOT NULL DEFAULT 48 CHECK (reminder_after_hours BETWEEN 0 AND 720),
  low_score_threshold  integer NOT NULL DEFAULT 60 CHECK (low_score_threshold BETWEEN 0 AND 100),
  follow_up_days       integer NOT NULL DEFAULT 2 CHECK (follow_up_days BETWEEN 1 AND 60),
  template_id          uuid NOT NULL REFERENCES survey_templates (id),
  updated_at           timestamptz
);
INSERT INTO survey_settings (template_id) VALUES ('00000000-0000-4000-8000-00000000a011');

-- A customer who said "no more surveys" (link in every survey mail and page).
CREATE TABLE survey_opt_outs (
  customer_id uuid PRIMARY KEY REFERENCES customers (id),
  via         text NOT NULL CHECK (via IN ('link', 'staff')),
  created_at  timestamptz NOT NULL
);

-- Monthly satisfaction campaigns (SPEC 6): one per month.
CREATE TABLE survey_campaigns (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  period_month     date NOT NULL UNIQUE CHECK (extract(day FROM period_month) = 1),
  template_id      uuid NOT NULL REFERENCES survey_templates (id),
  template_version integer NOT NULL,
  created_by       uuid REFERENCES users (id),
  created_at       timestamptz NOT NULL,
  last_run_at      timestamptz,
  skipped          integer NOT NULL DEFAULT 0,
  FOREIGN KEY (template_id, template_version) REFERENCES survey_template_versions (template_id, version)
);

-- The surveys area's own columns on the contract table.
ALTER TABLE survey_responses
  ADD COLUMN template_id      uuid REFERENCES survey_templates (id),
  ADD COLUMN template_version integer,
  ADD COLUMN campaign_id      uuid REFERENCES survey_campaigns (id),
  ADD COLUMN channels         text[] NOT NULL DEFAULT '{}',
  ADD COLUMN locale           text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en-US')),
  ADD COLUMN expires_at       timestamptz,
  ADD COLUMN reminder_sent_at timestamptz,
  ADD COLUMN sms_sent_at      timestamptz,
  ADD COLUMN answers          jsonb,
  ADD COLUMN comment          text CHECK (length(comment) <= 2000),
  ADD COLUMN answered_via     text CHECK (answered_via IN ('email', 'sms', 'reminder', 'link')),
  ADD COLUMN follow_up_at     timestamptz,
  ADD FOREIGN KEY (template_id, template_version) REFERENCES survey_template_versions (template_id, version);
-- The campaign asks each customer once per month.
CREATE UNIQUE INDEX survey_responses_campaign_key ON survey_responses (customer_id, period_month)
  WHERE kind = 'campaign';
CREATE INDEX survey_responses_sent_idx ON survey_responses (sent_at DESC, id DESC);
-- The reminder job's scan: unanswered, not yet reminded.
CREATE INDEX survey_responses_remind_idx ON survey_responses (sent_at)
  WHERE answered_at IS NULL AND reminder_sent_at IS NULL;

-- The links of an invitation (first mail, SMS, reminder): only the SHA-256 of each token.
CREATE TABLE survey_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  response_id uuid NOT NULL REFERENCES survey_responses (id),
  token_hash  text NOT NULL UNIQUE,
  channel     text NOT NULL CHECK (channel IN ('email', 'sms', 'reminder', 'link')),
  created_at  timestamptz NOT NULL
);
CREATE INDEX survey_tokens_response_idx ON survey_tokens (response_id);

-- Ticket surveys waiting for the configured delay; the survey job sends them when due.
CREATE TABLE survey_dispatches (
  ticket_id  uuid PRIMARY KEY REFERENCES tickets (id),
  due_at     timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX survey_dispatches_due_idx ON survey_dispatches (due_at);
