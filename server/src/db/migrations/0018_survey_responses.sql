-- Satisfaction survey answers: the contract between the surveys area (which sends invitations and
-- records answers) and the KPI engine (which counts them). One row per invitation; the surveys
-- area may add columns in later migrations, the KPI engine reads only these.
CREATE TABLE survey_responses (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- 'ticket' = sent when a ticket was resolved/closed; 'campaign' = the monthly campaign.
  kind           text NOT NULL CHECK (kind IN ('ticket', 'campaign')),
  ticket_id      uuid REFERENCES tickets (id),
  customer_id    uuid NOT NULL REFERENCES customers (id),
  -- The agent the answer counts for, fixed when the invitation is sent (the ticket's owner then).
  agent_id       uuid REFERENCES users (id),
  team_id        uuid REFERENCES teams (id),
  -- Month the invitation belongs to (first day, Asia/Shanghai), whatever the answer's date.
  period_month   date NOT NULL,
  sent_at        timestamptz NOT NULL,
  answered_at    timestamptz,
  -- "Was your problem solved?"; NULL when the template does not ask or it is unanswered.
  solved         boolean,
  -- Overall satisfaction mapped onto 0–100; NULL until answered.
  score100       numeric(5, 2) CHECK (score100 IS NULL OR (score100 >= 0 AND score100 <= 100)),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CHECK ((answered_at IS NULL) OR (score100 IS NOT NULL OR solved IS NOT NULL)),
  CHECK (kind <> 'ticket' OR ticket_id IS NOT NULL)
);
-- One ticket survey per ticket.
CREATE UNIQUE INDEX survey_responses_ticket_key ON survey_responses (ticket_id) WHERE kind = 'ticket';
CREATE INDEX survey_responses_period_idx ON survey_responses (period_month, agent_id);
