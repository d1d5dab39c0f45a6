// Package health judges whether a source is still being seen: after every
// crawl run, pure rules over the source's recent runs and the times of its
// posts say whether it fails run after run, whether its pages no longer
// match the item selector (a layout change), whether it answers 401/403 or a
// captcha or login page, whether a field its items used to have has gone
// missing, whether it has been silent for longer than its own usual gap,
// and whether its high-water mark is stuck although new posts arrive.
//
// Evaluate is the whole judgement; it reads nothing and writes nothing, so
// every rule is table-tested. The pipeline feeds it from crawl_runs and
// posts and stores its Verdict in source_health; the alert engine turns a
// source that stays unhealthy into one ops incident.
package health
