package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Languages the demo world can be told in, as Options.Lang takes them.
const (
	// LangEnglish is the default: Paywise launches Moments.
	LangEnglish = "en"
	// LangChinese tells the same story on a Weibo-like microblog, a
	// Chinese forum and a Chinese news feed: 钱途 launches 圈子.
	LangChinese = "zh"
)

// Languages lists the values Options.Lang accepts.
func Languages() []string { return []string{LangEnglish, LangChinese} }

// locale is everything about the demo world that depends on its language:
// names, keywords, the texts' directory and how people vary a text.
type locale struct {
	lang string
	// dir holds the language's texts, relative to the embedded texts/.
	dir string

	backlashTopic, calmTopic string
	backlashKW, backlashX    []string
	calmKW                   []string
	searchQuery              string

	// stateMedia are lower-case substrings by which a text refers to the
	// state-media condemnation; stateMediaHandle is the outlet's handle.
	stateMedia       []string
	stateMediaHandle string
	// outlets are the news outlets' microblog followings.
	outlets map[string]int

	// The forum's and the company's accounts and thread titles.
	moderator, help, company, companyForum string
	welcomeTitle                           string
	statementTitles                        map[string]string

	// siteName names the demo site; feedTitle and feedAbout describe its
	// RSS feed.
	siteName, feedTitle, feedAbout string

	// How a post is varied: fillers in front, endings, emoji by sentiment,
	// the boycott and calm-topic hashtags, and whether typos are made.
	prefixes, suffixes []string
	emoji              map[string][]string
	boycottTag         string
	calmTag            string
	typos              bool
	// repost formats a microblog repost of text by handle; repostMark
	// starts every repost.
	repost     func(handle, text string) string
	repostMark string
	// names invents one user handle.
	names func(rng *rand.Rand) string
	// headline shortens a post to a thread title.
	headline func(text string) string
	// complaints are what the backlash complains about (see Complaints).
	complaints []Complaint
}

// localeFor returns the locale for lang ("" is English), or nil when the
// language has no demo world.
func localeFor(lang string) *locale {
	switch lang {
	case "", LangEnglish:
		return english()
	case LangChinese:
		return chinese()
	}
	return nil
}

func english() *locale {
	return &locale{
		lang:          LangEnglish,
		dir:           "texts",
		backlashTopic: BacklashTopic,
		calmTopic:     CalmTopic,
		backlashKW: []string{"moments", "paywise moments", "brothel", "meat market",
			"boycott paywise", "delete paywise", "boycottpaywise", "deletepaywise"},
		backlashX:        []string{"magic moments"},
		calmKW:           []string{"travel card", "travelcard", "paywise travel"},
		searchQuery:      SearchQuery,
		stateMedia:       []string{"national daily", "state media"},
		stateMediaHandle: "NationalDaily",
		outlets: map[string]int{"National Daily": 8_400_000, "The Ledger": 2_100_000,
			"FinWire": 940_000, "ByteBeat": 610_000},
		moderator:    "Moderator",
		help:         "PaywiseHelp",
		company:      "Paywise",
		companyForum: "Paywise_Team",
		welcomeTitle: "Welcome to the Paywise Watch forum - please read",
		statementTitles: map[string]string{
			"launch":  "Introducing Moments",
			"apology": "A message from our chair about Moments",
			"removal": "Moments has been removed",
		},
		siteName:  "Paywise Watch",
		feedTitle: "Paywise Watch: news and blogs",
		feedAbout: "News and commentary about Paywise and personal finance.",
		prefixes:  []string{"honestly ", "ok so ", "ngl ", "tbh ", "so ", "look, ", "right. "},
		suffixes:  []string{" fwiw", " just saying", "...", " (edited)"},
		emoji: map[string][]string{
			"negative": {" 😡", " 🤦", " 😤", " 👎"},
			"positive": {" 🙂", " 👍", " ✨"},
			"neutral":  {" 🤔", " 👀"},
		},
		boycottTag: " #DeletePaywise",
		calmTag:    " #travel",
		typos:      true,
		repost:     func(h, text string) string { return "RT @" + h + ": " + text },
		repostMark: "RT ",
		names:      englishHandle,
		headline:   headline,
		complaints: []Complaint{
			{"hookups and paid sex", []string{"brothel", "meat market", "hookup", "red light", "rates", "rate me", "price", "offer", "sleazy", "exploitation",
				"half naked", "by the hour", "escort", "payment request", "for sale", "companions", "pimping", "nightclub", "dtf", "nsfw", "stranger cost", "an evening"}},
			{"women's safety", []string{"women", "woman", "unsafe", "safety", "creep", "kids", "niece", "school"}},
			{"exposed locations and purchases", []string{"privacy", "location", "exposed", "stalk", "address", "purchase", "where i", "streets away",
				"consent", "regulator", "track", "which gym", "my spending", "camera roll", "payments showed"}},
			{"deleting the app", []string{"delete", "deleted", "boycott", "uninstall", "moving my money", "moved everything", "closed my account", "cancelled",
				"switch", "stop accepting", "stop using", "drop paywise", "no more paywise", "cutting up", "no longer takes", "paused", "anything but paywise"}},
			{"the screenshots", []string{"screenshot", "screenshots"}},
		},
	}
}

// SearchQuery is the microblog search query the demo configuration
// crawls for a scenario: the app's name, the feature's and the calm topic's.
func (s *Scenario) SearchQuery() string { return s.loc.searchQuery }

// englishHandle invents an English-speaking user's handle.
func englishHandle(rng *rand.Rand) string {
	first := []string{"mia", "jake", "sofia", "liam", "ava", "noah", "chloe", "ethan", "zara", "omar",
		"priya", "leo", "hannah", "ben", "grace", "sam", "yuki", "dan", "ellie", "raj",
		"nina", "tom", "lucy", "kwame", "aisha", "marco", "freya", "jonas", "ines", "mateo",
		"amara", "finn", "layla", "oscar", "ruby", "tariq", "elena", "george", "mei", "ali",
		"jess", "luca", "nadia", "pete", "rosa", "sean", "tess", "viktor", "wren", "yara",
		"abby", "carlos", "dina", "emeka", "fatima", "gus", "holly", "ivan", "jade", "kai"}
	last := []string{"chen", "smith", "okafor", "patel", "garcia", "nguyen", "kowalski", "murphy", "ahmed", "rossi",
		"kim", "jones", "silva", "novak", "haddad", "brown", "tanaka", "walsh", "mensah", "costa",
		"lee", "evans", "singh", "muller", "dubois", "ali", "wright", "park", "hughes", "moreno",
		"osei", "baker", "fischer", "lopez", "khan", "price", "ward", "reyes", "ito", "clarke"}
	words := []string{"coffee", "sleepy", "fox", "goblin", "pixel", "rainy", "mango", "ghost", "tiny", "grumpy",
		"cosmic", "lazy", "noodle", "velvet", "salty", "banana", "cloud", "static", "wild", "paper",
		"neon", "spicy", "quiet", "lucky", "frog", "otter", "comet", "biscuit", "cactus", "moth",
		"rusty", "honey", "crispy", "lunar", "tofu", "soggy", "turbo", "mossy", "glitch", "chaos"}
	f, l, w := first[rng.IntN(len(first))], last[rng.IntN(len(last))], words[rng.IntN(len(words))]
	switch rng.IntN(8) {
	case 0:
		return f + "_" + l
	case 1:
		return f + l + strconv.Itoa(rng.IntN(99)+1)
	case 2:
		return f + strconv.Itoa(1970+rng.IntN(38))
	case 3:
		return w + "_" + words[rng.IntN(len(words))]
	case 4:
		return f + "." + l
	case 5:
		return "the" + w + f
	case 6:
		return strings.ToUpper(f[:1]) + f[1:] + strings.ToUpper(l[:1]) + l[1:]
	}
	return w + f + strconv.Itoa(rng.IntN(999))
}

func chinese() *locale {
	return &locale{
		lang:          LangChinese,
		dir:           "texts/zh",
		backlashTopic: "qiantu-quanzi",
		calmTopic:     "qiantu-travel-card",
		// 圈子 is the feature; the rest are how the backlash names it.
		// Han keywords match as substrings, so 朋友圈 (no 子) does not.
		backlashKW: []string{"圈子", "钱途圈子", "约炮圈", "卸载钱途", "抵制钱途"},
		// Everyday talk of someone's circle of friends or of the
		// entertainment business is not the feature.
		backlashX:        []string{"娱乐圈子", "圈子文化", "社交圈子"},
		calmKW:           []string{"出行卡"},
		searchQuery:      "钱途 OR 圈子 OR 出行卡",
		stateMedia:       []string{"国民日报", "官媒"},
		stateMediaHandle: "国民日报",
		outlets: map[string]int{"国民日报": 9_600_000, "财经观察": 2_300_000,
			"金融快讯": 880_000, "科技前哨": 640_000},
		moderator:    "版主",
		help:         "钱途客服",
		company:      "钱途",
		companyForum: "钱途官方",
		welcomeTitle: "【置顶】欢迎来到钱途用户社区，发帖前请先阅读版规",
		statementTitles: map[string]string{
			"launch":  "钱途圈子正式上线",
			"apology": "钱途董事长就圈子问题致歉",
			"removal": "关于下线圈子功能的公告",
		},
		siteName:  "钱途观察",
		feedTitle: "钱途观察：新闻与评论",
		feedAbout: "关于钱途与个人理财的新闻和评论。",
		prefixes:  []string{"说实话，", "讲真，", "emmm ", "真的，", "那个，", "我就说一句，"},
		suffixes:  []string{"。。。", "…", "（已编辑）", " 就这样吧"},
		emoji: map[string][]string{
			"negative": {" [怒]", " 😡", " [吐]", " 🙄"},
			"positive": {" [赞]", " 👍", " 😊"},
			"neutral":  {" 🤔", " [思考]"},
		},
		boycottTag: " #卸载钱途#",
		calmTag:    " #出境游#",
		repost:     func(h, text string) string { return "转发微博 //@" + h + ": " + text },
		repostMark: "转发微博 //@",
		names:      chineseHandle,
		headline:   headlineRunes,
		complaints: []Complaint{
			{"hookups and paid sex", []string{"约炮", "色情", "色情交易", "低俗交易", "妓院", "青楼", "红灯区", "报价", "价格", "价目表", "明码标价", "擦边", "嫖", "夜总会", "今晚有空", "陪伴", "人肉市场", "低俗", "身体"}},
			{"exposed locations and purchases", []string{"隐私", "定位", "位置", "几百米", "跟踪", "暴露", "公开", "消费记录", "住址", "上班的地方", "付的钱"}},
			{"deleting the app", []string{"卸载", "抵制", "删", "注销", "解绑", "转走", "不用钱途", "撕了"}},
			{"the screenshots", []string{"截图"}},
		},
	}
}

// chineseHandle invents a nickname of the kind Chinese microblog users
// pick.
func chineseHandle(rng *rand.Rand) string {
	adj := []string{"快乐的", "爱吃鱼的", "不想上班的", "熬夜的", "佛系", "暴躁", "减肥中的", "会飞的", "迷路的", "温柔的",
		"社恐", "打工的", "失眠的", "努力的", "咸鱼", "早睡早起的", "碎碎念的", "晒太阳的", "爱喝奶茶的", "北漂的"}
	noun := []string{"小熊", "橘猫", "兔子", "土豆", "西瓜", "柠檬", "小鹿", "企鹅", "包子", "汤圆",
		"饺子", "仙人掌", "蘑菇", "星星", "月亮", "鲸鱼", "小狗", "狐狸", "芒果", "柚子"}
	name := []string{"小李", "阿杰", "张小花", "陈同学", "刘老师", "赵姐", "周周", "林林", "小雨", "大伟",
		"婷婷", "子涵", "浩然", "思思", "老许", "小安", "晓峰", "萌萌", "阿宁", "一一"}
	city := []string{"北京", "上海", "成都", "杭州", "广州", "深圳", "武汉", "西安", "南京", "重庆"}
	latin := []string{"momo", "lily", "kevin", "tony", "coco", "jason", "vivi", "amy", "leo", "sunny"}
	switch rng.IntN(8) {
	case 0:
		return adj[rng.IntN(len(adj))] + noun[rng.IntN(len(noun))]
	case 1:
		return name[rng.IntN(len(name))] + "在" + city[rng.IntN(len(city))]
	case 2:
		return noun[rng.IntN(len(noun))] + strconv.Itoa(rng.IntN(9000)+10)
	case 3:
		return "用户" + strconv.Itoa(5_000_000_000+rng.IntN(999_999_999))
	case 4:
		return latin[rng.IntN(len(latin))] + "_" + strconv.Itoa(rng.IntN(999))
	case 5:
		return city[rng.IntN(len(city))] + "的" + name[rng.IntN(len(name))]
	case 6:
		return name[rng.IntN(len(name))] + "家的" + noun[rng.IntN(len(noun))]
	}
	return latin[rng.IntN(len(latin))] + noun[rng.IntN(len(noun))]
}

// headlineRunes shortens a post in a language written without spaces to a
// thread title: its first sentence, at most 30 characters, cut on a
// character.
func headlineRunes(text string) string {
	r := []rune(text)
	for i, c := range r {
		if i >= 8 && strings.ContainsRune("。？！?!", c) {
			r = r[:i+1]
			break
		}
	}
	if len(r) <= 32 {
		return string(r)
	}
	return strings.TrimRight(string(r[:30]), "，、；：,;: ") + "…"
}

// outletFollowers returns a news or blog outlet's microblog following.
func (l *locale) outletFollowers(name string) int {
	if n, ok := l.outlets[name]; ok {
		return n
	}
	return 38_000 + 7_000*len(name)
}
