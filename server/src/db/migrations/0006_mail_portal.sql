-- Mail outbox (SMTP via the mail-sender job) and the customer portal's own accounts, one-time
-- sign-in codes, sessions and settings (issue 3; SPEC chapters 1, 4, 12).

-- Mail is written in the same transaction as the change that causes it and sent later by
-- the mail-sender job: no mail without the change, no change without its mail.
CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  to_address      text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
  subject         text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
  text_body       text NOT NULL,
  html_body       text,
  template        text NOT NULL CHECK (length(template) BETWEEN 1 AND 100),
  locale          text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en-US')),
  ticket_id       uuid REFERENCES tickets (id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  last_error      text CHECK (length(last_error) <= 2000),
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
-- The sender's claim: due queued rows, oldest first.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at, id);
CREATE INDEX mail_outbox_ticket_idx ON mail_outbox (ticket_id);

-- Portal settings: one row, defaults from the brief, changed by an administrator.
CREATE TABLE portal_settings (
  id                boolean PRIMARY KEY DEFAULT true CHECK (id),
  code_ttl_minutes  integer NOT NULL DEFAULT 10 CHECK (code_ttl_minutes BETWEEN 1 AND 120),
  code_max_attempts integer NOT NULL DEFAULT 5 CHECK (code_max_attempts BETWEEN 1 AND 20),
  session_ttl_hours integer NOT NULL DEFAULT 24 CHECK (session_ttl_hours BETWEEN 1 AND 720),
  -- The receiving agent (and first-contact owner) of requests submitted in the portal.
  intake_user_id    uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at        timestamptz
);
INSERT INTO portal_settings (id) VALUES (true);

-- A customer's portal account: one per email address, tied to a customer record.
CREATE TABLE portal_accounts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email           text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
  customer_id     uuid NOT NULL REFERENCES customers (id),
  password_hash   text,
  locale          text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en-US')),
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  last_sign_in_at timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

-- One-time sign-in codes: only a salted SHA-256 of the 6 digits is stored.
CREATE TABLE portal_sign_in_codes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email      text NOT NULL CHECK (email = lower(email)),
  code_hash  text NOT NULL,
  attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX portal_sign_in_codes_email_idx ON portal_sign_in_codes (email, created_at DESC);

-- Portal sessions: separate from staff sessions; the cookie holds a secret, the row its SHA-256.
CREATE TABLE portal_sessions (
  id           text PRIMARY KEY,
  account_id   uuid NOT NULL REFERENCES portal_accounts (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  -- How the session was opened: a code proves the mailbox, so it may set a new password.
  method       text NOT NULL CHECK (method IN ('code', 'password')),
  ip           text,
  user_agent   text,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX portal_sessions_account_idx ON portal_sessions (account_id);
