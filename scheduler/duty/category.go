package duty

// Category is an activity category (活动类别). The string values are the identifiers stored and
// sent over the API.
type Category string

// The six categories of the Fu'an rota, in the order the year-end summary lists them.
const (
	PublicityTraining Category = "publicity_training" // 宣传培训
	Lecture           Category = "lecture"            // 座谈讲座
	SiteVisit         Category = "site_visit"         // 参观学习
	Research          Category = "research"           // 调研交流
	IndustryService   Category = "industry_service"   // 服务产业
	Charity           Category = "charity"            // 热心公益
)

// Categories returns the six categories in their fixed order. It returns a new slice each time so
// callers cannot reorder the package's own list.
func Categories() []Category {
	return []Category{PublicityTraining, Lecture, SiteVisit, Research, IndustryService, Charity}
}

var categoryNames = map[Category][2]string{
	PublicityTraining: {"宣传培训", "publicity & training"},
	Lecture:           {"座谈讲座", "symposium / lecture"},
	SiteVisit:         {"参观学习", "site visit"},
	Research:          {"调研交流", "research & exchange"},
	IndustryService:   {"服务产业", "industry service"},
	Charity:           {"热心公益", "charity"},
}

// Valid reports whether c is one of the six categories.
func (c Category) Valid() bool {
	_, ok := categoryNames[c]
	return ok
}

// Name returns the Chinese name, e.g. "热心公益"; empty for an unknown category.
func (c Category) Name() string { return categoryNames[c][0] }

// NameEN returns the English name, e.g. "charity".
func (c Category) NameEN() string { return categoryNames[c][1] }

// index returns the position in Categories(), or -1.
func (c Category) index() int {
	for i, x := range Categories() {
		if x == c {
			return i
		}
	}
	return -1
}

// CategoryCap returns the most duties of one category the proposal allows in a year with the
// given number of duties.
//
// Rule: with 6 or fewer duties every category appears at most once (so they all differ); with
// more, at most ceil(duties/6)+1, i.e. 3 for 7–12 duties. Together with "every category at least
// once when there are 6 or more duties" this keeps the year varied the way the federation reports
// it ("座谈讲座3次、参观学习2次……") while still letting a busy season such as October
// (重阳敬老, 扶贫日) lean towards charity.
func CategoryCap(duties int) int {
	if duties <= 6 {
		return 1
	}
	return (duties+5)/6 + 1
}
