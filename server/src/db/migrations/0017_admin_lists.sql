-- Issue 9: knowledge-base categories can be archived from the admin screen. An archived category
-- keeps its articles (they stay readable and published) but takes no new ones.
ALTER TABLE kb_categories ADD COLUMN archived_at timestamptz;
