// Package slack delivers alert messages to Slack, either as a bot
// (chat.postMessage, chat.update, with threads) or through an incoming
// webhook (top-level messages only). Each receiver is a notify.Notifier that
// classifies Slack's failures as worth retrying or not; retries, outbox and
// deduplication are stages around it, not part of it.
package slack
