-- Each source's last crawl and how far behind it is: the first place to
-- look when a source goes quiet (a changed page layout finds 0 posts).
--
-- Edit: nothing needed; change 7 DAY to look further back for totals.
SELECT
    source,
    last_run,
    last_pages,
    last_posts,
    last_errors,
    last_error_text,
    runs_7d,
    zero_post_runs_7d,
    newest_post,
    dateDiff('minute', newest_post, now()) AS lag_minutes
FROM
(
    SELECT
        source,
        max(started)                                           AS last_run,
        argMax(pages, started)                                 AS last_pages,
        argMax(posts, started)                                 AS last_posts,
        argMax(errors, started)                                AS last_errors,
        argMax(last_error, started)                            AS last_error_text,
        countIf(started >= now() - INTERVAL 7 DAY)             AS runs_7d,
        countIf(started >= now() - INTERVAL 7 DAY AND posts = 0) AS zero_post_runs_7d
    FROM crawl_runs
    GROUP BY source
)
ALL LEFT JOIN
(
    SELECT source, argMax(high_water, version) AS newest_post
    FROM source_state
    GROUP BY source
) USING source
ORDER BY last_errors DESC, last_posts ASC, source
