-- Issue 9, SLA item 6: warn administrators when a business calendar has no holiday data for
-- the coming days (its last year of holidays and make-up days ends within this many days).
ALTER TABLE sla_settings
  ADD COLUMN calendar_warning_days integer NOT NULL DEFAULT 60
    CHECK (calendar_warning_days BETWEEN 1 AND 366);
