-- Console text search (`q`) at a million tickets (issue 10): 709 ms p95 for a common word.
-- The terms of 0008 (`ticket_search_vector`: Chinese character pairs, Latin words, the number's
-- tail) are now stored in the row, computed once on write, instead of only in an expression
-- index. With the terms at hand for a few microseconds a row, the planner has two cheap plans and
-- picks by the column's statistics: a common word (3.8 % of tickets) walks
-- tickets_received_idx newest first and stops after one page of matches; a rare one reads the GIN
-- index and sorts its few rows. Before, a common word fetched all its tickets (38,000) twice and
-- sorted them, because evaluating the term function on every walked row (≈ 100 µs) was dearer.
-- Cost: the column (≈ 450 bytes a ticket: the table went from 446 to 893 MB at a million) and a
-- table rewrite when this migration runs (15 minutes at a million on 2 cores at load 11–19).
-- docs/benchmarks.md, tickets-queues.
-- The old expression index goes first: the rewrite would otherwise rebuild it (the function
-- again on every row) only for it to be dropped.
DROP INDEX tickets_search_idx;
ALTER TABLE tickets ADD COLUMN search_terms tsvector
  GENERATED ALWAYS AS (ticket_search_vector(number, subject, description)) STORED;
CREATE INDEX tickets_search_idx ON tickets USING gin (search_terms);
-- Statistics for the new column at once: until they exist the planner assumes 0.5 % of tickets
-- match any term and reads the GIN index for every word (2.7 s at a million, measured).
ANALYZE tickets;
