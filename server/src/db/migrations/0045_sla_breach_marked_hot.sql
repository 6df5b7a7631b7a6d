-- Marking a breach is a HOT update again (as 0009 designed it): no index of sla_clocks names a
-- column the SLA sweeper changes. 0028 indexed `breached_at` for the KPI months, so every breach
-- the sweeper marked wrote a new entry in each of the table's indexes (docs/benchmarks.md,
-- sla-sweep).
--
-- A breach is recorded at the clock's due time (the sweeper, a late meeting and the lazy read all
-- write `breached_at = due_at`), and a breached clock's due time never moves again (only running
-- and paused clocks are re-planned or resumed). The CHECK states it, so the KPI months can read
-- the clocks breached in a month as the breached clocks due in it, by an index on `due_at` —
-- a column the sweeper never writes.
ALTER TABLE sla_clocks ADD CONSTRAINT sla_clocks_breached_at_is_due
  CHECK (breached_at IS NULL OR breached_at = due_at);

DROP INDEX sla_clocks_breached_idx;
CREATE INDEX sla_clocks_due_idx ON sla_clocks (due_at)
  WHERE kind IN ('first_response', 'resolution');
