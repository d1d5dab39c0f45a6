// Package demo is backlash's built-in demo world: a fictional payments app,
// Paywise, launches a social feature, Moments, that the public turns against
// within days. The backlash is replayed in simulated time on a small local
// site with three channels a crawler can follow: an HTML forum, an RSS news
// feed and a JSON microblog search API.
//
// A Scenario holds every post of the story with its ground truth: which
// topic it is about, what its author meant, and when the backlash began,
// peaked, drew an apology and ended. It is built from several hundred
// hand-written texts, sampled by a seeded random generator so that equal
// Options always give equal items. A second, calm topic (the app's travel
// card) and off-topic chatter run alongside at a steady, daily-cycling pace,
// so a detector has something to stay quiet about.
//
// A Site serves a scenario as of a simulated "now" that the caller advances
// with SetNow; Config writes a backlash.yaml that crawls it. A World serves
// the site on a local port and wires a system to crawl it on a fresh
// database; a Replayer replays scenarios headless for the benchmarks, and
// RiskMargins measures how far the backlash scored above the calm.
// `backlash demo` and `backlash bench` are built on these.
//
// See README.md in this directory for the timeline.
package demo
