-- Operations and customers (issue 9).

-- Mail that no longer makes sense is not sent late (docs/mail.md, "Expiry"): each mail gets the
-- time after which it is pointless (a sign-in code's validity, a confirmation link's expiry…),
-- and the sender marks such rows `expired` instead of sending them.
ALTER TABLE mail_outbox ADD COLUMN expires_at timestamptz;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox
  ADD CONSTRAINT mail_outbox_status_check CHECK (status IN ('queued', 'sent', 'failed', 'expired'));
