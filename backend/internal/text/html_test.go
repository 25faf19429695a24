package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFromHTML(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// What eas/pim's decodeBody asserted of its htmlText (codec_test.go TestBodyTypes).
		{"<div>Hallo&nbsp;Welt</div><div>zweite<br/>Zeile &amp; mehr</div>", "Hallo\u00a0Welt\n\nzweite\nZeile & mehr"},
		{"<html><head><style>p {margin:0}</style></head><body><p>Hi</p><SCRIPT>x()</SCRIPT></body></html>", "Hi"},
		// What eas's stripTags gave and still gives: tags dropped, text kept, space trimmed.
		{"<p>See the <b>figures</b>.</p>", "See the figures."},
		{"  plain  ", "plain"},
		{"a <b>b</b> c", "a b c"},
		{"text <unclosed", "text"},
		{"", ""},
		// Where stripTags and htmlText differed, htmlText's answer is kept.
		{"Fish &amp; Chips", "Fish & Chips"},
		{"<style>body{}</style>Hello", "Hello"},
		{"<script>alert(1)</script>Hi", "Hi"},
		{"one<br>two", "one\ntwo"},
		// The end tag is found in any case, without the index slipping on characters whose
		// lower case has another length.
		{"<STYLE>a</Style>b", "b"},
		{"<style>İİİ</style>abc", "abc"},
		{"<style>\xff\xff\xff\xff\xff</style>x", "x"},
		{"<style>no end", ""},
		{"<style>a</styles>b", "b"}, // the prefix "</style" ends it, as before
		// Invalid bytes (a mail part stored as it came) become U+FFFD, one each, as stripTags
		// made them: the text goes into WBXML, which must be UTF-8.
		{"<p>a\xffb\xfe\xfd</p>", "a\uFFFDb\uFFFD\uFFFD"},
	} {
		if got := FromHTML(c.in); got != c.want {
			t.Errorf("FromHTML(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"", "<p>a</p>", "<div>Hallo&nbsp;Welt</div>", "<head><style>x</style></head>b",
		"<style>İİİ</style>abc", "<script>\xff\xff</SCRIPT>", "a<br/>b", "&#xD800;", "&nGt;", "<", ">", "</", "<style"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := FromHTML(s)
		if !utf8.ValidString(out) {
			t.Fatalf("FromHTML(%q) = %q: not UTF-8", s, out)
		}
		if strings.TrimSpace(out) != out {
			t.Fatalf("FromHTML(%q) = %q: not trimmed", s, out)
		}
		if utf8.ValidString(s) && !strings.ContainsAny(s, "<&") && out != strings.TrimSpace(s) {
			t.Fatalf("FromHTML(%q) = %q: plain text changed", s, out)
		}
	})
}
