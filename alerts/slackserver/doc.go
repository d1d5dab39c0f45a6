// Package slackserver is a local stand-in for Slack's Web API and incoming
// webhooks, for tests. It enforces what real Slack enforces — token auth,
// known channels, message and Block Kit limits — can fail, rate-limit or be
// down on demand, and records every accepted message so a test asserts on
// what arrived.
//
// It implements chat.postMessage, chat.update, auth.test and one incoming
// webhook; anything else answers unknown_method.
package slackserver
