package dav

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-vcard"

	"github.com/tessera-mail/tessera/backend/internal/pim"
)

// vCard 3.0/4.0 ↔ Contact. EAS has fixed slots (three addresses of mail, a phone per kind,
// home/work/other postal addresses); a vCard's values go to the first free slot of their
// kind and what finds no slot stays in the raw text. Photos larger than EAS carries
// (maxPhoto) stay in the raw text only.

const maxPhoto = 36 << 10 // 48 KB of base64, the most MS-ASCNTC lets a device take

// phoneSlots lists the TEL slots by the TYPEs that pick them, most specific first.
func phoneSlots(c *pim.Contact) []struct {
	types []string
	dst   *string
} {
	return []struct {
		types []string
		dst   *string
	}{
		{[]string{"fax", "home"}, &c.HomeFax},
		{[]string{"fax"}, &c.BusinessFax},
		{[]string{"pager"}, &c.Pager},
		{[]string{"car"}, &c.CarPhone},
		{[]string{"x-radio"}, &c.RadioPhone},
		{[]string{"x-assistant"}, &c.AssistantPhone},
		{[]string{"x-mms"}, &c.MMS},
		{[]string{"x-company"}, &c.CompanyMainPhone},
		{[]string{"cell"}, &c.MobilePhone},
		{[]string{"home"}, &c.HomePhone},
		{[]string{"home"}, &c.Home2Phone},
		{[]string{"work"}, &c.BusinessPhone},
		{[]string{"work"}, &c.Business2Phone},
		{nil, &c.MobilePhone},
		{nil, &c.HomePhone},
		{nil, &c.BusinessPhone},
		{nil, &c.Home2Phone},
		{nil, &c.Business2Phone},
	}
}

func hasTypes(p vcard.Params, types []string) bool {
	for _, t := range types {
		if !p.HasType(t) {
			return false
		}
	}
	return true
}

// contactFromVCard maps a card; the UID is returned apart (the model has none).
func contactFromVCard(card vcard.Card) (*pim.Contact, string, error) {
	if card == nil || card.Value(vcard.FieldVersion) == "" {
		return nil, "", errors.New("vCard without VERSION")
	}
	if v := card.Value(vcard.FieldVersion); v != "3.0" && v != "4.0" {
		return nil, "", fmt.Errorf("vCard version %q (3.0 and 4.0 are understood)", v)
	}
	c := &pim.Contact{}
	if n := card.Name(); n != nil {
		c.LastName, c.FirstName, c.MiddleName, c.Title, c.Suffix = n.FamilyName, n.GivenName, n.AdditionalName, n.HonorificPrefix, n.HonorificSuffix
	}
	c.FileAs = card.Value(vcard.FieldFormattedName)
	c.NickName = card.Value(vcard.FieldNickname)
	if org := card.Get(vcard.FieldOrganization); org != nil {
		parts := strings.SplitN(org.Value, ";", 3)
		c.CompanyName = parts[0]
		if len(parts) > 1 {
			c.Department = parts[1]
		}
	}
	c.JobTitle = card.Value(vcard.FieldTitle)
	emails := []*string{&c.Email1, &c.Email2, &c.Email3}
	for i, e := range card.Values(vcard.FieldEmail) {
		if i < len(emails) {
			*emails[i] = strings.TrimSpace(e)
		}
	}
	ims := []*string{&c.IMAddress, &c.IMAddress2, &c.IMAddress3}
	for i, e := range card.Values(vcard.FieldIMPP) {
		if i < len(ims) {
			*ims[i] = strings.TrimSpace(e)
		}
	}
	slots := phoneSlots(c)
	for _, f := range card[vcard.FieldTelephone] {
		for _, s := range slots {
			if *s.dst == "" && hasTypes(f.Params, s.types) {
				*s.dst = strings.TrimPrefix(strings.TrimSpace(f.Value), "tel:")
				break
			}
		}
	}
	for _, a := range card.Addresses() {
		dst := &c.Other
		switch {
		case a.Params.HasType("home") && c.Home == (pim.Address{}):
			dst = &c.Home
		case a.Params.HasType("work") && c.Business == (pim.Address{}):
			dst = &c.Business
		case c.Home == (pim.Address{}) && !a.Params.HasType("work"):
			dst = &c.Home
		}
		if *dst != (pim.Address{}) {
			continue
		}
		street := strings.TrimSpace(strings.Join(nonEmptyStrings(a.StreetAddress, a.ExtendedAddress, a.PostOfficeBox), "\n"))
		*dst = pim.Address{Street: street, City: a.Locality, State: a.Region, PostalCode: a.PostalCode, Country: a.Country}
	}
	var err error
	if c.Birthday, err = cardDate(card.Value(vcard.FieldBirthday)); err != nil {
		return nil, "", fmt.Errorf("BDAY: %v", err)
	}
	ann := card.Value(vcard.FieldAnniversary)
	if ann == "" {
		ann = card.Value("X-ANNIVERSARY")
	}
	if c.Anniversary, err = cardDate(ann); err != nil {
		return nil, "", fmt.Errorf("ANNIVERSARY: %v", err)
	}
	c.Body = strings.Join(card.Values(vcard.FieldNote), "\n")
	c.WebPage = card.Value(vcard.FieldURL)
	for _, v := range card.Values(vcard.FieldCategories) {
		for _, cat := range strings.Split(v, ",") {
			if cat = strings.TrimSpace(cat); cat != "" {
				c.Categories = append(c.Categories, cat)
			}
		}
	}
	c.Spouse = card.Value("X-SPOUSE")
	c.ManagerName = card.Value("X-MANAGER")
	c.AssistantName = card.Value("X-ASSISTANT")
	c.Children = card.Values("X-CHILD")
	if p := card.Get(vcard.FieldPhoto); p != nil {
		if b, ok := photoBytes(p); ok && len(b) <= maxPhoto {
			c.Picture = b
		}
	}
	return c, card.Value(vcard.FieldUID), nil
}

func nonEmptyStrings(s ...string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// cardDate reads a BDAY/ANNIVERSARY: 1980-05-03, 19800503, or a date-time; a date without a
// year (--0503) cannot be carried and reads as none.
func cardDate(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "--") {
		return nil, nil
	}
	if i := strings.IndexByte(s, 'T'); i > 0 {
		s = s[:i]
	}
	for _, layout := range []string{"2006-01-02", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("bad date %q", s)
}

// photoBytes reads a PHOTO: 3.0's ENCODING=b, or 4.0's data: URI. A URL is not fetched.
func photoBytes(f *vcard.Field) ([]byte, bool) {
	v := strings.TrimSpace(f.Value)
	if strings.HasPrefix(v, "data:") {
		_, data, ok := strings.Cut(v, ",")
		if !ok {
			return nil, false
		}
		v = data
	} else if !strings.EqualFold(f.Params.Get("ENCODING"), "b") && !strings.EqualFold(f.Params.Get("ENCODING"), "BASE64") {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
	return b, err == nil
}

// plainAddress turns Android's `"Name" <addr>` into addr.
func plainAddress(s string) string {
	if strings.Contains(s, "<") {
		if a, err := mail.ParseAddress(s); err == nil {
			return a.Address
		}
	}
	return s
}

// contactToVCard builds a card of version ("3.0" or "4.0").
func contactToVCard(c *pim.Contact, uid, version string) vcard.Card {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, version)
	card.SetValue(vcard.FieldUID, uid)
	fn := c.FileAs
	if fn == "" {
		fn = c.Summary()
	}
	if fn == "" {
		fn = "?"
	}
	card.SetValue(vcard.FieldFormattedName, fn)
	card.SetName(&vcard.Name{FamilyName: c.LastName, GivenName: c.FirstName, AdditionalName: c.MiddleName,
		HonorificPrefix: c.Title, HonorificSuffix: c.Suffix})
	add := func(k, v string, types ...string) {
		if v == "" {
			return
		}
		f := &vcard.Field{Value: v, Params: vcard.Params{}}
		for _, t := range types {
			f.Params.Add(vcard.ParamType, t)
		}
		card.Add(k, f)
	}
	add(vcard.FieldNickname, c.NickName)
	if c.CompanyName != "" || c.Department != "" {
		add(vcard.FieldOrganization, strings.TrimSuffix(c.CompanyName+";"+c.Department, ";"))
	}
	add(vcard.FieldTitle, c.JobTitle)
	for _, e := range []string{c.Email1, c.Email2, c.Email3} {
		add(vcard.FieldEmail, plainAddress(e), "internet")
	}
	for _, im := range []string{c.IMAddress, c.IMAddress2, c.IMAddress3} {
		add(vcard.FieldIMPP, im)
	}
	done := map[*string]bool{}
	for _, s := range phoneSlots(c) {
		if s.types != nil && !done[s.dst] {
			done[s.dst] = true
			types := append([]string{}, s.types...)
			if len(types) == 1 && !strings.HasPrefix(types[0], "x-") && types[0] != "fax" && types[0] != "pager" {
				types = append(types, "voice")
			}
			if types[0] == "fax" && len(types) == 1 {
				types = append(types, "work")
			}
			add(vcard.FieldTelephone, *s.dst, types...)
		}
	}
	for _, a := range []struct {
		typ string
		adr pim.Address
	}{{"home", c.Home}, {"work", c.Business}, {"other", c.Other}} {
		if a.adr == (pim.Address{}) {
			continue
		}
		f := &vcard.Field{Params: vcard.Params{}}
		f.Params.Add(vcard.ParamType, a.typ)
		card.AddAddress(&vcard.Address{Field: f, StreetAddress: a.adr.Street, Locality: a.adr.City, Region: a.adr.State,
			PostalCode: a.adr.PostalCode, Country: a.adr.Country})
	}
	if c.Birthday != nil {
		add(vcard.FieldBirthday, dayOf(*c.Birthday))
	}
	if c.Anniversary != nil {
		if version == "4.0" {
			add(vcard.FieldAnniversary, dayOf(*c.Anniversary))
		} else {
			add("X-ANNIVERSARY", dayOf(*c.Anniversary))
		}
	}
	add(vcard.FieldNote, strings.ReplaceAll(c.Body, "\r\n", "\n"))
	add(vcard.FieldURL, c.WebPage)
	for _, cat := range c.Categories { // one field each: go-vcard would escape the commas of a list
		add(vcard.FieldCategories, cat)
	}
	add("X-SPOUSE", c.Spouse)
	add("X-MANAGER", c.ManagerName)
	add("X-ASSISTANT", c.AssistantName)
	for _, ch := range c.Children {
		add("X-CHILD", ch)
	}
	if len(c.Picture) > 0 {
		enc := base64.StdEncoding.EncodeToString(c.Picture)
		if version == "4.0" {
			add(vcard.FieldPhoto, "data:image/jpeg;base64,"+enc)
		} else {
			f := &vcard.Field{Value: enc, Params: vcard.Params{}}
			f.Params.Set("ENCODING", "b")
			f.Params.Set(vcard.ParamType, "JPEG")
			card.Add(vcard.FieldPhoto, f)
		}
	}
	return card
}

// dayOf is the calendar day of a birthday. Devices send the user's local midnight, so east
// of Greenwich the instant is the evening before in UTC: the nearest midnight is the day.
func dayOf(t time.Time) string {
	return t.UTC().Add(12 * time.Hour).Truncate(24 * time.Hour).Format("2006-01-02")
}
