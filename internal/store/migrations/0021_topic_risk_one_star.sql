-- The one-star share of a topic's rated reviews (App Store ratings) as a
-- risk component; rows computed before read 0.
ALTER TABLE {db}.topic_risk
    ADD COLUMN one_star Float64
