package drivers

import "strings"

// functionWords are English words too common to say what a post is about,
// beyond the scorer's own function words, and the conventions of social
// posts ("rt", "via"). A distinctive term names a thing, not the grammar
// around it.
var functionWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`rt via cc dm dms pls plz lol omg tbh imo idk btw ok okay yeah yes
am being there here out up down off over under into onto than then too very also only even still yet
more most less some any every each other another such same own many much few one two three first last
next new old now today tonight yesterday tomorrow week weeks day days month year time times thing things
way lot lots bit really actually literally basically just already always never sometimes someone
something anyone anything everyone everything nobody nothing people person guys guy
make makes made making go goes going gone went come comes coming came take takes took taken give gives
gave see sees seen saw look looks looked looking say says said tell told know knows knew think thinks
thought want wants wanted need needs needed use uses used using let lets put keep keeps kept seem seems
try tries tried call called find found feel feels felt mean means meant show shows showed shown
should could might must may shall would've could've should've won't wouldn't couldn't shouldn't isn't
aren't wasn't weren't haven't hasn't hadn't i've you've we've they've i'll you'll he's she's that's
there's here's what's who's let's i'd you'd it'll
him her his hers them us mine yours ours theirs myself yourself itself themselves whose whom which
where while because since until though although whether both either neither nor once after before
during through between against among around without within along across behind beyond upon
like likes liked well back still again`) {
		m[w] = true
	}
	return m
}()
