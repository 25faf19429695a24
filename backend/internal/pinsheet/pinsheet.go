package pinsheet

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Paper is the page size of the printed sheet.
type Paper string

// Supported page sizes. The zero value ("") means A4.
const (
	A4     Paper = "a4"
	Letter Paper = "letter"
)

// MaxCodes is the largest number of codes one sheet accepts.
const MaxCodes = 50

// Sheet is what gets printed.
type Sheet struct {
	Email   string    // the account the codes are valid for
	Label   string    // the OTP entry's label (any script, up to 64 chars)
	Issuer  string    // product name shown in the title, e.g. "Tessera"
	Codes   []string  // the PIN codes, usually 10; printed grouped "ABCD EFGH"
	Created time.Time // printed as a date
	Paper   Paper
}

// Errors returned by Render for a sheet that cannot be printed.
var (
	ErrNoCodes      = errors.New("pinsheet: no codes to print")
	ErrTooManyCodes = fmt.Errorf("pinsheet: more than %d codes", MaxCodes)
	ErrUnknownPaper = errors.New("pinsheet: unknown paper size")
	ErrEmptyCode    = errors.New("pinsheet: empty code")
)

// Render returns the PDF bytes. Errors on no codes, more than 50 codes, or an
// unknown paper size. A zero Created is replaced by the current time.
// Characters the embedded Go fonts cannot draw are printed as "?" (or dropped,
// for invisible ones such as emoji modifiers), never an error.
func Render(s Sheet) ([]byte, error) {
	switch {
	case len(s.Codes) == 0:
		return nil, ErrNoCodes
	case len(s.Codes) > MaxCodes:
		return nil, ErrTooManyCodes
	}
	size, err := pageSize(s.Paper)
	if err != nil {
		return nil, err
	}
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	c, err := prepare(s, fs)
	if err != nil {
		return nil, err
	}

	// First pass to count the pages, second to print "page n of N".
	pdf, err := draw(c, size, 0)
	if err != nil {
		return nil, err
	}
	if n := pdf.PageNo(); n > 1 {
		if pdf, err = draw(c, size, n); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("pinsheet: %w", err)
	}
	return buf.Bytes(), nil
}

func pageSize(p Paper) (string, error) {
	switch Paper(strings.ToLower(strings.TrimSpace(string(p)))) {
	case "", A4:
		return "A4", nil
	case Letter:
		return "Letter", nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownPaper, string(p))
}

// content is a Sheet cleaned up for printing.
type content struct {
	email, label, issuer string
	title, date          string
	codes                []string // grouped for display
	codeLen              int      // characters per code if all equal, else 0
	created              time.Time
}

func prepare(s Sheet, fs *fontSet) (*content, error) {
	text := func(v string) string { return fs.clean(v, fs.regular, fs.bold) }
	c := &content{
		email:   text(s.Email),
		label:   text(s.Label),
		issuer:  text(s.Issuer),
		created: s.Created,
	}
	if c.created.IsZero() {
		c.created = time.Now()
	}
	if c.issuer == "" {
		c.issuer = "Tessera"
	}
	c.title = c.issuer + " — PIN codes for two-factor login"
	c.date = c.created.Format("2 January 2006")
	for i, code := range s.Codes {
		raw := strings.Join(strings.Fields(fs.clean(code, fs.mono)), "")
		if raw == "" {
			return nil, fmt.Errorf("%w (number %d)", ErrEmptyCode, i+1)
		}
		n := len([]rune(raw))
		if i == 0 {
			c.codeLen = n
		} else if c.codeLen != n {
			c.codeLen = 0
		}
		c.codes = append(c.codes, group(raw))
	}
	return c, nil
}

// group splits a code into blocks of four characters: "ABCDEFGH" -> "ABCD EFGH".
func group(code string) string {
	var b strings.Builder
	for i, r := range []rune(code) {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func newPDF(c *content, size string) *gofpdf.Fpdf {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: size})
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(c.created)
	pdf.SetModificationDate(c.created)
	pdf.SetTitle(c.title, true)
	pdf.SetAuthor(c.issuer, true)
	pdf.SetCreator(c.issuer, true)
	pdf.SetSubject("Two-factor login PIN codes", true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	return pdf
}
