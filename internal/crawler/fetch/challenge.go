package fetch

import (
	"bytes"
	"fmt"
	"net/http"
)

// ChallengeError is a page that answered with a captcha, a bot challenge or a
// login form instead of the content: the site is refusing the crawler.
type ChallengeError struct {
	// Status is the HTTP status the page came with.
	Status int
	// Marker is what gave the page away, e.g. "g-recaptcha".
	Marker string
}

// Error names the marker.
func (e *ChallengeError) Error() string {
	return fmt.Sprintf("blocked: HTTP %d page looks like a captcha or login page (%q)", e.Status, e.Marker)
}

// challengeMarkers are strings found on captcha, bot-challenge and login
// pages and rarely on content: the widget and script names of the common
// captcha services, the challenge pages of the common bot shields, and a
// password field.
var challengeMarkers = []string{
	"g-recaptcha", "recaptcha/api.js", "h-captcha", "hcaptcha.com", "cf-turnstile", "challenges.cloudflare.com",
	"cf-chl-", "cf_chl_", "Attention Required! | Cloudflare", "<title>Just a moment...</title>",
	"_Incapsula_Resource", "perimeterx", "px-captcha", "datadome", "captcha-delivery.com",
	"verify you are a human", "verify you are human", "are you a robot", "unusual traffic from your computer",
	`type="password"`, `type='password'`, "captcha",
}

// Challenge reports what marks a response as a captcha, a bot challenge or
// a login page, or "" when nothing does. Call it on pages that yielded no
// content: content pages may mention these words. A 401 or 403 is reported
// as its status when no marker is found.
func Challenge(status int, body []byte) string {
	if len(body) > 256<<10 {
		body = body[:256<<10]
	}
	lower := bytes.ToLower(body)
	for _, m := range challengeMarkers {
		if bytes.Contains(lower, bytes.ToLower([]byte(m))) {
			return m
		}
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return fmt.Sprintf("HTTP %d", status)
	}
	return ""
}
