package eas

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// A mail with only an HTML part, asked for as plain text, gets the text of its HTML: entities
// decoded, style contents dropped, paragraphs on their own lines (the one converter of
// internal/text), cut by bytes on a character boundary.
func TestPlainBodyOfHTMLOnlyMail(t *testing.T) {
	it := &store.Item{BodyHTML: "<style>p{margin:0}</style><p>Fish &amp; Chips</p><p>Grüße</p>"}
	b := body(it, bodyOptions{})
	if got := b.TextOf("AirSyncBase:Data"); got != "Fish & Chips\n\nGrüße" {
		t.Fatalf("data %q", got)
	}
	if b.TextOf("AirSyncBase:Type") != "1" || b.TextOf("AirSyncBase:Truncated") != "0" {
		t.Fatalf("body:\n%s", b)
	}
	b = body(it, bodyOptions{Prefs: []bodyPref{{Type: bodyText, Truncation: 17}}})
	if got := b.TextOf("AirSyncBase:Data"); got != "Fish & Chips\n\nGr" || b.TextOf("AirSyncBase:Truncated") != "1" {
		t.Fatalf("cut inside ü: %q\n%s", got, b)
	}
	// A part stored as it came may hold invalid UTF-8; its text must still encode as WBXML.
	b = body(&store.Item{BodyHTML: "<p>a\xffb</p>"}, bodyOptions{})
	if got := b.TextOf("AirSyncBase:Data"); got != "a\uFFFDb" {
		t.Fatalf("invalid byte: %q", got)
	}
	if _, err := wbxml.Marshal(wbxml.New("AirSync:Sync", b)); err != nil {
		t.Fatal(err)
	}
}
