package feed

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf8"
)

// cleanText makes user text safe for a TEXT value: valid UTF-8, every line break (CRLF,
// CR, NEL, U+2028/9) a single LF for go-ical to escape as \n, tabs as spaces, and control,
// bidi-override and byte-order-mark characters removed. Clients disagree about all of
// these, and a stray CR would end the content line early in some of them.
func cleanText(s string) string {
	if s == "" {
		return s
	}
	if isPlain(s) {
		return strings.TrimSpace(s)
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteByte('\n')
		case r == '\n', r == '\u0085', r == '\u2028', r == '\u2029':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case dropped(r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// cleanLine is cleanText for one-line values (summary, location, names): line breaks
// become spaces so a title never spans lines in a month view.
func cleanLine(s string) string {
	s = cleanText(s)
	if strings.IndexByte(s, '\n') < 0 {
		return s
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// isPlain reports text with nothing to clean: the common case, taken without allocating.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			if c < 0x80 {
				return false
			}
			return plainTail(s[i:])
		}
	}
	return true
}

func plainTail(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r == '\r' || r == '\n' || r == '\t' || r == '\u0085' ||
			r == '\u2028' || r == '\u2029' || dropped(r) {
			return false
		}
	}
	return true
}

// dropped are the characters removed from text: C0/C1 controls, DEL, the byte-order mark,
// noncharacters and the bidi embeddings, overrides and isolates that can make a title
// read differently from what it says.
func dropped(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == '\ufeff', r == '\ufffe', r == '\uffff':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// cleanURL accepts an absolute http(s) URL and returns it in canonical form; anything
// else (other schemes, spaces, control characters) is refused so it cannot break the line
// or smuggle a javascript: link into a calendar.
func cleanURL(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= 0x20 || c == 0x7f || c == '"' || c >= 0x80 {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.String(), true
}

// foldAt is the longest a physical line may be, in octets, without its CRLF (RFC 5545 §3.1).
const foldAt = 75

// fold appends src to dst with every content line longer than 75 octets folded: CRLF and
// one space, never inside a UTF-8 sequence (a split character is mojibake in Outlook).
func fold(dst, src []byte) []byte {
	for len(src) > 0 {
		end := indexCRLF(src)
		line := src
		rest := []byte(nil)
		if end >= 0 {
			line, rest = src[:end], src[end+2:]
		}
		if len(line) == 0 { // a blank line is not a content line; go-ical never writes one
			src = rest
			continue
		}
		limit := foldAt
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			dst = append(dst, line[:cut]...)
			dst = append(dst, '\r', '\n', ' ')
			line = line[cut:]
			limit = foldAt - 1 // the leading space counts
		}
		dst = append(dst, line...)
		dst = append(dst, '\r', '\n')
		src = rest
	}
	return dst
}

func indexCRLF(b []byte) int { return bytes.Index(b, crlf) }

var crlf = []byte("\r\n")
