-- Dates an HR export carries (see docs/org.md): when a person joined, and when they reached
-- their current level, which the person page and readiness show as the time at the level.
-- ISO dates (YYYY-MM-DD); empty when the export has none.
ALTER TABLE people ADD COLUMN hire_date TEXT;
ALTER TABLE people ADD COLUMN level_since TEXT;
