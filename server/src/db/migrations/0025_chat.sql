-- Web chat (issue 14, docs/chat.md): sites that embed the widget, conversations and their
-- messages, and the workspace's chat settings.

-- One row: what an administrator may change (SPEC numbers are defaults, never constants).
CREATE TABLE chat_settings (
  id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
  enabled              boolean NOT NULL DEFAULT true,
  -- Conversations one agent may hold at once.
  agent_concurrency    integer NOT NULL DEFAULT 3 CHECK (agent_concurrency BETWEEN 1 AND 50),
  -- The FAQ assistant: answers offered per question, misses before a person takes over.
  bot_enabled          boolean NOT NULL DEFAULT true,
  bot_answers          integer NOT NULL DEFAULT 3 CHECK (bot_answers BETWEEN 1 AND 10),
  bot_max_misses       integer NOT NULL DEFAULT 2 CHECK (bot_max_misses BETWEEN 1 AND 10),
  -- The category a chat ticket is registered under.
  ticket_category      text NOT NULL DEFAULT 'consultation' CHECK (length(ticket_category) BETWEEN 1 AND 100),
  -- How long an identified visitor cookie / anonymous cookie lasts.
  visitor_cookie_days  integer NOT NULL DEFAULT 30 CHECK (visitor_cookie_days BETWEEN 1 AND 400),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
INSERT INTO chat_settings (id) VALUES (true);

-- A site that embeds the widget: its public key goes in `data-kefu-key`; the secret signs the
-- host site's user id (HMAC-SHA256) so the visitor is identified without a sign-in here.
CREATE TABLE chat_sites (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  public_key  text NOT NULL UNIQUE CHECK (length(public_key) BETWEEN 8 AND 100),
  secret      text NOT NULL CHECK (length(secret) >= 16),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE chat_conversations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id         uuid NOT NULL REFERENCES chat_sites (id),
  -- The visitor: the anonymous cookie's id, or `user:<host user id>` when identified.
  visitor_key     text NOT NULL CHECK (length(visitor_key) BETWEEN 1 AND 300),
  identified      boolean NOT NULL DEFAULT false,
  state           text NOT NULL CHECK (state IN ('bot', 'waiting', 'active', 'closed', 'offline')),
  bot_misses      integer NOT NULL DEFAULT 0,
  ticket_id       uuid REFERENCES tickets (id),
  customer_id     uuid REFERENCES customers (id),
  agent_id        uuid REFERENCES users (id),
  team_id         uuid REFERENCES teams (id),
  last_seq        integer NOT NULL DEFAULT 0,
  visitor_read_seq integer NOT NULL DEFAULT 0,
  agent_read_seq  integer NOT NULL DEFAULT 0,
  queued_at       timestamptz,
  accepted_at     timestamptz,
  first_response_at timestamptz,
  closed_at       timestamptz,
  rating          integer CHECK (rating BETWEEN 1 AND 5),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX chat_conversations_visitor ON chat_conversations (site_id, visitor_key, created_at DESC);
CREATE INDEX chat_conversations_queue ON chat_conversations (queued_at) WHERE state = 'waiting';
CREATE INDEX chat_conversations_agent ON chat_conversations (agent_id) WHERE state = 'active';

-- Messages in order: `seq` per conversation; `client_id` makes a resend after a reconnect a
-- no-op (the same message, acknowledged with its first seq).
CREATE TABLE chat_messages (
  conversation_id uuid NOT NULL REFERENCES chat_conversations (id),
  seq             integer NOT NULL CHECK (seq >= 1),
  author          text NOT NULL CHECK (author IN ('visitor', 'bot', 'agent', 'system')),
  agent_id        uuid REFERENCES users (id),
  client_id       text CHECK (length(client_id) BETWEEN 1 AND 100),
  body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  -- Bot answers: the articles offered with the version they cite; system notices: their kind.
  data            jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
CREATE UNIQUE INDEX chat_messages_client_id ON chat_messages (conversation_id, client_id)
  WHERE client_id IS NOT NULL;
