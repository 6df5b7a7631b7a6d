-- Synonyms an administrator gives a dictionary word (customers say 借记卡 for 储蓄卡, 汽车贷款 for
-- 车贷): a query naming any of them matches articles naming any other. The segmenter keeps
-- each synonym whole too. Same bounds per synonym as a word (0027); at most ten.
ALTER TABLE kb_dictionary ADD COLUMN synonyms text[] NOT NULL DEFAULT '{}';
ALTER TABLE kb_dictionary ADD CONSTRAINT kb_dictionary_synonyms_check CHECK (
  cardinality(synonyms) <= 10
  AND array_position(synonyms, NULL) IS NULL
  AND array_position(synonyms, word) IS NULL
  AND char_length(array_to_string(synonyms, '')) <= 200
  AND array_to_string(synonyms, '') !~ '\s'
);
