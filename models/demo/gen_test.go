package demo

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite demo_roster.csv from the generator")

// TestRosterFileIsGenerated keeps the embedded roster and its generator in step: edit the
// generator, then run go test ./models/demo -run TestRosterFileIsGenerated -update.
func TestRosterFileIsGenerated(t *testing.T) {
	want := generate()
	if *update {
		if err := os.WriteFile("demo_roster.csv", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("demo_roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("demo_roster.csv differs from the generator's output; run go test ./models/demo -update")
	}
}

// The reference shape: Fu'an's committee and a county city's uneven industries.
var industryCounts = []struct {
	name  string
	count int
}{
	{"电机电器", 28}, {"茶业", 14}, {"建筑建材", 12}, {"商贸", 11}, {"船舶修造", 10}, {"不锈钢", 9},
	{"新能源", 8}, {"食品", 7}, {"医药健康", 6}, {"房地产", 6}, {"金融", 5}, {"物流", 4}, {"文旅", 4},
	{"教育", 3}, {"其他", 3},
}

// regionsFor spreads an industry over the townships where such firms sit: motors in the city
// and Saiqi, ships on the river at Saiqi and Xiabaishi, steel at Wanwu, tea in the hills.
var regionsFor = map[string][]string{
	"电机电器": {"城阳", "城阳", "城阳", "赛岐", "赛岐", "阳头街道", "城北街道", "甘棠"},
	"船舶修造": {"赛岐", "赛岐", "下白石", "下白石", "甘棠", "溪尾"},
	"不锈钢":  {"湾坞", "湾坞", "湾坞", "下白石"},
	"新能源":  {"湾坞", "城阳", "赛岐", "甘棠"},
	"茶业":   {"社口", "松罗", "穆阳", "坂中", "晓阳", "康厝", "溪潭", "范坑", "穆阳"},
	"食品":   {"城阳", "赛岐", "溪柄", "上白石"},
	"医药健康": {"城阳", "城南街道", "阳头街道"},
	"建筑建材": {"城阳", "城北街道", "城南街道", "溪柄", "潭头", "赛岐"},
	"商贸":   {"城南街道", "城北街道", "阳头街道", "城阳", "穆阳"},
	"金融":   {"城南街道", "城北街道"},
	"物流":   {"赛岐", "城阳", "溪北洋"},
	"文旅":   {"穆阳", "溪潭", "坂中", "潭头"},
	"教育":   {"城北街道", "城南街道"},
	"房地产":  {"城阳", "城南街道", "阳头街道"},
	"其他":   {"城阳", "溪柄", "上白石"},
}

var companySuffixes = map[string][]string{
	"电机电器": {"电机", "电器", "机电", "电气", "发电设备"},
	"船舶修造": {"船舶修造", "船业", "船舶工程"},
	"不锈钢":  {"不锈钢", "特钢", "不锈钢制品"},
	"新能源":  {"新能源科技", "储能科技", "光伏科技"},
	"茶业":   {"茶业", "茶叶", "白茶", "红茶"},
	"食品":   {"食品", "水产食品"},
	"医药健康": {"医药", "健康科技", "药业"},
	"建筑建材": {"建设工程", "建材", "建筑工程"},
	"商贸":   {"商贸", "贸易", "百货"},
	"金融":   {"小额贷款", "融资担保"},
	"物流":   {"物流", "供应链"},
	"文旅":   {"文化旅游发展", "旅游开发"},
	"教育":   {"教育科技", "职业培训"},
	"房地产":  {"房地产开发", "置业"},
	"其他":   {"农业开发", "服饰", "信息技术"},
}

var (
	surnames   = []rune("陈林郑刘黄吴王李张缪郭钟雷阮薛连詹叶谢周")
	givenChars = []rune("建国明华志伟文忠德荣辉强平金海春宏秋丽梅芳玉清云龙成永福安泉水仁友良晓新振兴锦秀")
	brands     = []rune("恒裕鑫华宏盛泰元安顺达瑞丰嘉锦宁振德兴隆闽福祥和融誉捷远")
)

// generate builds the demo roster; a fixed seed makes it the same on every run.
func generate() []byte {
	rng := rand.New(rand.NewPCG(2017, 11))
	type person struct {
		role, industry, title string
	}
	// Leaders (vice-chairs, vice-presidents) come from the bigger industries, as in real rosters.
	var pool []string
	for _, ic := range industryCounts {
		for range ic.count {
			pool = append(pool, ic.name)
		}
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	// The chair runs a motor firm, the city's signature industry.
	for i, ind := range pool {
		if ind == "电机电器" {
			pool[0], pool[i] = pool[i], pool[0]
			break
		}
	}
	people := []person{{"主席", pool[0], "董事长"}, {"专职副主席", "", "专职副主席"}, {"秘书长", "", "秘书长"}}
	next := 1
	for _, rc := range []struct {
		role  string
		count int
	}{{"兼职副主席", 9}, {"副会长", 27}, {"常执委", 93}} {
		for range rc.count {
			people = append(people, person{rc.role, pool[next], ""})
			next++
		}
	}
	titles := []string{"董事长", "董事长", "总经理", "总经理", "执行董事", "副总经理", "总裁", "董事长兼总经理"}

	usedNames := map[string]bool{}
	name := func() string {
		for {
			n := string(surnames[rng.IntN(len(surnames))])
			for range 1 + min(rng.IntN(6), 1) { // mostly two given characters, some one
				n += string(givenChars[rng.IntN(len(givenChars))])
			}
			if !usedNames[n] {
				usedNames[n] = true
				return n
			}
		}
	}
	usedCompanies := map[string]bool{}
	company := func(industry string) string {
		for {
			b := string(brands[rng.IntN(len(brands))]) + string(brands[rng.IntN(len(brands))])
			suf := companySuffixes[industry]
			c := "福安市" + b + suf[rng.IntN(len(suf))] + "有限公司"
			if !usedCompanies[c] && b[:3] != b[3:] {
				usedCompanies[c] = true
				return c
			}
		}
	}
	// Seats: 14 deputies and 30 CPPCC members, a few provincial, more city (Ningde) and county;
	// leaders are likelier to hold one. The chair and the full-time vice-chair hold one each.
	deputyLevels := []string{"省级", "市级", "市级", "市级", "县级", "县级", "县级", "县级", "县级", "县级", "县级", "县级", "县级"}
	cppccLevels := []string{"省级", "省级", "市级", "市级", "市级", "市级", "市级", "市级", "市级", "市级"}
	for len(cppccLevels) < 29 {
		cppccLevels = append(cppccLevels, "县级")
	}
	seats := func(levels []string) map[int]string { // half to leaders, half to standing members
		lead, rest := rng.Perm(36), rng.Perm(93)
		out := map[int]string{}
		for k, l := range levels {
			if k < len(levels)/2 {
				out[3+lead[k]] = l
			} else {
				out[39+rest[k]] = l
			}
		}
		return out
	}
	deputy := seats(deputyLevels)
	deputy[0] = "市级"
	cppcc := seats(cppccLevels)
	cppcc[1] = "县级"

	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"编号", "姓名", "性别", "单位", "职务", "执委会职务", "行业", "区域/乡镇", "手机", "邮箱",
		"人大代表", "政协委员", "入会日期", "离任日期", "不可值班月份", "状态"})
	for i, p := range people {
		gender := "男"
		if rng.IntN(100) < 14 {
			gender = "女"
		}
		comp, title, region := "", p.title, "城南街道"
		if p.industry != "" {
			comp = company(p.industry)
			rs := regionsFor[p.industry]
			region = rs[rng.IntN(len(rs))]
			if title == "" {
				title = titles[rng.IntN(len(titles))]
			}
		} else {
			comp = "福安市工商业联合会"
		}
		email := ""
		if i < 3 || rng.IntN(100) < 6 {
			email = fmt.Sprintf("fa%03d@example.com", i+1)
		}
		joined := "2017-11-01"
		switch {
		case i >= 3 && rng.IntN(100) < 8:
			joined = "2019-12-20"
		case i >= 3 && rng.IntN(100) < 5:
			joined = "2021-06-18"
		}
		months := ""
		switch {
		case p.industry == "茶业" && rng.IntN(100) < 40:
			months = "3、4" // the spring tea harvest
		case rng.IntN(100) < 5:
			months = "1、2" // Spring Festival away from Fu'an
		}
		_ = w.Write([]string{fmt.Sprintf("FA%03d", i+1), name(), gender, comp, title, p.role, p.industry, region,
			fmt.Sprintf("1395000%04d", i+1), email, deputy[i], cppcc[i], joined, "", months, "在任"})
	}
	w.Flush()
	return bytes.ReplaceAll(buf.Bytes(), []byte("\r\n"), []byte("\n"))
}
