// Package console prints alert messages as readable text, for the demo and
// for running without Slack.
package console
