-- Tickets (SPEC 1, 2, 4): customers, tickets with a per-year human number, an immutable
-- timeline, confirmation tokens, return visits, links, categories, settings, notifications.

CREATE TABLE customers (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Digits with an optional leading +, normalised by the service.
  phone             text CHECK (phone ~ '^\+?[0-9]{3,20}$'),
  email             text CHECK (email = lower(email) AND length(email) <= 254),
  wechat            text CHECK (length(wechat) <= 100),
  organisation      text CHECK (length(organisation) <= 200),
  tier              text NOT NULL DEFAULT 'regular' CHECK (tier IN ('vip', 'regular', 'prospect')),
  notes             text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
  consent_contact   boolean NOT NULL DEFAULT false,
  consent_marketing boolean NOT NULL DEFAULT false,
  created_by        uuid,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX customers_created_idx ON customers (created_at, id);
-- Look-up as you type by phone prefix; de-duplication by exact phone / email.
CREATE INDEX customers_phone_idx ON customers (phone text_pattern_ops);
CREATE INDEX customers_email_idx ON customers (email);

-- Workspace settings of the closed loop: one row, defaults from SPEC, changed by an admin.
CREATE TABLE ticket_settings (
  id                     boolean PRIMARY KEY DEFAULT true CHECK (id),
  auto_close_days        integer NOT NULL DEFAULT 7 CHECK (auto_close_days BETWEEN 1 AND 365),
  reopen_window_days     integer NOT NULL DEFAULT 15 CHECK (reopen_window_days BETWEEN 0 AND 365),
  archive_after_days     integer NOT NULL DEFAULT 30 CHECK (archive_after_days BETWEEN 1 AND 3650),
  confirmation_link_days integer NOT NULL DEFAULT 14 CHECK (confirmation_link_days BETWEEN 1 AND 365),
  time_zone              text NOT NULL DEFAULT 'Asia/Shanghai',
  updated_at             timestamptz
);
INSERT INTO ticket_settings DEFAULT VALUES;

-- Admin-configurable categories; the six of SPEC 2 are seeded. Only `complaint` has rules.
CREATE TABLE ticket_categories (
  key          text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  label_zh     text NOT NULL CHECK (length(label_zh) BETWEEN 1 AND 50),
  label_en     text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 50),
  default_tier text NOT NULL CHECK (default_tier IN ('L1', 'L2', 'L3')),
  active       boolean NOT NULL DEFAULT true,
  sort_order   integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ticket_categories (key, label_zh, label_en, default_tier, sort_order) VALUES
  ('consultation',         '咨询',     'Consultation',         'L1', 10),
  ('complaint',            '投诉',     'Complaint',            'L3', 20),
  ('product_use',          '产品使用', 'Product use',          'L1', 30),
  ('after_sales',          '售后',     'After-sales',          'L2', 40),
  ('business_application', '业务申请', 'Business application', 'L1', 50),
  ('suggestion',           '建议反馈', 'Suggestion',           'L1', 60);

-- Per-year counter of ticket numbers: the row is bumped with UPDATE … RETURNING inside the
-- creating transaction, so concurrent creations queue on the row lock and never share a number.
CREATE TABLE ticket_number_sequences (
  year       integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
  last_value integer NOT NULL CHECK (last_value >= 0)
);

CREATE TABLE tickets (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number              text NOT NULL UNIQUE,
  channel             text NOT NULL CHECK (channel IN ('chat', 'phone', 'email', 'portal', 'walk_in', 'api')),
  category            text NOT NULL REFERENCES ticket_categories (key),
  tier                text NOT NULL CHECK (tier IN ('L1', 'L2', 'L3')),
  priority            text NOT NULL CHECK (priority IN ('urgent', 'important', 'general')),
  subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  description         text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  customer_id         uuid NOT NULL REFERENCES customers (id),
  received_at         timestamptz NOT NULL,
  registered_at       timestamptz NOT NULL,
  registered_by       uuid NOT NULL REFERENCES users (id),
  receiving_agent_id  uuid NOT NULL REFERENCES users (id),
  owner_id            uuid NOT NULL REFERENCES users (id),
  team_id             uuid REFERENCES teams (id),
  handler_id          uuid REFERENCES users (id),
  status              text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'accepted', 'in_progress',
                        'pending_customer', 'pending_internal', 'resolved', 'closed', 'reopened', 'archived')),
  green_channel       boolean NOT NULL DEFAULT false,
  tags                text[] NOT NULL DEFAULT '{}',
  version             integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  first_response_at   timestamptz,
  accepted_at         timestamptz,
  resolved_at         timestamptz,
  confirmed_at        timestamptz,
  closed_at           timestamptz,
  close_kind          text CHECK (close_kind IN ('confirmed', 'auto_no_reply', 'unresolved', 'merged')),
  archived_at         timestamptz,
  follow_up_reason    text,
  follow_up_plan      text,
  follow_up_due_at    timestamptz,
  follow_up_done_at   timestamptz,
  merged_into_id      uuid REFERENCES tickets (id),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CHECK ((closed_at IS NULL) = (close_kind IS NULL)),
  CHECK ((follow_up_plan IS NULL) = (follow_up_due_at IS NULL)),
  CHECK (status NOT IN ('closed', 'archived') OR closed_at IS NOT NULL),
  CHECK ((merged_into_id IS NULL) OR (close_kind = 'merged' AND merged_into_id <> id))
);
-- Lists and queues (keyset order is (received_at, id) or (updated_at, id)).
CREATE INDEX tickets_received_idx ON tickets (received_at DESC, id DESC);
CREATE INDEX tickets_updated_idx ON tickets (updated_at DESC, id DESC);
CREATE INDEX tickets_owner_idx ON tickets (owner_id, status, received_at DESC);
CREATE INDEX tickets_handler_idx ON tickets (handler_id, status, received_at DESC) WHERE handler_id IS NOT NULL;
CREATE INDEX tickets_team_idx ON tickets (team_id, status, received_at DESC) WHERE team_id IS NOT NULL;
CREATE INDEX tickets_customer_idx ON tickets (customer_id, received_at DESC);
CREATE INDEX tickets_status_idx ON tickets (status, received_at DESC);
CREATE INDEX tickets_resolved_idx ON tickets (resolved_at) WHERE status = 'resolved';
CREATE INDEX tickets_closed_idx ON tickets (closed_at) WHERE status = 'closed';
CREATE INDEX tickets_green_idx ON tickets (received_at DESC) WHERE green_channel;
CREATE INDEX tickets_follow_up_idx ON tickets (follow_up_due_at)
  WHERE follow_up_due_at IS NOT NULL AND follow_up_done_at IS NULL;
CREATE INDEX tickets_tags_idx ON tickets USING gin (tags);

-- The timeline: every reply, note, status change, assignment, … with who and when.
CREATE TABLE ticket_events (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  ticket_id  uuid NOT NULL REFERENCES tickets (id),
  kind       text NOT NULL CHECK (kind IN ('created', 'reply', 'note', 'status', 'assignment', 'owner',
               'field', 'tier', 'merge', 'link', 'return_visit', 'confirmation', 'follow_up')),
  at         timestamptz NOT NULL,
  actor_id   uuid,
  actor_name text,
  visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
  body       text CHECK (length(body) <= 20000),
  data       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, seq);

-- The timeline is immutable, like the audit log: the database refuses to rewrite history.
CREATE FUNCTION ticket_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_append_only();
CREATE TRIGGER ticket_events_no_truncate BEFORE TRUNCATE ON ticket_events
  FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_append_only();

-- Return visits (回访): when, by whom, outcome, whether the customer accepted the result.
CREATE TABLE ticket_return_visits (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id         uuid NOT NULL REFERENCES tickets (id),
  visited_at        timestamptz NOT NULL,
  by_id             uuid NOT NULL REFERENCES users (id),
  outcome           text NOT NULL CHECK (length(outcome) BETWEEN 1 AND 5000),
  customer_accepted boolean NOT NULL,
  created_at        timestamptz NOT NULL
);
CREATE INDEX ticket_return_visits_ticket_idx ON ticket_return_visits (ticket_id, visited_at DESC);

-- Confirmation links: only the SHA-256 of the random token is stored; single use; expiry.
CREATE TABLE ticket_confirmations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id  uuid NOT NULL REFERENCES tickets (id),
  token_hash text NOT NULL UNIQUE,
  sent_to    text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  decision   text CHECK (decision IN ('confirm', 'reject')),
  reason     text CHECK (length(reason) <= 2000),
  revoked_at timestamptz,
  CHECK ((used_at IS NULL) = (decision IS NULL))
);
CREATE INDEX ticket_confirmations_ticket_idx ON ticket_confirmations (ticket_id);

-- Related tickets, one row per pair (a < b); merges are links of kind 'merged'.
CREATE TABLE ticket_links (
  ticket_a   uuid NOT NULL REFERENCES tickets (id),
  ticket_b   uuid NOT NULL REFERENCES tickets (id),
  kind       text NOT NULL DEFAULT 'related' CHECK (kind IN ('related', 'merged')),
  created_by uuid,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_a, ticket_b),
  CHECK (ticket_a < ticket_b)
);
CREATE INDEX ticket_links_b_idx ON ticket_links (ticket_b);

-- In-app notifications (L3 escalations to supervisors, …).
CREATE TABLE notifications (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind       text NOT NULL,
  ticket_id  uuid REFERENCES tickets (id),
  title      text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
