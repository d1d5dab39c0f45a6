// Package slackserver is a local stand-in for Slack's Web API and incoming
// webhooks, for tests. It enforces what real Slack enforces — token auth,
// known channels, message and Block Kit limits — can fail, rate-limit or be
// down on demand, and records every accepted message so a test asserts on
// what arrived.
//
// It implements chat.postMessage (with message metadata), chat.update,
// conversations.list, conversations.history, conversations.replies,
// auth.test and one incoming webhook; anything else answers
// unknown_method. AcceptUnreadable and AcceptSlowly model the ambiguous
// answers a sender must not resend blindly: the message is posted, but the
// client cannot read the answer, or gives up waiting for it.
package slackserver
