-- The most reached negative posts about one topic in a window, with links.
--
-- Edit: the topic, the window, and LIMIT.
-- posts keeps a row per stored version of a post as each source showed it;
-- grouping by post_key puts together every source's sighting of a post
-- (and an author's reposts), and argMax(..., version) reads the newest, so
-- each post appears once with fresh counts. Reach is engagement plus one
-- per 100 views (Telegram channel posts), as in store/SCHEMA.md.
SELECT
    post_key,
    argMax(source, version)                                AS shown_on,
    argMax(url, version)                                   AS link,
    argMax(author, version)                                AS author_name,
    min(published)                                         AS published_at,
    toUInt64(max(likes)) + max(replies) + max(shares)
        + intDiv(max(views), 100)                          AS total_reach,
    argMax(compound, version)                              AS score,
    argMax(terms, version)                                 AS top_terms,
    substring(argMax(text, version), 1, 300)               AS post_text
FROM posts
WHERE has(topics, 'payments-social')
  AND published >= now() - INTERVAL 1 DAY
  AND published < now()
GROUP BY post_key
HAVING argMax(label, version) = 'negative'
ORDER BY total_reach DESC, score ASC
LIMIT 20
