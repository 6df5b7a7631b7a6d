-- Issue 13, the rest of "configurable in the admin UI" and "when the customer prefers email".
--
-- SMS gateway and alert-retry settings, one row. Every column NULL means "not set here": the
-- environment's value (KEFU_SMS_*, KEFU_ALERT_MAX_ATTEMPTS, KEFU_ALERT_RETRY_SECONDS) applies,
-- so an installation configured by environment keeps working until an administrator saves
-- something on Admin › Alert channels. The access key secret is stored sealed with the workspace
-- secret key (lib/secret-box.ts, 'enc:v1:…') and never returned by the API.
CREATE TABLE alert_settings (
  id                    boolean PRIMARY KEY DEFAULT true CHECK (id),
  sms_provider          text CHECK (sms_provider IN ('log', 'none', 'aliyun', 'tencent')),
  sms_access_key_id     text CHECK (length(sms_access_key_id) BETWEEN 1 AND 200),
  sms_access_key_secret text CHECK (length(sms_access_key_secret) BETWEEN 1 AND 1000),
  sms_sign_name         text CHECK (length(sms_sign_name) BETWEEN 1 AND 100),
  sms_template          text CHECK (length(sms_template) BETWEEN 1 AND 100),
  sms_template_param    text CHECK (length(sms_template_param) BETWEEN 1 AND 100),
  sms_app_id            text CHECK (length(sms_app_id) BETWEEN 1 AND 100),
  sms_region            text CHECK (length(sms_region) BETWEEN 1 AND 100),
  sms_endpoint          text CHECK (sms_endpoint ~ '^https?://' AND length(sms_endpoint) <= 500),
  max_attempts          integer CHECK (max_attempts BETWEEN 1 AND 50),
  retry_seconds         integer CHECK (retry_seconds BETWEEN 1 AND 86400),
  updated_at            timestamptz
);
INSERT INTO alert_settings (id) VALUES (true);

-- A customer's contact preference: agent public replies go out by mail when the ticket came by
-- mail or the customer prefers it (modules/mail/reply-mail.ts).
ALTER TABLE customers ADD COLUMN prefers_email boolean NOT NULL DEFAULT false;
