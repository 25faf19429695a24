package pinsheet

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// Font families registered with gofpdf.
const (
	famSans = "GoSans" // styles "" and "B"
	famMono = "GoMono"
)

// fontSet holds the parsed Go fonts, used to find out which characters they
// can draw before handing text to gofpdf (which does no fallback itself).
type fontSet struct {
	regular, bold, mono *sfnt.Font
}

var (
	fontsOnce sync.Once
	fonts     *fontSet
	fontsErr  error
)

func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		fs := &fontSet{}
		for _, f := range []struct {
			dst  **sfnt.Font
			data []byte
			name string
		}{
			{&fs.regular, goregular.TTF, "Go Regular"},
			{&fs.bold, gobold.TTF, "Go Bold"},
			{&fs.mono, gomono.TTF, "Go Mono"},
		} {
			parsed, err := sfnt.Parse(f.data)
			if err != nil {
				fontsErr = fmt.Errorf("pinsheet: parse %s: %w", f.name, err)
				return
			}
			*f.dst = parsed
		}
		fonts = fs
	})
	return fonts, fontsErr
}

// clean makes s safe to print with every one of the given fonts: it is
// NFC-normalised, line breaks and tabs become spaces, control characters and
// invisible characters the fonts lack (joiners, variation selectors, emoji
// modifiers, combining marks) are dropped, and any other character the fonts
// cannot draw becomes "?". Runs of spaces are collapsed.
func (fs *fontSet) clean(s string, with ...*sfnt.Font) string {
	var (
		b     strings.Builder
		buf   sfnt.Buffer
		space = false
	)
	for _, r := range norm.NFC.String(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if unicode.IsControl(r) {
			continue
		}
		if !covered(&buf, r, with) {
			if invisible(r) {
				continue
			}
			r = '?'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func covered(buf *sfnt.Buffer, r rune, with []*sfnt.Font) bool {
	// gofpdf keeps glyph widths for the Basic Multilingual Plane only.
	if r > 0xFFFF || r == unicode.ReplacementChar {
		return false
	}
	for _, f := range with {
		if i, err := f.GlyphIndex(buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

func invisible(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Variation_Selector) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) // emoji skin-tone modifiers
}
