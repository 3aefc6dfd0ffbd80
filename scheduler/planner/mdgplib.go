package planner

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MDGPLIBBestKnown lists best-known values quoted with the shared MDGPLIB sample (maximised);
// they are targets from the literature, not proofs.
var MDGPLIBBestKnown = map[string]float64{
	"RanInt_n120_ds_01": 51146,
	"RanInt_n240_ds_01": 160596,
	"RanInt_n480_ds_01": 390718,
}

// ReadMDGPLIB reads an MDGPLIB instance: a header "n G ds|ss a_1 b_1 … a_G b_G" and then one
// "i j d_ij" line per pair (0-based items). It returns a pairwise-mode Problem with person IDs
// equal to the item numbers, per-group size bounds, no leader rule and no soft spreads.
func ReadMDGPLIB(r io.Reader) (*Problem, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("MDGPLIB文件为空 / empty MDGPLIB file")
	}
	head := strings.Fields(sc.Text())
	if len(head) < 3 {
		return nil, fmt.Errorf("MDGPLIB文件头格式不对 / bad MDGPLIB header %q", sc.Text())
	}
	n, err1 := strconv.Atoi(head[0])
	g, err2 := strconv.Atoi(head[1])
	if err1 != nil || err2 != nil || n < 1 || g < 1 || len(head) != 3+2*g {
		return nil, fmt.Errorf("MDGPLIB文件头格式不对 / bad MDGPLIB header %q", sc.Text())
	}
	p := &Problem{Groups: g, Mode: ModePairwise, NoLeaderRule: true, NoSoftSpread: true,
		GroupSizes: make([]Bounds, g), People: make([]Person, n), Distance: make([][]float64, n)}
	for k := 0; k < g; k++ {
		a, e1 := strconv.Atoi(head[3+2*k])
		b, e2 := strconv.Atoi(head[4+2*k])
		if e1 != nil || e2 != nil {
			return nil, fmt.Errorf("第%d组人数范围格式不对 / bad bounds for group %d", k+1, k+1)
		}
		p.GroupSizes[k] = Bounds{a, b}
	}
	for i := range p.People {
		p.People[i] = Person{ID: int64(i), Name: strconv.Itoa(i), Role: RoleStandingMember}
		p.Distance[i] = make([]float64, n)
	}
	line := 1
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("第%d行格式不对 / line %d: want \"i j d\"", line, line)
		}
		i, e1 := strconv.Atoi(f[0])
		j, e2 := strconv.Atoi(f[1])
		d, e3 := strconv.ParseFloat(f[2], 64)
		if e1 != nil || e2 != nil || e3 != nil || i < 0 || j < 0 || i >= n || j >= n {
			return nil, fmt.Errorf("第%d行格式不对 / line %d: bad pair %q", line, line, sc.Text())
		}
		p.Distance[i][j], p.Distance[j][i] = d, d
	}
	return p, sc.Err()
}
