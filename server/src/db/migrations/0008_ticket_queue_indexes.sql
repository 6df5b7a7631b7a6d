-- Agent queues at a million tickets (issue 3, performance) and the "due soonest" order (issue 4).
-- Measured with `npm run bench -- tickets-queues` and EXPLAIN on PostgreSQL 15: docs/benchmarks.md.

-- The earliest due and warning times among the ticket's counting clocks (running, or breached and
-- not yet met); NULL when none counts (no policy, all paused, met or cancelled). Kept by
-- tickets/sla-link.ts in the transaction that moves the clocks. The sweeper never has to touch
-- them: a breach keeps its clock in the set and a warning changes no time, so the risk level
-- (breached once due, warning once past the warning time) follows from these two and the clock.
ALTER TABLE tickets ADD COLUMN sla_due_at timestamptz;
ALTER TABLE tickets ADD COLUMN sla_warn_at timestamptz;
UPDATE tickets t SET sla_due_at = c.due_at, sla_warn_at = c.warn_at
FROM (SELECT ticket_id, min(due_at) AS due_at, min(warn_at) AS warn_at FROM sla_clocks
      WHERE state IN ('running', 'breached') GROUP BY ticket_id) c
WHERE c.ticket_id = t.id;

-- sort=due_asc: (sla_due_at, id), NULLs last, which is the btree's own ascending order.
CREATE INDEX tickets_due_idx ON tickets (sla_due_at, id);
-- "My open tickets by due date": owner OR handler, over active tickets only (most of a million
-- tickets are closed or archived; the predicate is ACTIVE_STATUSES), combined by a BitmapOr
-- when the agent has few, else the planner walks tickets_due_idx. The team queue filtered by
-- category and status is served by tickets_team_idx of 0002 (an index with the category
-- measured unused at 100k and 1M tickets).
CREATE INDEX tickets_owner_due_idx ON tickets (owner_id, sla_due_at, id)
  WHERE status IN ('new', 'accepted', 'in_progress', 'pending_customer', 'pending_internal', 'reopened');
CREATE INDEX tickets_handler_due_idx ON tickets (handler_id, sla_due_at, id)
  WHERE status IN ('new', 'accepted', 'in_progress', 'pending_customer', 'pending_internal', 'reopened');

-- Text search (`q`): the terms of a ticket's number, subject and description — every pair of
-- adjacent Chinese characters plus each run's last character ("退款申请" → 退款 款申 申请 请),
-- lower-cased words of Latin letters and digits (cut every 40 characters), and the number's last
-- 3–5 characters — so a query's terms (tickets/rules/search-terms.ts mirrors this) select the
-- candidates through a GIN index and the ILIKE of queries.ts decides. Plain string functions:
-- the same on PGlite, which ships no pg_trgm by default (and trigrams cannot index the commonest
-- query, a two-character Chinese word). The Chinese pairs: keep Chinese runs only, double every
-- character that follows another, cut after each two. COST: a call takes about 100 µs, which the
-- planner must weigh against walking another index in order and calling it on every row.
CREATE FUNCTION ticket_search_vector(number text, subject text, description text)
RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 5000 AS $$
  SELECT array_to_tsvector(array_remove(string_to_array(
    regexp_replace(
      regexp_replace(
        regexp_replace(subject || ' ' || description,
          '[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', ' ', 'g'),
        '(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])',
        '\1\1', 'g'),
      '([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2})', '\1 ', 'g')
    || ' ' ||
    regexp_replace(
      regexp_replace(lower(number || ' ' || subject || ' ' || description), '[^a-z0-9]+', ' ', 'g'),
      '([a-z0-9]{40})', '\1 ', 'g')
    || ' ' || right(number, 5) || ' ' || right(number, 4) || ' ' || right(number, 3),
    ' '), ''))
$$;
CREATE INDEX tickets_search_idx ON tickets
  USING gin (ticket_search_vector(number, subject, description));
-- The customer-name arm of `q`, same terms.
CREATE INDEX customers_search_idx ON customers USING gin (ticket_search_vector('', name, ''));
