-- What a term of kind 'term' is about when it is a subject of the
-- scorer's lexicons rather than one word: "sex" for "brothel · meat
-- market", its words said by different authors; empty for a word,
-- phrase or bigram, and for a theme.
ALTER TABLE {db}.incident_drivers
    ADD COLUMN subject String
