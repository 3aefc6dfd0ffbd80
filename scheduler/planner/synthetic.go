package planner

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Reference-shape names: Fu'an-like industries and townships. Larger rosters number them on.
var (
	synthIndustries = []string{"建筑建材", "食品加工", "电机电器", "商贸流通", "金融服务", "医药健康", "茶叶", "房地产",
		"汽车配件", "文化旅游", "信息技术", "物流运输", "农业水产", "船舶修造", "教育培训"}
	synthRegions = []string{"城南街道", "城北街道", "阳头街道", "赛岐镇", "甘棠镇", "湾坞镇", "溪尾镇", "下白石镇", "穆阳镇", "社口镇"}
)

// SyntheticRoster generates a reference-shape roster for tests, benchmarks and the CLI: leaders
// in Fu'an's ratio (9 vice-chairs and 27 vice-presidents per 129, capped at 3 per group),
// industries and regions of uneven (Zipf-like) sizes, deputies and CPPCC members at 23/132 and
// 57/132. The same arguments always give the same roster.
func SyntheticRoster(n, groups int, seed uint64) []Person {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	scale := math.Sqrt(float64(n) / 132)
	nInd := max(len(synthIndustries)-2, int(math.Round(13*scale)))
	nReg := max(len(synthRegions)-1, int(math.Round(9*scale)))
	name := func(list []string, i int) string {
		if i < len(list) {
			return list[i]
		}
		return fmt.Sprintf("%s%d", list[i%len(list)], i/len(list))
	}
	leaders := min(int(math.Round(float64(n)*36/132)), 3*groups)
	leaders = max(leaders, min(n, 2*groups))
	vc := int(math.Round(float64(leaders) * 9 / 36))
	// Precompute the Zipf tables once for large rosters.
	indOf, regOf := zipfTable(rng, n, nInd, 0.8), zipfTable(rng, n, nReg, 0.6)
	out := make([]Person, n)
	for i := range out {
		role := RoleStandingMember
		switch {
		case i < vc:
			role = RoleViceChair
		case i < leaders:
			role = RoleVicePresident
		}
		out[i] = Person{
			ID:       int64(i + 1),
			Name:     fmt.Sprintf("成员%03d", i+1),
			Role:     role,
			Industry: name(synthIndustries, indOf[i]),
			Region:   name(synthRegions, regOf[i]),
			Deputy:   rng.IntN(132) < 23,
			CPPCC:    rng.IntN(132) < 57,
		}
	}
	rng.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	for i := range out {
		out[i].ID = int64(i + 1)
		out[i].Name = fmt.Sprintf("成员%03d", i+1)
	}
	return out
}

// zipfTable draws n values in [0,k) with weight 1/(i+1)^skew.
func zipfTable(rng *rand.Rand, n, k int, skew float64) []int {
	cum := make([]float64, k)
	tot := 0.0
	for i := range cum {
		tot += 1 / math.Pow(float64(i+1), skew)
		cum[i] = tot
	}
	out := make([]int, n)
	for i := range out {
		x := rng.Float64() * tot
		lo, hi := 0, k-1
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		out[i] = lo
	}
	return out
}
