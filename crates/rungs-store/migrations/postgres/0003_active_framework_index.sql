-- Finding the active framework reads this index, not the rows: a row's `archived` column sits
-- after its framework text, which spans dozens of overflow pages.
CREATE INDEX frameworks_active ON frameworks (archived, pk);
