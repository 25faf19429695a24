package text

import (
	"html"
	"strings"
	"unicode/utf8"
)

// FromHTML is the text of an HTML body: tags dropped, with the contents of head, style and
// script (Outlook puts its CSS there), entities decoded, and line breaks for br, p and div so
// that paragraphs stay apart. It is no HTML parser: a device or a mail client wants readable
// text, and an unclosed tag drops the rest rather than showing markup. The text is always
// UTF-8, whatever the input: a mail's HTML part is stored as it came, and a WBXML answer with
// invalid UTF-8 cannot be encoded; each invalid byte becomes U+FFFD.
func FromHTML(h string) string {
	if !utf8.ValidString(h) {
		h = string([]rune(h))
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			b.WriteString(h)
			break
		}
		b.WriteString(h[:i])
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		tag := strings.ToLower(h[i+1 : i+j])
		h = h[i+j+1:]
		name, _, _ := strings.Cut(strings.Trim(tag, "/ "), " ")
		switch {
		case name == "br" || name == "p" || name == "div":
			b.WriteString("\n")
		case !strings.HasPrefix(tag, "/") && (name == "head" || name == "style" || name == "script"):
			end := indexEndTag(h, name)
			if end < 0 {
				h = ""
				continue
			}
			h = h[end:]
		}
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}

// indexEndTag finds "</name" in h, the name in any case. It compares ASCII only and indexes h
// itself: an index into strings.ToLower(h) is off wherever lowering changes a character's
// length (İ, an invalid byte), which cut h inside a character or past its end.
func indexEndTag(h, name string) int {
	for from := 0; ; {
		i := strings.Index(h[from:], "</")
		if i < 0 {
			return -1
		}
		at := from + i
		if rest := h[at+2:]; len(rest) >= len(name) && asciiEqualFold(rest[:len(name)], name) {
			return at
		}
		from = at + 2
	}
}

func asciiEqualFold(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
