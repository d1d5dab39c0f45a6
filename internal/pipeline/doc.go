// Package pipeline runs backlash's job: crawl each source, tag and score
// what was collected, store it, then assess every topic and hand the result
// to the alert engine. `backlash run` (the cron job), `backlash serve` and
// the demo all drive it; Scheduled is serve's jobs (a crawl per source and
// the daily digest) with the lock that keeps alerting one run at a time.
//
// It owns the ordering that keeps data safe: posts are stored in batches as
// they arrive, shared by the sources collected at the same time so
// ClickHouse gets few large parts, and a source's high-water mark moves only
// after its posts are stored, so a run killed half-way leaves no gap and
// nothing the next run counts twice.
package pipeline
