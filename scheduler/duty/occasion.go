package duty

import (
	"sort"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// Occasion is a festival or commemorative day (节日/节点) that suggests what a duty month's
// activity could be about: Spring Festival visits to the poor and elderly, Double Ninth care for
// the elderly, Constitution Day legal education, and so on.
type Occasion struct {
	Key    string `json:"key"` // stable identifier, e.g. "double_ninth"
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Date   Date   `json:"date"`
	// MonthLong marks a campaign that runs all month (安全生产月, 金秋助学); Date is then the 1st.
	MonthLong bool `json:"month_long,omitempty"`
	// Lunar marks a date computed from the lunar calendar; LunarDate is it in Chinese ("九月初九").
	Lunar     bool   `json:"lunar,omitempty"`
	LunarDate string `json:"lunar_date,omitempty"`
	// Categories are the suitable activity categories, best first.
	Categories []Category `json:"categories"`
	// Theme is the ready-made activity theme for the first category.
	Theme   string `json:"theme"`
	ThemeEN string `json:"theme_en"`
	// Themes has one theme per category in Categories, in the same order, because a theme that
	// fits a symposium (新年座谈) does not fit research.
	Themes []OccasionTheme `json:"themes"`
}

// OccasionTheme is an occasion's suggested theme for one category.
type OccasionTheme struct {
	Category Category `json:"category"`
	Text     string   `json:"text"`
	TextEN   string   `json:"text_en"`
}

// occasionDef describes how to place an occasion in a year.
type occasionDef struct {
	key, name, nameEN string
	// Exactly one of: a solar month/day; a lunar month/day (lunarYearOffset selects the lunar
	// year relative to the plan year); the solar term 清明; a whole month.
	month, day           int
	lunarMonth, lunarDay int
	lunarYearOffset      int
	qingming             bool
	monthLong            bool
	since                int // first year the occasion exists (0: always)
	categories           []Category
	theme, themeEN       string
	alt                  []themeDef // themes for the categories after the first
}

// occasionDefs is the catalogue. Lunar dates are computed every year from lunar-go rather than
// typed in, because they move by up to a month between years.
var occasionDefs = []occasionDef{
	{key: "new_year", name: "元旦", nameEN: "New Year's Day", month: 1, day: 1,
		categories: []Category{Lecture, Research},
		theme:      "新年座谈：回顾上年成效、谋划本年活动", themeEN: "New Year symposium: review last year, plan this year",
		alt: []themeDef{{Research, "新年走访会员企业：了解新一年发展需求", "New Year visits to members: learn their plans and needs"}}},
	{key: "spring_festival_care", name: "春节送温暖", nameEN: "Spring Festival care visits", lunarMonth: 12, lunarDay: 15, lunarYearOffset: -1,
		categories: []Category{Charity},
		theme:      "春节送温暖：走访慰问困难群众和孤寡老人", themeEN: "Spring Festival warmth: visit families in need and elderly people living alone"},
	{key: "spring_festival", name: "春节", nameEN: "Spring Festival", lunarMonth: 1, lunarDay: 1,
		categories: []Category{Charity, Lecture},
		theme:      "春节慰问困难会员企业职工", themeEN: "Spring Festival visits to members' workers in need",
		alt: []themeDef{{Lecture, "新春团拜座谈会", "New Year gathering and symposium"}}},
	{key: "lantern", name: "元宵节", nameEN: "Lantern Festival", lunarMonth: 1, lunarDay: 15,
		categories: []Category{Lecture, PublicityTraining},
		theme:      "元宵联谊座谈：新春话发展", themeEN: "Lantern Festival get-together: talking about the year's growth",
		alt: []themeDef{{PublicityTraining, "新春惠企政策宣讲会", "New Year briefing on policies that support firms"}}},
	{key: "lei_feng", name: "学雷锋纪念日", nameEN: "Learn from Lei Feng Day", month: 3, day: 5,
		categories: []Category{Charity},
		theme:      "学雷锋志愿服务进社区", themeEN: "Lei Feng volunteer service in the community"},
	{key: "womens_day", name: "国际妇女节", nameEN: "International Women's Day", month: 3, day: 8,
		categories: []Category{Lecture},
		theme:      "巾帼建功：女企业家座谈会", themeEN: "Symposium of women entrepreneurs"},
	{key: "consumer_rights", name: "消费者权益日", nameEN: "Consumer Rights Day", month: 3, day: 15,
		categories: []Category{PublicityTraining, IndustryService},
		theme:      "3·15诚信经营与消费者权益保护宣传", themeEN: "Honest business and consumer protection campaign (15 March)",
		alt: []themeDef{{IndustryService, "3·15放心消费承诺与质量提升服务", "consumer-trust pledge and quality improvement service"}}},
	{key: "qingming", name: "清明节", nameEN: "Qingming Festival", qingming: true,
		categories: []Category{SiteVisit, PublicityTraining},
		theme:      "清明缅怀先烈：参观红色教育基地", themeEN: "Qingming: honour revolutionary martyrs at a red heritage site",
		alt: []themeDef{{PublicityTraining, "清明文明祭扫与森林防火宣传", "civilised tomb-sweeping and forest fire prevention campaign"}}},
	{key: "national_security", name: "全民国家安全教育日", nameEN: "National Security Education Day", month: 4, day: 15, since: 2016,
		categories: []Category{PublicityTraining},
		theme:      "国家安全与企业数据安全宣传培训", themeEN: "Training on national security and corporate data security"},
	{key: "ip_day", name: "世界知识产权日", nameEN: "World Intellectual Property Day", month: 4, day: 26,
		categories: []Category{IndustryService, PublicityTraining},
		theme:      "知识产权保护与商标品牌服务", themeEN: "Intellectual property protection and trademark services",
		alt: []themeDef{{PublicityTraining, "知识产权法律知识培训", "training on intellectual property law"}}},
	{key: "labour_day", name: "劳动节", nameEN: "Labour Day", month: 5, day: 1,
		categories: []Category{SiteVisit, Lecture},
		theme:      "走进劳模企业：弘扬劳模精神和工匠精神", themeEN: "Visit a model workers' company: the spirit of craftsmanship",
		alt: []themeDef{{Lecture, "劳模工匠与企业家座谈会", "symposium of model workers, craftsmen and entrepreneurs"}}},
	{key: "youth_day", name: "五四青年节", nameEN: "Youth Day", month: 5, day: 4,
		categories: []Category{Lecture},
		theme:      "新生代企业家座谈会", themeEN: "Symposium of young-generation entrepreneurs"},
	{key: "private_economy_law", name: "民营经济促进法施行纪念日", nameEN: "Private Economy Promotion Law anniversary", month: 5, day: 20, since: 2025,
		categories: []Category{PublicityTraining, Lecture},
		theme:      "学习宣传《民营经济促进法》", themeEN: "Study and publicise the Private Economy Promotion Law",
		alt: []themeDef{{Lecture, "《民营经济促进法》施行周年座谈会", "symposium on the anniversary of the Private Economy Promotion Law"}}},
	{key: "dragon_boat", name: "端午节", nameEN: "Dragon Boat Festival", lunarMonth: 5, lunarDay: 5,
		categories: []Category{Charity, Lecture},
		theme:      "端午慰问环卫工人和一线职工", themeEN: "Dragon Boat Festival visits to sanitation and front-line workers",
		alt: []themeDef{{Lecture, "端午企业家联谊座谈", "Dragon Boat Festival entrepreneurs' get-together"}}},
	{key: "childrens_day", name: "儿童节", nameEN: "Children's Day", month: 6, day: 1,
		categories: []Category{Charity},
		theme:      "六一关爱留守儿童", themeEN: "Children's Day care for left-behind children"},
	{key: "safety_month", name: "安全生产月", nameEN: "Work Safety Month", month: 6, day: 1, monthLong: true,
		categories: []Category{PublicityTraining, SiteVisit},
		theme:      "安全生产月：企业安全生产培训与隐患排查", themeEN: "Work Safety Month: safety training and hazard checks",
		alt: []themeDef{{SiteVisit, "观摩安全生产标准化示范企业", "visit a work-safety model company"}}},
	{key: "environment_day", name: "世界环境日", nameEN: "World Environment Day", month: 6, day: 5,
		categories: []Category{SiteVisit, Research},
		theme:      "绿色低碳：参观节能降碳示范企业", themeEN: "Green and low-carbon: visit an energy-saving model company",
		alt: []themeDef{{Research, "企业绿色低碳转型调研", "research on firms' green transition"}}},
	{key: "party_day", name: "建党节", nameEN: "CPC Founding Day", month: 7, day: 1,
		categories: []Category{SiteVisit, PublicityTraining},
		theme:      "七一党史学习：参观红色教育基地", themeEN: "Party history study: visit a red heritage site",
		alt: []themeDef{{PublicityTraining, "七一党史学习教育宣讲", "Party history talk for 1 July"}}},
	{key: "army_day", name: "建军节", nameEN: "Army Day", month: 8, day: 1,
		categories: []Category{Charity},
		theme:      "八一拥军优属：慰问驻地官兵和退役军人", themeEN: "Army Day: visit local troops and veterans"},
	{key: "education_aid", name: "金秋助学（光彩助学）", nameEN: "Autumn education aid (Guangcai)", month: 8, day: 1, monthLong: true,
		categories: []Category{Charity},
		theme:      "光彩助学：资助困难家庭学子圆梦大学", themeEN: "Guangcai education aid: grants for students from families in need"},
	{key: "teachers_day", name: "教师节", nameEN: "Teachers' Day", month: 9, day: 10,
		categories: []Category{Charity, Lecture},
		theme:      "尊师重教：慰问乡村教师", themeEN: "Teachers' Day: honour rural teachers",
		alt: []themeDef{{Lecture, "校企合作与尊师重教座谈会", "symposium on school–enterprise cooperation"}}},
	{key: "mid_autumn", name: "中秋节", nameEN: "Mid-Autumn Festival", lunarMonth: 8, lunarDay: 15,
		categories: []Category{Charity, Lecture},
		theme:      "中秋慰问困难群众", themeEN: "Mid-Autumn visits to families in need",
		alt: []themeDef{{Lecture, "中秋企业家联谊座谈", "Mid-Autumn entrepreneurs' get-together"}}},
	{key: "national_day", name: "国庆节", nameEN: "National Day", month: 10, day: 1,
		categories: []Category{SiteVisit, PublicityTraining},
		theme:      "喜迎国庆：参观家乡发展成就", themeEN: "National Day: see the hometown's achievements",
		alt: []themeDef{{PublicityTraining, "喜迎国庆爱国主义宣传教育", "patriotic education for National Day"}}},
	{key: "poverty_relief_day", name: "国家扶贫日", nameEN: "National Poverty Relief Day", month: 10, day: 17, since: 2014,
		categories: []Category{Charity, Research},
		theme:      "百企帮百村：结对帮扶与乡村振兴", themeEN: "100 firms help 100 villages: paired support and rural revitalisation",
		alt: []themeDef{{Research, "乡村振兴与结对帮扶村调研", "research on rural revitalisation in paired villages"}}},
	{key: "double_ninth", name: "重阳节", nameEN: "Double Ninth Festival", lunarMonth: 9, lunarDay: 9,
		categories: []Category{Charity},
		theme:      "重阳敬老：走访慰问敬老院和孤寡老人", themeEN: "Double Ninth: visit care homes and elderly people living alone"},
	{key: "private_enterprise_symposium", name: "民营企业座谈会召开纪念日", nameEN: "Anniversary of the 2018 private enterprise symposium", month: 11, day: 1, since: 2019,
		categories: []Category{Lecture, PublicityTraining},
		theme:      "学习贯彻民营企业座谈会精神座谈", themeEN: "Symposium on the spirit of the private enterprise symposium",
		alt: []themeDef{{PublicityTraining, "民营经济政策宣讲", "talk on private economy policies"}}},
	{key: "fire_safety_day", name: "全国消防日", nameEN: "Fire Safety Day", month: 11, day: 9,
		categories: []Category{PublicityTraining},
		theme:      "消防安全培训与应急演练", themeEN: "Fire safety training and emergency drill"},
	{key: "constitution_day", name: "国家宪法日", nameEN: "National Constitution Day", month: 12, day: 4, since: 2014,
		categories: []Category{PublicityTraining, Lecture},
		theme:      "国家宪法日法治宣传：企业合规经营培训", themeEN: "Constitution Day legal education: compliance training for firms",
		alt: []themeDef{{Lecture, "宪法与企业合规经营专题讲座", "lecture on the Constitution and corporate compliance"}}},
	{key: "volunteer_day", name: "国际志愿者日", nameEN: "International Volunteer Day", month: 12, day: 5,
		categories: []Category{Charity},
		theme:      "志愿服务进社区", themeEN: "Volunteer service in the community"},
}

// Occasions returns the occasions of a solar year in date order.
func Occasions(year int) ([]Occasion, error) {
	if year < MinYear || year > MaxYear {
		return nil, invalid("year", "年份%d超出支持范围（%d–%d）", "year %d is outside %d–%d", year, MinYear, MaxYear)
	}
	out := make([]Occasion, 0, len(occasionDefs))
	for _, def := range occasionDefs {
		if def.since > year {
			continue
		}
		o := Occasion{
			Key: def.key, Name: def.name, NameEN: def.nameEN, MonthLong: def.monthLong,
			Categories: append([]Category(nil), def.categories...),
			Theme:      def.theme, ThemeEN: def.themeEN,
			Themes: []OccasionTheme{{Category: def.categories[0], Text: def.theme, TextEN: def.themeEN}},
		}
		for _, t := range def.alt {
			o.Themes = append(o.Themes, OccasionTheme{Category: t.cat, Text: t.text, TextEN: t.en})
		}
		switch {
		case def.lunarMonth > 0:
			l := calendar.NewLunarFromYmd(year+def.lunarYearOffset, def.lunarMonth, def.lunarDay)
			s := l.GetSolar()
			o.Date = Date{Year: s.GetYear(), Month: time.Month(s.GetMonth()), Day: s.GetDay()}
			o.Lunar = true
			o.LunarDate = l.GetMonthInChinese() + "月" + l.GetDayInChinese()
		case def.qingming:
			o.Date = qingming(year)
		default:
			o.Date = NewDate(year, time.Month(def.month), def.day)
		}
		if o.Date.Year != year {
			continue // cannot happen for the catalogue above, but keeps the contract if it grows
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// OccasionsInMonth returns the occasions of one month in date order.
func OccasionsInMonth(year, month int) ([]Occasion, error) {
	all, err := Occasions(year)
	if err != nil {
		return nil, err
	}
	var out []Occasion
	for _, o := range all {
		if int(o.Date.Month) == month {
			out = append(out, o)
		}
	}
	return out, nil
}

// SpringFestival returns the date of 春节 (lunar New Year's Day) in the solar year; the UI uses it
// to suggest the month to mark "no duty".
func SpringFestival(year int) (Date, error) {
	if year < MinYear || year > MaxYear {
		return Date{}, invalid("year", "年份%d超出支持范围（%d–%d）", "year %d is outside %d–%d", year, MinYear, MaxYear)
	}
	s := calendar.NewLunarFromYmd(year, 1, 1).GetSolar()
	return Date{Year: s.GetYear(), Month: time.Month(s.GetMonth()), Day: s.GetDay()}, nil
}

// qingming returns the day of the solar term 清明 (around 4–5 April), from lunar-go's
// astronomical term table.
func qingming(year int) Date {
	s := calendar.NewSolarFromYmd(year, 4, 1).GetLunar().GetJieQiTable()["清明"]
	return Date{Year: s.GetYear(), Month: time.Month(s.GetMonth()), Day: s.GetDay()}
}
