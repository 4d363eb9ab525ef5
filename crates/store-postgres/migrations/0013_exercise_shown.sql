-- Whether its owner chose, for this one exercise, to let a counsellor
-- whose grant shows exercise texts read what they wrote (issue 14: texts
-- are never shared unless chosen one by one). Off for every exercise
-- already written.
ALTER TABLE exercises ADD COLUMN shown BOOLEAN NOT NULL DEFAULT false;
