-- Ticket rules (SPEC 1, 2, 4): admin-defined custom fields with their values on the ticket,
-- split links, ordered assignment rules for L2 work, saved console views, and a lease row so
-- only one process runs the housekeeping job (auto-close, archive) at a time.

-- Custom field definitions. `key` and `type` never change (stored values depend on them);
-- `categories` empty means every category.
CREATE TABLE ticket_field_definitions (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key        text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  label_zh   text NOT NULL CHECK (length(label_zh) BETWEEN 1 AND 50),
  label_en   text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 50),
  type       text NOT NULL CHECK (type IN ('text', 'number', 'date', 'select', 'multiselect', 'boolean')),
  -- [{ "value": "east", "labelZh": "华东", "labelEn": "East" }, …] for select / multiselect.
  options    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
  required   boolean NOT NULL DEFAULT false,
  active     boolean NOT NULL DEFAULT true,
  position   integer NOT NULL DEFAULT 0 CHECK (position >= 0),
  categories text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (type IN ('select', 'multiselect') OR options = '[]'::jsonb)
);
CREATE INDEX ticket_field_definitions_position_idx ON ticket_field_definitions (position, key);

-- Values on the ticket, keyed by definition key; filtered with containment (@>).
ALTER TABLE tickets ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}'
  CHECK (jsonb_typeof(custom_fields) = 'object');
CREATE INDEX tickets_custom_fields_idx ON tickets USING gin (custom_fields jsonb_path_ops);

-- Split links: kind 'split', `source_id` names the ticket that was split (the other is the new one).
-- A split pair merged later becomes kind 'merged' and keeps its source_id as history.
ALTER TABLE ticket_links DROP CONSTRAINT ticket_links_kind_check;
ALTER TABLE ticket_links ADD CONSTRAINT ticket_links_kind_check
  CHECK (kind IN ('related', 'merged', 'split'));
ALTER TABLE ticket_links ADD COLUMN source_id uuid REFERENCES tickets (id);
ALTER TABLE ticket_links ADD CONSTRAINT ticket_links_split_source_check
  CHECK ((kind <> 'split' OR source_id IS NOT NULL)
         AND (source_id IS NULL OR source_id IN (ticket_a, ticket_b)));

-- Assignment rules (SPEC 2: L2 goes to the responsible team): ordered, first match wins.
-- Empty lists match anything; every non-empty list must match.
CREATE TABLE ticket_assignment_rules (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  position       integer NOT NULL CHECK (position >= 0),
  active         boolean NOT NULL DEFAULT true,
  categories     text[] NOT NULL DEFAULT '{}',
  channels       text[] NOT NULL DEFAULT '{}',
  customer_tiers text[] NOT NULL DEFAULT '{}',
  keywords       text[] NOT NULL DEFAULT '{}',
  team_id        uuid NOT NULL REFERENCES teams (id),
  strategy       text NOT NULL DEFAULT 'least_loaded' CHECK (strategy IN ('round_robin', 'least_loaded')),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX ticket_assignment_rules_position_idx ON ticket_assignment_rules (position, created_at);

-- Saved console views (a filter set as a query string), per user, optionally shared with a team.
CREATE TABLE ticket_saved_views (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  search     text NOT NULL CHECK (length(search) <= 2000),
  team_id    uuid REFERENCES teams (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (owner_id, name)
);
CREATE INDEX ticket_saved_views_team_idx ON ticket_saved_views (team_id) WHERE team_id IS NOT NULL;

-- Leases of background jobs: a process runs a job only while it holds the unexpired lease.
CREATE TABLE job_leases (
  name       text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);
