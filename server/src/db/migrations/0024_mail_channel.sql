-- Email as a channel, inbound (issue 13; SPEC chapter 1): the built-in SMTP receiver's and the
-- intake's settings, IMAP mailboxes, and one row per message received (the idempotency key
-- is its Message-ID; the raw message is kept).

-- One row: off by default; numbers are defaults an administrator changes.
CREATE TABLE mail_inbound_settings (
  id                    boolean PRIMARY KEY DEFAULT true CHECK (id),
  smtp_enabled          boolean NOT NULL DEFAULT false,
  smtp_host             text NOT NULL DEFAULT '127.0.0.1' CHECK (length(smtp_host) BETWEEN 1 AND 255),
  smtp_port             integer NOT NULL DEFAULT 2525 CHECK (smtp_port BETWEEN 1 AND 65535),
  -- Where mail received over SMTP goes (an IMAP mailbox names its own team).
  smtp_team_id          uuid REFERENCES teams (id) ON DELETE SET NULL,
  default_category      text NOT NULL DEFAULT 'consultation' REFERENCES ticket_categories (key),
  -- Per sender: more messages than this within the window are recorded, not ticketed.
  sender_limit          integer NOT NULL DEFAULT 20 CHECK (sender_limit BETWEEN 1 AND 10000),
  sender_window_minutes integer NOT NULL DEFAULT 60 CHECK (sender_window_minutes BETWEEN 1 AND 10080),
  max_message_bytes     integer NOT NULL DEFAULT 26214400 CHECK (max_message_bytes BETWEEN 1024 AND 104857600),
  -- Addresses (a@b.c) or whole domains (@b.c), lower case.
  blocklist             text[] NOT NULL DEFAULT '{}',
  updated_at            timestamptz
);
INSERT INTO mail_inbound_settings (id) VALUES (true);

-- IMAP mailboxes polled by the mail-intake job. The password is never returned by the API.
CREATE TABLE mail_mailboxes (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
  address        text NOT NULL CHECK (address = lower(address) AND length(address) BETWEEN 3 AND 254),
  host           text NOT NULL CHECK (length(host) BETWEEN 1 AND 255),
  port           integer NOT NULL DEFAULT 993 CHECK (port BETWEEN 1 AND 65535),
  tls            boolean NOT NULL DEFAULT true,
  username       text NOT NULL CHECK (length(username) BETWEEN 1 AND 254),
  password       text NOT NULL CHECK (length(password) BETWEEN 1 AND 1000),
  folder         text NOT NULL DEFAULT 'INBOX' CHECK (length(folder) BETWEEN 1 AND 200),
  team_id        uuid REFERENCES teams (id) ON DELETE SET NULL,
  category       text REFERENCES ticket_categories (key),
  poll_seconds   integer NOT NULL DEFAULT 60 CHECK (poll_seconds BETWEEN 10 AND 86400),
  active         boolean NOT NULL DEFAULT true,
  last_polled_at timestamptz,
  last_error     text CHECK (length(last_error) <= 2000),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);

-- Every message received, whatever became of it. Written in the transaction that registers
-- or appends its ticket, so a message is processed exactly when its ticket commits.
CREATE TABLE mail_inbound (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id   text NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 998),
  source       text NOT NULL CHECK (source IN ('smtp', 'imap')),
  mailbox_id   uuid REFERENCES mail_mailboxes (id) ON DELETE SET NULL,
  from_address text CHECK (length(from_address) <= 254),
  subject      text NOT NULL DEFAULT '' CHECK (length(subject) <= 1000),
  in_reply_to  text[] NOT NULL DEFAULT '{}',
  arrived_at   timestamptz NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('ticket', 'appended', 'held', 'accepted',
                 'auto_reply', 'bounce', 'bulk', 'blocked', 'rate_limited', 'rejected')),
  reason       text CHECK (length(reason) <= 2000),
  ticket_id    uuid REFERENCES tickets (id) ON DELETE SET NULL,
  size_bytes   integer NOT NULL CHECK (size_bytes >= 0),
  raw          text NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX mail_inbound_created_idx ON mail_inbound (created_at, id);
CREATE INDEX mail_inbound_sender_idx ON mail_inbound (from_address, arrived_at);
CREATE INDEX mail_inbound_ticket_idx ON mail_inbound (ticket_id);
CREATE INDEX mail_inbound_held_idx ON mail_inbound (created_at) WHERE outcome = 'held';
