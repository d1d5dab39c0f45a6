package crawler

import (
	"testing"

	"github.com/backlash-monitor/backlash/internal/config"
	"github.com/backlash-monitor/backlash/internal/post"
)

func TestIdentityMapsIDsIntoTheNamespace(t *testing.T) {
	p := post.Post{ID: "post-1001", URL: "https://www.forum.example/t/42/?utm_source=x#p1001", Thread: "https://forum.example/t/42", ParentID: "t3_x"}
	tests := []struct {
		cfg  config.Identity
		want string
	}{
		{config.Identity{Namespace: "f"}, "post-1001"},
		{config.Identity{Namespace: "f", Match: `^post-(\d+)$`}, "1001"},
		{config.Identity{Namespace: "f", Match: `^t\d+$`}, ""},
		{config.Identity{Namespace: "f", ID: "{url}"}, "//forum.example/t/42"},
		{config.Identity{Namespace: "f", ID: "{thread}/{id}", Match: `/t/(\d+/post-\d+)$`}, "42/post-1001"},
		{config.Identity{Namespace: "f", ID: "none"}, ""},
	}
	for _, tt := range tests {
		id, err := newIdentity(&tt.cfg)
		if err != nil {
			t.Fatal(err)
		}
		q := p
		id.apply(&q)
		if q.Namespace != "f" || q.SharedID != tt.want {
			t.Errorf("%+v: namespace %q, shared id %q; want f, %q", tt.cfg, q.Namespace, q.SharedID, tt.want)
		}
	}
	if id, _ := newIdentity(nil); id != nil {
		t.Fatal("no identity configured should map nothing")
	}
	var none *identity
	q := p
	none.apply(&q)
	if q.Namespace != "" || q.Key() != "/post-1001" {
		t.Fatalf("without identity: %q, key %q", q.Namespace, q.Key())
	}
}
