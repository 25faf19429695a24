package pinsheet

import "fmt"

// How to use the codes: the second half of the sheet.

type step struct{ title, body string }

func (d *drawer) steps() []step {
	chars := "characters"
	if d.c.codeLen > 0 {
		chars = fmt.Sprintf("%d characters", d.c.codeLen)
	}
	account := "your account"
	if d.c.email != "" {
		account = d.c.email
	}
	old := "the old entry"
	if d.c.label != "" {
		old = "the old entry “" + d.c.label + "”"
	}
	return []step{
		{
			"Use a code when your authenticator app is not at hand",
			"These codes let you complete the two-factor login to " + account + " without your phone. " +
				"When the login page asks for the 6-digit code from your authenticator app, enter one of these PIN codes instead. " +
				"The space in the middle is only there to make the code easier to read: type the " + chars + " with or without it, in capitals or not.",
		},
		{
			"Each code works only once",
			"A code stops working as soon as it has been used. Tick its box straight away, " +
				"so you always know which codes are left, and use the next one next time.",
		},
		{
			"Keep this sheet safe and private, like a key",
			"Anyone who has this sheet and knows your password can log in as you. " +
				"Keep it somewhere only you can reach, do not share it, do not photograph it, and do not keep it together with your password.",
		},
		{
			"Getting new codes",
			"When you are running low on codes, or if this sheet is lost, log in and open the settings page. " +
				"Under OTP Authentication, create a new OTP entry and print its PIN codes, then delete " + old + ". " +
				"Deleting it invalidates every code on this sheet.",
		},
	}
}

const headSize, titleSize, bodySize, indent = 12.5, 10.5, 9.5, 7.0

func (d *drawer) stepH(s step) float64 {
	bodyW := d.width - indent
	return d.paragraphH(bodyW, famSans, "B", titleSize, s.title) + 0.5 +
		d.paragraphH(bodyW, famSans, "", bodySize, s.body) + 3
}

// instructionsH is the height the instructions take on one page.
func (d *drawer) instructionsH() float64 {
	h := lineH(headSize) + 2
	for _, s := range d.steps() {
		h += d.stepH(s)
	}
	return h
}

func (d *drawer) instructions() {
	bodyW := d.width - indent
	steps := d.steps()
	stepH := d.stepH

	headH := lineH(headSize) + 2
	d.ensure(headH + stepH(steps[0]))
	d.gray(0)
	d.font(famSans, "B", headSize)
	d.text(d.left, d.y+baseline(headSize), "How to use these codes")
	d.y += headH

	for i, s := range steps {
		d.ensure(stepH(s))
		d.gray(0)
		d.font(famSans, "B", titleSize)
		d.text(d.left, d.y+baseline(titleSize), fmt.Sprintf("%d.", i+1))
		d.paragraph(d.left+indent, bodyW, famSans, "B", titleSize, s.title)
		d.y += 0.5
		d.pdf.SetTextColor(40, 40, 40)
		d.paragraph(d.left+indent, bodyW, famSans, "", bodySize, s.body)
		d.y += 3
	}
	d.gray(0)
}
