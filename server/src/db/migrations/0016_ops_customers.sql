-- Operations and customers (issue 9).

-- Mail that no longer makes sense is not sent late (docs/mail.md, "Expiry"): each mail gets the
-- time after which it is pointless (a sign-in code's validity, a confirmation link's expiry…),
-- and the sender marks such rows `expired` instead of sending them.
ALTER TABLE mail_outbox ADD COLUMN expires_at timestamptz;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox
  ADD CONSTRAINT mail_outbox_status_check CHECK (status IN ('queued', 'sent', 'failed', 'expired'));

-- Customer merge (docs/tickets.md, "Customers"): the duplicate is kept as a record pointing to
-- the customer it was merged into; its tickets, portal accounts and uploads move over.
ALTER TABLE customers ADD COLUMN merged_into uuid REFERENCES customers (id);
ALTER TABLE customers ADD COLUMN merged_at timestamptz;
ALTER TABLE customers ADD CONSTRAINT customers_merged_check
  CHECK ((merged_into IS NULL) = (merged_at IS NULL) AND merged_into IS DISTINCT FROM id);
CREATE INDEX customers_merged_into_idx ON customers (merged_into) WHERE merged_into IS NOT NULL;
