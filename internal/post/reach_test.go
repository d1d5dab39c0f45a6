package post_test

import (
	"testing"

	"github.com/backlash-monitor/backlash/internal/post"
)

func TestReach(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    post.Post
		want uint64
	}{
		{"engagement only", post.Post{Likes: 10, Replies: 3, Shares: 2}, 15},
		{"views only", post.Post{Views: 58900}, 589},
		{"views round down", post.Post{Views: 99}, 0},
		{"views and reactions", post.Post{Likes: 1345, Views: 31400}, 1345 + 314},
		{"followers do not count", post.Post{Likes: 1, Followers: 48200}, 1},
		{"no overflow", post.Post{Likes: ^uint32(0), Replies: ^uint32(0), Shares: ^uint32(0), Views: ^uint32(0)},
			3*uint64(^uint32(0)) + uint64(^uint32(0))/post.ViewsPerInteraction},
	} {
		if got := tc.p.Reach(); got != tc.want {
			t.Errorf("%s: Reach = %d, want %d", tc.name, got, tc.want)
		}
	}
}
