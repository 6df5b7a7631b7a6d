-- Knowledge-base search: words an administrator adds to the Chinese segmenter's dictionary
-- (product and brand names such as 花呗 that jieba would split). Loaded by every instance;
-- articles containing a new word are re-indexed when it is added or removed.
CREATE TABLE kb_dictionary (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  word       text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES users (id),
  CONSTRAINT kb_dictionary_word_check CHECK (char_length(word) BETWEEN 2 AND 20 AND word !~ '\s')
);
CREATE UNIQUE INDEX kb_dictionary_word_key ON kb_dictionary (word);
