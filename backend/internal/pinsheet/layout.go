package pinsheet

import (
	"fmt"
	"math"
	"strings"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

// All lengths are in millimetres; font sizes in points.
const (
	pt = 25.4 / 72 // one point in mm

	sideMargin = 18.0 // left and right page margins
	vMargin    = 15.0 // top and bottom page margins; the footer sits in the bottom one

	gridColGap = 8.0  // between the two code columns
	gridRowGap = 3.0  // between code rows
	cellH      = 13.0 // height of one code cell
	// A grid that would push the instructions onto a second page is drawn tighter, down to
	// cells of minCellH with minRowGap between them (the codes shrink with their cells, to
	// 16 pt at the least), so that up to 20 codes and the instructions share one A4 page.
	minCellH  = 8.0
	minRowGap = 2.0
	tickBox   = 6.0  // side of the tick box
	numSlot   = 9.0  // width reserved for the code number
	codeMax   = 22.0 // preferred font size of a code
	codeMin   = 11.0

	textGray = 90  // secondary text
	lineGray = 160 // cell borders
)

type drawer struct {
	pdf   *gofpdf.Fpdf
	c     *content
	total int // pages, 0 while unknown

	cellH, rowGap float64 // of the code grid: cellH and gridRowGap unless it had to be tighter

	left, right, top, bottom float64
	width                    float64
	y                        float64
}

func draw(c *content, size string, total int) (*gofpdf.Fpdf, error) {
	pdf := newPDF(c, size)
	pdf.AddUTF8FontFromBytes(famSans, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(famSans, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(famMono, "", gomono.TTF)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pinsheet: fonts: %w", err)
	}
	w, h := pdf.GetPageSize()
	d := &drawer{
		pdf: pdf, c: c, total: total,
		left: sideMargin, right: w - sideMargin, top: vMargin, bottom: h - vMargin,
		width: w - 2*sideMargin, cellH: cellH, rowGap: gridRowGap,
	}
	pdf.SetFooterFunc(d.footer)

	pdf.AddPage()
	d.y = d.top
	d.header()
	d.account()
	d.codes()
	d.instructions()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pinsheet: %w", err)
	}
	return pdf, nil
}

// ---- text helpers ----

func (d *drawer) font(family, style string, size float64) { d.pdf.SetFont(family, style, size) }

func (d *drawer) gray(v int) { d.pdf.SetTextColor(v, v, v) }

func (d *drawer) text(x, baseline float64, s string) { d.pdf.Text(x, baseline, s) }

func (d *drawer) textRight(x, baseline float64, s string) {
	d.pdf.Text(x-d.pdf.GetStringWidth(s), baseline, s)
}

// line height for a font size, and where the baseline sits inside it.
func lineH(size float64) float64    { return size * pt * 1.32 }
func baseline(size float64) float64 { return size * pt * 1.0 }

// fitSize returns the largest size in [min, max] (half-point steps) at which s
// fits in w with the given font, or min.
func (d *drawer) fitSize(family, style, s string, max, min, w float64) float64 {
	for size := max; size > min; size -= 0.5 {
		d.font(family, style, size)
		if d.pdf.GetStringWidth(s) <= w {
			return size
		}
	}
	d.font(family, style, min)
	return min
}

// wrap breaks s into lines no wider than w in the current font. Words longer
// than a line (an e-mail address, say) are broken between characters.
func (d *drawer) wrap(s string, w float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if d.pdf.GetStringWidth(try) <= w {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
			cur = ""
		}
		for d.pdf.GetStringWidth(word) > w {
			rs := []rune(word)
			n := 1
			for n < len(rs) && d.pdf.GetStringWidth(string(rs[:n+1])) <= w {
				n++
			}
			// Prefer to break an address after a separator, if that does
			// not waste more than half the line.
			for k := n; k > n/2; k-- {
				if strings.ContainsRune(".@-_+/", rs[k-1]) {
					n = k
					break
				}
			}
			lines = append(lines, string(rs[:n]))
			word = string(rs[n:])
		}
		cur = word
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// truncate shortens s with an ellipsis until it fits in w in the current font.
func (d *drawer) truncate(s string, w float64) string {
	if d.pdf.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && d.pdf.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// paragraph prints wrapped lines from d.y at x and advances d.y.
func (d *drawer) paragraph(x, w float64, family, style string, size float64, s string) {
	d.font(family, style, size)
	for _, l := range d.wrap(s, w) {
		d.text(x, d.y+baseline(size), l)
		d.y += lineH(size)
	}
}

func (d *drawer) paragraphH(w float64, family, style string, size float64, s string) float64 {
	d.font(family, style, size)
	return float64(len(d.wrap(s, w))) * lineH(size)
}

// ensure starts a new page unless h more millimetres fit on this one.
func (d *drawer) ensure(h float64) {
	if d.y+h <= d.bottom {
		return
	}
	d.pdf.AddPage()
	d.y = d.top
	d.continued()
}

func (d *drawer) rule(weight float64, v int) {
	d.pdf.SetDrawColor(v, v, v)
	d.pdf.SetLineWidth(weight)
	d.pdf.Line(d.left, d.y, d.right, d.y)
}

// ---- page parts ----

func (d *drawer) header() {
	d.gray(0)
	d.paragraph(d.left, d.width, famSans, "B", 18, d.c.title)
	d.y += 2.5
	d.rule(0.6, 0)
	d.y += 6
}

func (d *drawer) continued() {
	d.gray(0)
	d.paragraph(d.left, d.width, famSans, "B", 11, d.c.title)
	d.gray(textGray)
	d.paragraph(d.left, d.width, famSans, "", 9, d.c.email+" (continued)")
	d.y += 2
	d.rule(0.4, 0)
	d.y += 6
	d.gray(0)
}

func (d *drawer) footer() {
	if d.total < 2 {
		return
	}
	y := d.bottom + vMargin/2 + 1
	d.font(famSans, "", 8)
	d.gray(textGray)
	page := fmt.Sprintf("Page %d of %d", d.pdf.PageNo(), d.total)
	d.textRight(d.right, y, page)
	d.text(d.left, y, d.truncate(d.c.issuer+" PIN codes · "+d.c.email, d.width-d.pdf.GetStringWidth(page)-8))
	d.gray(0)
}

// account draws the box with the e-mail address, the OTP entry label and the date.
func (d *drawer) account() {
	const pad = 5.0
	const capSize, emailMax, emailMin, valSize = 7.5, 17.0, 11.0, 11.0
	inner := d.width - 2*pad
	labelW := inner * 0.66

	email := d.c.email
	if email == "" {
		email = "—"
	}
	emailSize := d.fitSize(famSans, "B", email, emailMax, emailMin, inner)
	emailH := d.paragraphH(inner, famSans, "B", emailSize, email)
	label := d.c.label
	if label == "" {
		label = "—"
	}
	labelH := d.paragraphH(labelW, famSans, "", valSize, label)
	capH := lineH(capSize) + 0.5
	h := pad + capH + emailH + 3 + capH + math.Max(labelH, lineH(valSize)) + pad - 1

	d.pdf.SetDrawColor(lineGray, lineGray, lineGray)
	d.pdf.SetFillColor(244, 244, 244)
	d.pdf.SetLineWidth(0.3)
	d.pdf.RoundedRect(d.left, d.y, d.width, h, 2, "1234", "FD")

	x := d.left + pad
	d.y += pad
	d.caption(x, "ACCOUNT", capSize)
	d.y += capH
	d.gray(0)
	d.paragraph(x, inner, famSans, "B", emailSize, email)
	d.y += 3
	d.caption(x, "OTP ENTRY", capSize)
	d.caption(x+labelW+6, "CREATED", capSize)
	d.y += capH
	d.gray(0)
	top := d.y
	d.font(famSans, "", valSize)
	d.text(x+labelW+6, top+baseline(valSize), d.c.date)
	d.paragraph(x, labelW, famSans, "", valSize, label)
	d.y = top + math.Max(labelH, lineH(valSize)) + pad - 1 + 7
}

func (d *drawer) caption(x float64, s string, size float64) {
	d.font(famSans, "B", size)
	d.gray(textGray)
	d.text(x, d.y+baseline(size), s)
	d.gray(0)
}

// codes draws the grid: two columns, numbered top to bottom, left column first
// on each page.
func (d *drawer) codes() {
	codes := d.c.codes
	cellW := (d.width - gridColGap) / 2
	codeW := cellW - numSlot - 4 - tickBox - 8
	longest := ""
	for _, c := range codes {
		if len([]rune(c)) > len([]rune(longest)) {
			longest = c
		}
	}
	heading := "Your PIN codes"
	if len(codes) == 1 {
		heading = "Your PIN code"
	} else {
		heading = fmt.Sprintf("Your %d PIN codes", len(codes))
	}
	headH := lineH(12.5) + 2.5
	d.fitGrid(headH, (len(codes)+1)/2)
	// A code's capitals take at most half its cell's height: 22 pt in a full-size cell.
	codeSize := d.fitSize(famMono, "", longest, min(codeMax, d.cellH/2/(0.7*pt)), codeMin, codeW)
	rowH := d.cellH + d.rowGap
	d.ensure(headH + rowH)
	d.font(famSans, "B", 12.5)
	d.text(d.left, d.y+baseline(12.5), heading)
	d.font(famSans, "", 9)
	d.gray(textGray)
	d.textRight(d.right, d.y+baseline(12.5), "Tick a box as soon as you have used its code")
	d.gray(0)
	d.y += headH

	done := 0
	for done < len(codes) {
		d.ensure(rowH)
		rows := int((d.bottom - d.y + d.rowGap) / rowH)
		n := len(codes) - done
		if n > 2*rows {
			n = 2 * rows
		}
		perCol := (n + 1) / 2
		for i := 0; i < n; i++ {
			col, row := i/perCol, i%perCol
			x := d.left + float64(col)*(cellW+gridColGap)
			y := d.y + float64(row)*rowH
			d.cell(x, y, cellW, done+i+1, codes[done+i], codeSize)
		}
		d.y += float64(perCol)*rowH - d.rowGap
		done += n
		if done < len(codes) {
			d.y = d.bottom + 1 // force a new page
		}
	}
	d.y += gridAfter
}

// gridAfter is the space between the code grid and the instructions.
const gridAfter = 9.0

// fitGrid tightens the grid's rows when that keeps the grid and all the instructions on the
// current page; when even the tightest rows would not, the grid keeps its size and flows on.
func (d *drawer) fitGrid(headH float64, rows int) {
	room := d.bottom - d.y - headH - gridAfter - d.instructionsH() - 1 // 1 mm for rounding
	if float64(rows)*(cellH+gridRowGap)-gridRowGap <= room {
		return
	}
	rowH := (room + minRowGap) / float64(rows)
	if rowH < minCellH+minRowGap {
		return
	}
	d.cellH = min(cellH, rowH-minRowGap)
	d.rowGap = minRowGap
}

func (d *drawer) cell(x, y, w float64, num int, code string, size float64) {
	d.pdf.SetDrawColor(lineGray, lineGray, lineGray)
	d.pdf.SetLineWidth(0.3)
	d.pdf.RoundedRect(x, y, w, d.cellH, 1.5, "1234", "D")

	// Baseline that centres capital letters (cap height ≈ 0.7 em) vertically.
	base := y + d.cellH/2 + 0.7*size*pt/2

	d.font(famSans, "", 10)
	d.gray(textGray)
	d.textRight(x+numSlot, base, fmt.Sprintf("%d", num))

	d.font(famMono, "", size)
	d.gray(0)
	d.text(x+numSlot+4, base, code)

	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.4)
	d.pdf.Rect(x+w-5-tickBox, y+(d.cellH-tickBox)/2, tickBox, tickBox, "D")
}
