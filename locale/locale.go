// Package locale holds the product's translation catalogues (zh-CN first, en second)
// and picks the language for a request.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

// Lang is a supported language tag.
type Lang string

// The supported languages. Chinese is the default: the secretariat works in Chinese.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

//go:embed catalog/*.json
var catalogFS embed.FS

var catalogs = mustLoad()

func mustLoad() map[Lang]map[string]string {
	out := map[Lang]map[string]string{}
	for _, l := range []Lang{ZH, EN} {
		b, err := catalogFS.ReadFile("catalog/" + string(l) + ".json")
		if err != nil {
			panic(err) // embedded at build time: a missing file is a build defect
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("locale %s: %v", l, err))
		}
		out[l] = m
	}
	return out
}

// T translates key into lang, formatting args with fmt verbs (which may be indexed,
// %[2]s, so languages can reorder them). An unknown key falls back to Chinese, then to the key.
func T(lang Lang, key string, args ...any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		msg, ok = catalogs[ZH][key]
	}
	if !ok {
		msg = key
	}
	if len(args) == 0 {
		return msg
	}
	args = append([]any(nil), args...) // translated arguments must not rewrite the caller's slice
	for i, a := range args {
		switch v := a.(type) {
		case Key:
			args[i] = T(lang, string(v))
		case Text:
			args[i] = v.In(lang)
		}
	}
	return fmt.Sprintf(msg, args...)
}

// Key is a message argument that is itself translated, e.g. the name of a type.
type Key string

// Text is a message argument already written in both languages, as the pure planners write them.
type Text struct{ ZH, EN string }

// In picks the text for lang, falling back to Chinese.
func (t Text) In(lang Lang) string {
	if lang == EN && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// Has reports whether key exists in the Chinese catalogue (the reference one).
func Has(key string) bool {
	_, ok := catalogs[ZH][key]
	return ok
}

// Keys returns every key of lang's catalogue; tests use it to check both catalogues agree.
func Keys(lang Lang) []string {
	keys := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	return keys
}

// Parse picks the language from an Accept-Language header or a --lang flag value.
// Anything that does not ask for English gets Chinese.
func Parse(header string) Lang {
	for _, part := range strings.Split(header, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return ZH
		case strings.HasPrefix(tag, "en"):
			return EN
		}
	}
	return ZH
}
