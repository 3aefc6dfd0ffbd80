package locale

import (
	"regexp"
	"slices"
	"testing"
)

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*[sdvqfx]`)

// Every message must exist in both languages with the same arguments, or one language
// shows a key or a "%!s(MISSING)" to the people reading it.
func TestCataloguesAgree(t *testing.T) {
	zh, en := Keys(ZH), Keys(EN)
	slices.Sort(zh)
	slices.Sort(en)
	for _, k := range zh {
		if _, ok := catalogs[EN][k]; !ok {
			t.Errorf("%s: missing in en", k)
			continue
		}
		if a, b := len(verb.FindAllString(catalogs[ZH][k], -1)), len(verb.FindAllString(catalogs[EN][k], -1)); a != b {
			t.Errorf("%s: zh-CN has %d arguments, en has %d", k, a, b)
		}
	}
	for _, k := range en {
		if _, ok := catalogs[ZH][k]; !ok {
			t.Errorf("%s: missing in zh-CN", k)
		}
	}
}

func TestTranslate(t *testing.T) {
	if got := T(ZH, "field.wrong_type", Key("type.integer")); got != "类型错误：应为整数" {
		t.Errorf("nested key: %q", got)
	}
	if got := T(EN, "plan.infeasible", Text{ZH: "冲突", EN: "clash"}); got != "the rules conflict, no grouping is possible: clash" {
		t.Errorf("bilingual argument: %q", got)
	}
	if got := T(EN, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key should show itself: %q", got)
	}
	for header, want := range map[string]Lang{"": ZH, "en-US,en;q=0.9": EN, "zh-CN,zh;q=0.9,en;q=0.8": ZH, "fr-FR,en;q=0.5": EN, "de": ZH} {
		if got := Parse(header); got != want {
			t.Errorf("Parse(%q) = %s, want %s", header, got, want)
		}
	}
}
