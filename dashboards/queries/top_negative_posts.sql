-- The most reached negative posts about one topic in a window, with links.
--
-- Edit: the topic, the window, and LIMIT.
-- posts keeps a row per stored version of a post; argMax(..., version)
-- reads the newest one, so re-crawled posts appear once with fresh counts.
SELECT
    source,
    id,
    argMax(url, version)                                   AS link,
    argMax(author, version)                                AS author_name,
    min(published)                                         AS published_at,
    toUInt64(argMax(likes, version)) + argMax(replies, version) + argMax(shares, version) AS total_reach,
    argMax(compound, version)                              AS score,
    argMax(terms, version)                                 AS top_terms,
    substring(argMax(text, version), 1, 300)               AS post_text
FROM posts
WHERE has(topics, 'payments-social')
  AND published >= now() - INTERVAL 1 DAY
  AND published < now()
GROUP BY source, id
HAVING argMax(label, version) = 'negative'
ORDER BY total_reach DESC, score ASC
LIMIT 20
