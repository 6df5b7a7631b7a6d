-- Email as a channel, outbound (issue 13): agents' public replies go to the customer by mail
-- with threading headers and attachments; templates administrators edit; a failed reply is
-- kept ("not delivered") and can be discarded from the dead-letter view. Mailbox passwords are
-- encrypted at rest by the application (AES-256-GCM); start-up re-encrypts plain rows.

ALTER TABLE mail_outbox ADD COLUMN message_id text CHECK (length(message_id) BETWEEN 3 AND 998);
ALTER TABLE mail_outbox ADD COLUMN in_reply_to text CHECK (length(in_reply_to) <= 998);
ALTER TABLE mail_outbox ADD COLUMN reference_ids text[] NOT NULL DEFAULT '{}';
ALTER TABLE mail_outbox ADD COLUMN from_header text CHECK (length(from_header) <= 400);
ALTER TABLE mail_outbox ADD COLUMN reply_to text CHECK (length(reply_to) <= 254);
ALTER TABLE mail_outbox ADD COLUMN event_id uuid REFERENCES ticket_events (id) ON DELETE SET NULL;
ALTER TABLE mail_outbox ADD COLUMN attachment_ids uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE mail_outbox ADD COLUMN discarded_at timestamptz;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_status_check
  CHECK (status IN ('queued', 'sent', 'failed', 'expired', 'discarded'));
CREATE UNIQUE INDEX mail_outbox_message_id_key ON mail_outbox (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX mail_outbox_event_idx ON mail_outbox (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX mail_outbox_failed_idx ON mail_outbox (created_at, id) WHERE status = 'failed';

-- Templates as administrators edit them; no row = the built-in text.
CREATE TABLE mail_templates (
  template   text NOT NULL CHECK (length(template) BETWEEN 1 AND 100),
  locale     text NOT NULL CHECK (locale IN ('zh-CN', 'en-US')),
  subject    text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (template, locale)
);

-- Encrypted passwords (`enc:v1:` + base64) are longer than the plain ones.
ALTER TABLE mail_mailboxes DROP CONSTRAINT mail_mailboxes_password_check;
ALTER TABLE mail_mailboxes ADD CONSTRAINT mail_mailboxes_password_check
  CHECK (length(password) BETWEEN 1 AND 2000);
