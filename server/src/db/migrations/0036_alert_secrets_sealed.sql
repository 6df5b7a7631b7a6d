-- Alert channel URLs (WeCom and DingTalk robot keys live in them) and secrets are stored sealed
-- with the workspace secret key (lib/secret-box.ts: 'enc:v1:' + base64). The plain-text checks of
-- 0033 would refuse the sealed form; the API validates the plain values before sealing, and rows
-- saved before this migration are sealed at start-up (modules/alerts/routes.ts).
ALTER TABLE alert_channels DROP CONSTRAINT IF EXISTS alert_channels_url_check;
ALTER TABLE alert_channels DROP CONSTRAINT IF EXISTS alert_channels_secret_check;
ALTER TABLE alert_channels ADD CONSTRAINT alert_channels_url_check
  CHECK ((url ~ '^https?://' OR url LIKE 'enc:v1:%') AND length(url) <= 3000);
ALTER TABLE alert_channels ADD CONSTRAINT alert_channels_secret_check
  CHECK (length(secret) <= 1000);
