-- A month's KPI facts read the tickets concluded and the SLA clocks decided in that month. These
-- indexes let a month with little activity (an earlier month the assessment looks back on, a
-- quiet month) be read from its own rows instead of scanning every ticket and clock. The
-- partial indexes of 0002 cover only tickets still in that status, not closed tickets that were
-- resolved first.
CREATE INDEX tickets_resolved_at_idx ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_closed_at_idx ON tickets (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX sla_clocks_met_idx ON sla_clocks (met_at)
  WHERE met_at IS NOT NULL AND kind IN ('first_response', 'resolution');
CREATE INDEX sla_clocks_breached_idx ON sla_clocks (breached_at)
  WHERE breached_at IS NOT NULL AND kind IN ('first_response', 'resolution');
