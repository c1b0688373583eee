-- `people` and `person_posts` were written by every import (each 责任领导 and roster member with
-- the post a document gave them) and read by nothing: no page, API, export or rule. The roster
-- members and their posts stay where the pages read them (`rosters.members`), and a task's
-- leaders in `task_owners`; the write-only copy is dropped.
DROP TABLE person_posts;
DROP TABLE people;
