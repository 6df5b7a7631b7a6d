-- Issue 14, the rest: outbound (click-to-call) calls and idle chats closed automatically.
ALTER TABLE calls ADD COLUMN direction text NOT NULL DEFAULT 'inbound'
  CHECK (direction IN ('inbound', 'outbound'));
ALTER TABLE calls ADD COLUMN dialled_by uuid REFERENCES users (id);
ALTER TABLE calls ADD COLUMN callback_id uuid REFERENCES call_callbacks (id);
CREATE INDEX calls_callback_idx ON calls (callback_id) WHERE callback_id IS NOT NULL;

-- Minutes of visitor silence after which an open conversation is closed (0: never).
ALTER TABLE chat_settings ADD COLUMN idle_close_minutes integer NOT NULL DEFAULT 15
  CHECK (idle_close_minutes BETWEEN 0 AND 1440);
CREATE INDEX chat_messages_visitor_idx ON chat_messages (conversation_id, created_at)
  WHERE author = 'visitor';
