-- Whether a peer was asked under anonymous peer feedback (1) or named (0): feedback asked for
-- anonymously stays anonymous to its subject, whatever the framework says later. Nominations
-- made before this column existed were all made under anonymous feedback or are treated so.
ALTER TABLE peer_nominations ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 1;
