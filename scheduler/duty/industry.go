package duty

import (
	"sort"
	"strings"
)

// themeDef is a catalogue theme: Chinese text, English gloss, category.
type themeDef struct {
	cat      Category
	text, en string
}

// industryDef is a known industry, recognised in the roster's free-text industry names by
// keywords. Themes are listed best first; the first theme's category is the industry's most
// natural kind of activity.
type industryDef struct {
	key, name string
	keywords  []string
	themes    []themeDef
}

// industries is matched in order, so specific entries (电机) come before broad ones (机械).
// The set follows Fu'an's economy (electric motors, shipbuilding, stainless steel, new-energy
// batteries, tea) plus the trades any county-level federation has.
var industries = []industryDef{
	{key: "tea", name: "茶产业", keywords: []string{"茶", "tea"}, themes: []themeDef{
		{IndustryService, "茶企品牌共建与市场推介会", "tea brand building and market promotion"},
		{Research, "茶产业品牌推广调研", "research on promoting the local tea brand"},
		{SiteVisit, "走进生态茶园与茶叶精深加工企业", "visit eco tea gardens and tea processors"},
		{Lecture, "茶文化与茶产业高质量发展座谈会", "symposium on tea culture and the tea industry"},
		{PublicityTraining, "茶叶质量安全与标准化生产培训", "training on tea quality, safety and standards"},
		{Charity, "茶乡助农：茶农技术帮扶与产销对接", "help tea farmers with skills and sales"},
	}},
	{key: "finance", name: "金融业", keywords: []string{"金融", "银行", "保险", "证券", "担保", "信贷", "投资", "bank", "financ", "insur"}, themes: []themeDef{
		{IndustryService, "银企对接会", "bank–enterprise matchmaking meeting"},
		{Lecture, "小微企业融资政策解读讲座", "lecture on financing policy for small firms"},
		{Research, "民营企业融资难融资贵问题调研", "research on private firms' financing difficulties"},
		{PublicityTraining, "防范金融风险与非法集资宣传培训", "training on financial risk and illegal fund-raising"},
		{Charity, "金融知识进乡村公益宣讲", "financial literacy talks in villages"},
	}},
	{key: "stainless_steel", name: "不锈钢新材料", keywords: []string{"不锈钢", "钢", "冶金", "镍", "新材料", "金属", "steel", "metal"}, themes: []themeDef{
		{SiteVisit, "参观不锈钢新材料产业园", "visit the stainless steel and new materials park"},
		{Research, "不锈钢产业链延伸与本地配套调研", "research on extending the stainless steel chain locally"},
		{IndustryService, "不锈钢上下游企业供需对接会", "supply–demand meeting along the stainless steel chain"},
		{PublicityTraining, "冶金企业安全生产与节能降碳培训", "safety and carbon-cutting training for metal firms"},
		{Lecture, "新材料技术趋势专题讲座", "lecture on new materials technology"},
	}},
	{key: "electric_motors", name: "电机电器", keywords: []string{"电机", "电器", "机电", "发电机", "motor", "electric"}, themes: []themeDef{
		{Research, "电机电器产业转型升级调研", "research on upgrading the electric motor industry"},
		{SiteVisit, "参观电机电器智能制造示范企业", "visit a smart-manufacturing motor maker"},
		{IndustryService, "电机电器产品推介与订单对接会", "motor product promotion and order matchmaking"},
		{PublicityTraining, "电机能效标准与出口认证培训", "training on motor efficiency standards and export certification"},
		{Lecture, "电机产业数字化转型座谈会", "symposium on digital transformation of motor makers"},
	}},
	{key: "shipbuilding", name: "船舶修造", keywords: []string{"船", "海工", "ship"}, themes: []themeDef{
		{SiteVisit, "参观船舶修造企业与港口码头", "visit shipyards and the port"},
		{Research, "船舶修造业发展与岸线资源利用调研", "research on shipbuilding and use of the coastline"},
		{IndustryService, "船舶配套企业供需对接会", "supply meeting for ship equipment suppliers"},
		{PublicityTraining, "船舶企业安全生产培训", "safety training for shipyards"},
		{Lecture, "海洋经济发展座谈会", "symposium on the marine economy"},
	}},
	{key: "new_energy", name: "新能源", keywords: []string{"新能源", "锂电", "电池", "光伏", "储能", "风电", "充电", "energy", "batter", "solar"}, themes: []themeDef{
		{SiteVisit, "参观锂电新能源龙头企业", "visit a leading lithium battery company"},
		{IndustryService, "新能源产业链配套对接会", "matchmaking for new-energy supply chain"},
		{Research, "本地企业融入新能源产业链调研", "research on local firms joining the new-energy chain"},
		{Lecture, "新能源产业政策与市场形势讲座", "lecture on new-energy policy and markets"},
		{PublicityTraining, "储能与电池安全知识培训", "training on battery and storage safety"},
	}},
	{key: "fisheries", name: "海洋渔业", keywords: []string{"水产", "渔", "海产", "海洋", "fish", "aquac"}, themes: []themeDef{
		{Research, "海洋渔业与水产养殖发展调研", "research on fisheries and aquaculture"},
		{IndustryService, "水产品冷链与销售对接会", "cold-chain and sales matchmaking for seafood"},
		{SiteVisit, "参观海上养殖与水产加工企业", "visit sea farms and seafood processors"},
		{PublicityTraining, "渔业安全生产培训", "fishery safety training"},
		{Lecture, "蓝色经济发展座谈会", "symposium on the blue economy"},
	}},
	{key: "food_agriculture", name: "食品农业", keywords: []string{"食品", "农业", "农产品", "葡萄", "水果", "果蔬", "种植", "养殖", "粮", "food", "agri"}, themes: []themeDef{
		{IndustryService, "农产品产销对接与电商直播助农", "farm produce sales matchmaking and live-stream selling"},
		{SiteVisit, "参观食品加工企业与特色农业基地", "visit food processors and specialty farms"},
		{PublicityTraining, "食品安全法规与质量管理培训", "food safety law and quality training"},
		{Research, "特色农产品品牌建设调研", "research on branding local farm produce"},
		{Charity, "助农增收：帮扶农户打开销路", "help farmers find buyers"},
	}},
	{key: "health", name: "大健康", keywords: []string{"医药", "医疗", "健康", "药", "医院", "养老", "体育", "健身", "health", "medic", "pharm"}, themes: []themeDef{
		{Research, "大健康产业发展调研（可形成集体提案）", "health industry research (may become a collective proposal)"},
		{Charity, "义诊进社区、送健康下乡", "free medical check-ups in communities and villages"},
		{Lecture, "企业家健康管理讲座", "health management lecture for entrepreneurs"},
		{SiteVisit, "参观健康产业企业", "visit a health industry company"},
		{IndustryService, "医养结合项目对接会", "matchmaking for medical and elderly care projects"},
	}},
	{key: "construction", name: "建筑房地产", keywords: []string{"建筑", "建设", "工程", "房地产", "地产", "建材", "装饰", "装修", "construct", "estate"}, themes: []themeDef{
		{PublicityTraining, "建筑施工安全与农民工工资支付政策培训", "training on site safety and migrant workers' wage rules"},
		{Research, "建筑业企业资质提升与市场开拓调研", "research on builders' qualifications and markets"},
		{SiteVisit, "参观重点工程项目与装配式建筑基地", "visit key projects and a prefab building plant"},
		{Lecture, "房地产与建筑市场形势座谈会", "symposium on the property and building market"},
		{IndustryService, "建筑企业与建材企业供需对接会", "builder–supplier matchmaking"},
	}},
	{key: "trade", name: "商贸", keywords: []string{"商贸", "贸易", "零售", "批发", "商场", "超市", "电商", "进出口", "外贸", "trade", "retail", "commerce"}, themes: []themeDef{
		{IndustryService, "电商直播与新零售对接会", "e-commerce live-streaming and new retail matchmaking"},
		{Lecture, "外贸形势与跨境电商讲座", "lecture on foreign trade and cross-border e-commerce"},
		{Research, "促消费与商贸流通调研", "research on consumption and distribution"},
		{PublicityTraining, "诚信经营与消费者权益保护培训", "training on honest business and consumer rights"},
		{SiteVisit, "参观商贸综合体与跨境电商园区", "visit a retail complex and e-commerce park"},
	}},
	{key: "logistics", name: "物流运输", keywords: []string{"物流", "运输", "快递", "仓储", "货运", "交通", "logist", "transport"}, themes: []themeDef{
		{Research, "物流降本增效调研", "research on cutting logistics costs"},
		{IndustryService, "物流企业与制造企业供需对接会", "logistics–manufacturer matchmaking"},
		{SiteVisit, "参观现代物流园区", "visit a modern logistics park"},
		{PublicityTraining, "道路运输安全培训", "road transport safety training"},
	}},
	{key: "tourism", name: "文旅", keywords: []string{"旅游", "文旅", "酒店", "餐饮", "民宿", "文化", "touris", "hotel"}, themes: []themeDef{
		{SiteVisit, "参观乡村旅游与民宿示范点", "visit rural tourism and guesthouse models"},
		{Research, "全域旅游与文旅融合调研", "research on culture and tourism integration"},
		{IndustryService, "文旅企业联合推介会", "joint promotion of tourism businesses"},
		{PublicityTraining, "餐饮住宿业食品安全与消防培训", "food and fire safety training for hotels and restaurants"},
		{Lecture, "文旅消费新业态讲座", "lecture on new forms of tourism consumption"},
	}},
	{key: "education", name: "教育培训", keywords: []string{"教育", "学校", "培训", "幼儿园", "educat", "school"}, themes: []themeDef{
		{Charity, "光彩助学：资助困难学生", "Guangcai education aid for students in need"},
		{Lecture, "职业教育与企业人才培养座谈会", "symposium on vocational education and talent"},
		{IndustryService, "校企合作与用工对接会", "school–enterprise cooperation and hiring"},
		{Research, "民办教育发展调研", "research on private education"},
	}},
	{key: "digital", name: "信息技术", keywords: []string{"信息", "软件", "互联网", "通信", "电子", "数字", "科技", "software", "internet", "tech"}, themes: []themeDef{
		{PublicityTraining, "数字化转型与网络安全培训", "digital transformation and cybersecurity training"},
		{IndustryService, "中小企业数字化服务对接会", "digital services matchmaking for small firms"},
		{Lecture, "人工智能与企业应用讲座", "lecture on AI in business"},
		{SiteVisit, "参观数字经济示范企业", "visit a digital economy model company"},
	}},
	{key: "manufacturing", name: "制造业", keywords: []string{"机械", "制造", "加工", "五金", "汽车", "配件", "纺织", "服装", "化工", "manufact", "machin"}, themes: []themeDef{
		{Research, "制造业企业技术改造调研", "research on technical upgrading of manufacturers"},
		{SiteVisit, "参观智能制造示范车间", "visit a smart-manufacturing workshop"},
		{IndustryService, "工业企业供需对接会", "supply–demand meeting for industrial firms"},
		{PublicityTraining, "安全生产与职业健康培训", "work safety and occupational health training"},
	}},
}

// genericThemes fill in when a group's industries are unknown (e.g. a group formed by region)
// or give too few themes for the chosen category. Each category has at least five so that
// filtering out last year's themes still leaves three.
var genericThemes = map[Category][]themeDef{
	PublicityTraining: {
		{PublicityTraining, "学习宣传《民营经济促进法》", "study the Private Economy Promotion Law"},
		{PublicityTraining, "企业合规经营与风险防范培训", "compliance and risk prevention training"},
		{PublicityTraining, "安全生产知识培训", "work safety training"},
		{PublicityTraining, "弘扬新时代企业家精神宣讲", "talks on the entrepreneurial spirit"},
		{PublicityTraining, "税收优惠与减税降费政策培训", "training on tax incentives"},
	},
	Lecture: {
		{Lecture, "惠企政策解读座谈会", "symposium on policies that support firms"},
		{Lecture, "企业家沙龙：经营管理经验交流", "entrepreneurs' salon on management"},
		{Lecture, "新生代企业家成长座谈会", "symposium for young-generation entrepreneurs"},
		{Lecture, "劳动用工与人力资源管理讲座", "lecture on employment law and HR"},
		{Lecture, "政企恳谈会：与部门负责人面对面", "face-to-face talk with government departments"},
	},
	SiteVisit: {
		{SiteVisit, "参观本地龙头企业", "visit a leading local company"},
		{SiteVisit, "赴先进地区商会考察学习", "study tour to chambers in advanced regions"},
		{SiteVisit, "参观产业园区与重点项目", "visit industrial parks and key projects"},
		{SiteVisit, "参观乡村振兴示范村", "visit a model village of rural revitalisation"},
		{SiteVisit, "参观优秀会员企业", "visit an outstanding member company"},
	},
	Research: {
		{Research, "走访会员企业，了解生产经营困难", "visit members to learn their difficulties"},
		{Research, "优化营商环境调研", "research on the business environment"},
		{Research, "乡镇（街道）经济发展调研", "research on township economic development"},
		{Research, "民营企业用工情况调研", "research on private firms' labour needs"},
		{Research, "专题调研并形成集体提案", "topic research leading to a collective proposal"},
	},
	IndustryService: {
		{IndustryService, "政企座谈与项目对接会", "government–enterprise project matchmaking"},
		{IndustryService, "会员企业产品展销对接", "member product fair"},
		{IndustryService, "人才招聘与用工对接会", "job fair for member firms"},
		{IndustryService, "企业间供需对接会", "supply–demand meeting between members"},
		{IndustryService, "知识产权与品牌建设服务", "intellectual property and branding services"},
	},
	Charity: {
		{Charity, "百企帮百村：结对帮扶村集体", "100 firms help 100 villages: pair with a village"},
		{Charity, "光彩助学：资助困难学生", "Guangcai education aid for students in need"},
		{Charity, "走访慰问困难群众和孤寡老人", "visit families in need and elderly people living alone"},
		{Charity, "义务植树与生态公益活动", "tree planting and environmental volunteering"},
		{Charity, "无偿献血志愿活动", "voluntary blood donation"},
	},
}

// groupIndustry is a recognised industry of a group with its member count.
type groupIndustry struct {
	def   *industryDef
	label string // the roster's own names, e.g. "医药、养老", used in reasons
	count int
}

// matchIndustries maps a group's roster industries to the catalogue, merging names that map to
// the same industry, largest first (ties by catalogue order, then label, for determinism).
// Unrecognised names are dropped; the generic themes cover them.
func matchIndustries(counts map[string]int) []groupIndustry {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	byKey := make(map[string]*groupIndustry)
	var keys []string
	for _, n := range names {
		c := counts[n]
		if c <= 0 {
			continue
		}
		def := lookupIndustry(n)
		if def == nil {
			continue
		}
		gi, ok := byKey[def.key]
		if !ok {
			gi = &groupIndustry{def: def, label: n}
			byKey[def.key] = gi
			keys = append(keys, def.key)
		}
		if gi.count > 0 {
			gi.label += "、" + n
		}
		gi.count += c
	}
	out := make([]groupIndustry, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	order := func(def *industryDef) int {
		for i := range industries {
			if &industries[i] == def {
				return i
			}
		}
		return len(industries)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return order(out[i].def) < order(out[j].def)
	})
	return out
}

func lookupIndustry(name string) *industryDef {
	n := strings.ToLower(name)
	for i := range industries {
		for _, kw := range industries[i].keywords {
			if strings.Contains(n, kw) {
				return &industries[i]
			}
		}
	}
	return nil
}
