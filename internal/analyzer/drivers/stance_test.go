package drivers_test

import (
	"testing"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/demo"
)

// TestPushesBack holds the stance cues to posts written for this test,
// about features other than the demo's: pushing back on a backlash in
// English and Chinese, and complaints that share words with the cues
// without pushing back.
func TestPushesBack(t *testing.T) {
	cases := []struct {
		text string
		cue  string
	}{
		{"The leaked DMs are like 12 accounts out of millions. relax", "like # accounts"},
		{"People are saying the new fare cap is a scam. it literally saves me money", "people are saying"},
		{"This whole thing is overblown, the update is fine", "overblown"},
		{"Calm down. it's a beta, they'll fix the sync bug", "calm down"},
		{"honestly the auto-renew thing got blown out of proportion", "blown out of proportion"},
		{"If you don't like it, uninstall. nobody forces you", "if you don't like it"},
		{"Live captions are optional, you can turn it off in settings", "you can turn it off"},
		{"not defending them, but the recall was handled quickly", "not defending"},
		{"This affects 0.1% of users, stop the pile-on", "#% of users"},
		{"the pitchforks are out again over a font change", "pitchforks"},
		{"it's a sync bug, totally fixable. no need to switch apps", "fixable"},
		{"half the leaked chats going round are fake, look at the timestamps", "are fake"},
		{"Not everything needs a boycott. it's a font change", "not everything needs"},
		{"这次更新小题大做了吧，用着挺好", "小题大做"},
		{"大家是不是反应过度了，关掉就行", "反应过度"},
		{"不喜欢可以关掉啊，又不是强制的", "可以关掉"},
		{"明显有人在带节奏", "带节奏"},
		{"说句公道话，这个会员涨价也就几块钱", "说句公道话"},
		{"外卖平台的新规有问题，但别一刀切全删了", "一刀切"},
		{"网友对这次改版太苛刻了吧", "太苛刻"},
		{"希望平台修好推荐算法，而不是直接下架", "而不是直接"},
		{"自动续费确实坑，但不至于卸载吧", "不至于"},
		{"太夸张了，会员价格一夜翻倍", ""},
		// Complaints: no cue.
		{"I had to turn it off after it shared my location with strangers", ""},
		{"the new fare cap charged me twice and support ignores me", ""},
		{"this is a huge deal, they sold our data", ""},
		{"I can't calm down, my account was emptied", ""},
		{"a mobile app that leaks your address. unbelievable", ""},
		{"更新后位置信息被陌生人看到了，太可怕了", ""},
		{"为什么默认公开我的消费记录？必须道歉", ""},
	}
	for _, c := range cases {
		cue, why := drivers.PushesBack(c.text)
		if cue != c.cue {
			t.Errorf("%q: cue %q, want %q", c.text, cue, c.cue)
		}
		if cue != "" && why == "" {
			t.Errorf("cue %q has no reason", cue)
		}
	}
}

// TestPushesBackDemo measures the cues on the demo's text pools: how many
// of the defence posts they catch, and that they catch almost no
// complaint. The cues were written after reading the defence pool, so the
// catch rate here is a figure on seen data, not a held-out one.
func TestPushesBackDemo(t *testing.T) {
	for _, lang := range demo.Languages() {
		t.Run(lang, func(t *testing.T) { pushesBackDemo(t, lang) })
	}
}

func pushesBackDemo(t *testing.T, lang string) {
	var def, defHit, comp, compHit int
	for _, it := range demo.NewScenario(demo.Options{Scale: 1, Lang: lang}).Items() {
		cue, _ := drivers.PushesBack(it.Text)
		switch {
		case it.Stance == demo.StanceDefence:
			def++
			if cue != "" {
				defHit++
			}
		case complaint[it.Stance]:
			comp++
			if cue != "" {
				compHit++
				t.Logf("complaint with cue %q: %s", cue, it.Text)
			}
		}
	}
	t.Logf("defence posts caught %d of %d; complaint posts caught %d of %d", defHit, def, compHit, comp)
	if def == 0 || comp == 0 {
		t.Fatalf("the scenario gave %d defence and %d complaint posts", def, comp)
	}
	if float64(compHit) > 0.01*float64(comp) {
		t.Errorf("%d of %d complaint posts read as pushing back; want at most 1%%", compHit, comp)
	}
	if 3*defHit < def {
		t.Errorf("only %d of %d defence posts read as pushing back; want a third at least", defHit, def)
	}
}

// TestThemesLeaveOutPushback gives a theme's widest-reaching post, the one
// holding most of its terms, to a post that answers the complaint: it is
// neither the theme's example nor counted in its share.
func TestThemesLeaveOutPushback(t *testing.T) {
	s := newScorer(t)
	texts := []string{
		"The leaked screenshots are like 5 accounts. the screenshots prove nothing about the app",
		"those leaked screenshots are horrifying, delete the app",
		"saw the screenshots. never using it again",
		"the screenshots everyone shares are vile",
	}
	reach := []uint64{5000, 10, 20, 30}
	terms := []drivers.Term{{Text: "screenshots", Posts: 4}, {Text: "leaked screenshots", Posts: 2}}
	themes := drivers.Themes(s, texts, reach, terms, drivers.Exclusions{}, 2, 3)
	if len(themes) == 0 {
		t.Fatal("no theme")
	}
	th := themes[0]
	if th.Example == 0 {
		t.Errorf("the theme's example is the post pushing back: %q", texts[0])
	}
	for _, i := range th.Members {
		if i == 0 {
			t.Errorf("the post pushing back is a member of %v", th.Terms)
		}
	}
	if th.Posts != 3 {
		t.Errorf("theme %v has %d posts, want the 3 complaints", th.Terms, th.Posts)
	}
}
