// Package telegram is the telegram source kind: it reads a public
// Telegram channel through its web preview, https://t.me/s/<channel>,
// which needs no account or API key. Each message with text becomes a
// post: its id is the channel's own "<channel>/<number>", its views are
// kept as the post's views, its reactions add up to its likes, a reply
// links to the message it answers, and the channel's subscriber count is
// every post's followers. Pages go back through older messages with the
// preview's ?before=<id> until they reach messages an earlier run stored.
//
// Only public channels with the preview on can be read; a private or
// unknown channel is reported as such.
package telegram
