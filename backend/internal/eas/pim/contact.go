package pim

import (
	"encoding/base64"
	"errors"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// maxPicture is the longest Contacts:Picture text devices accept: MS-ASCNTC
// limits the base64 string to 48 KB, and longer pictures are left out.
const maxPicture = 48 * 1024

// contactText lists the string properties with their elements, in the order
// Encode writes them, so Encode and Decode cannot drift apart.
var contactText = []struct {
	name string
	get  func(*Contact) *string
}{
	{"Contacts:FileAs", func(c *Contact) *string { return &c.FileAs }},
	{"Contacts:FirstName", func(c *Contact) *string { return &c.FirstName }},
	{"Contacts:MiddleName", func(c *Contact) *string { return &c.MiddleName }},
	{"Contacts:LastName", func(c *Contact) *string { return &c.LastName }},
	{"Contacts:Title", func(c *Contact) *string { return &c.Title }},
	{"Contacts:Suffix", func(c *Contact) *string { return &c.Suffix }},
	{"Contacts:YomiFirstName", func(c *Contact) *string { return &c.YomiFirstName }},
	{"Contacts:YomiLastName", func(c *Contact) *string { return &c.YomiLastName }},
	{"Contacts:YomiCompanyName", func(c *Contact) *string { return &c.YomiCompanyName }},
	{"Contacts:CompanyName", func(c *Contact) *string { return &c.CompanyName }},
	{"Contacts:Department", func(c *Contact) *string { return &c.Department }},
	{"Contacts:JobTitle", func(c *Contact) *string { return &c.JobTitle }},
	{"Contacts:OfficeLocation", func(c *Contact) *string { return &c.OfficeLocation }},
	{"Contacts:AssistantName", func(c *Contact) *string { return &c.AssistantName }},
	{"Contacts:Email1Address", func(c *Contact) *string { return &c.Email1 }},
	{"Contacts:Email2Address", func(c *Contact) *string { return &c.Email2 }},
	{"Contacts:Email3Address", func(c *Contact) *string { return &c.Email3 }},
	{"Contacts:WebPage", func(c *Contact) *string { return &c.WebPage }},
	{"Contacts:MobilePhoneNumber", func(c *Contact) *string { return &c.MobilePhone }},
	{"Contacts:HomePhoneNumber", func(c *Contact) *string { return &c.HomePhone }},
	{"Contacts:Home2PhoneNumber", func(c *Contact) *string { return &c.Home2Phone }},
	{"Contacts:BusinessPhoneNumber", func(c *Contact) *string { return &c.BusinessPhone }},
	{"Contacts:Business2PhoneNumber", func(c *Contact) *string { return &c.Business2Phone }},
	{"Contacts:BusinessFaxNumber", func(c *Contact) *string { return &c.BusinessFax }},
	{"Contacts:HomeFaxNumber", func(c *Contact) *string { return &c.HomeFax }},
	{"Contacts:PagerNumber", func(c *Contact) *string { return &c.Pager }},
	{"Contacts:CarPhoneNumber", func(c *Contact) *string { return &c.CarPhone }},
	{"Contacts:RadioPhoneNumber", func(c *Contact) *string { return &c.RadioPhone }},
	{"Contacts:AssistantPhoneNumber", func(c *Contact) *string { return &c.AssistantPhone }},
	{"Contacts:HomeAddressStreet", func(c *Contact) *string { return &c.Home.Street }},
	{"Contacts:HomeAddressCity", func(c *Contact) *string { return &c.Home.City }},
	{"Contacts:HomeAddressState", func(c *Contact) *string { return &c.Home.State }},
	{"Contacts:HomeAddressPostalCode", func(c *Contact) *string { return &c.Home.PostalCode }},
	{"Contacts:HomeAddressCountry", func(c *Contact) *string { return &c.Home.Country }},
	{"Contacts:BusinessAddressStreet", func(c *Contact) *string { return &c.Business.Street }},
	{"Contacts:BusinessAddressCity", func(c *Contact) *string { return &c.Business.City }},
	{"Contacts:BusinessAddressState", func(c *Contact) *string { return &c.Business.State }},
	{"Contacts:BusinessAddressPostalCode", func(c *Contact) *string { return &c.Business.PostalCode }},
	{"Contacts:BusinessAddressCountry", func(c *Contact) *string { return &c.Business.Country }},
	{"Contacts:OtherAddressStreet", func(c *Contact) *string { return &c.Other.Street }},
	{"Contacts:OtherAddressCity", func(c *Contact) *string { return &c.Other.City }},
	{"Contacts:OtherAddressState", func(c *Contact) *string { return &c.Other.State }},
	{"Contacts:OtherAddressPostalCode", func(c *Contact) *string { return &c.Other.PostalCode }},
	{"Contacts:OtherAddressCountry", func(c *Contact) *string { return &c.Other.Country }},
	{"Contacts:Spouse", func(c *Contact) *string { return &c.Spouse }},
	{"Contacts2:NickName", func(c *Contact) *string { return &c.NickName }},
	{"Contacts2:ManagerName", func(c *Contact) *string { return &c.ManagerName }},
	{"Contacts2:IMAddress", func(c *Contact) *string { return &c.IMAddress }},
	{"Contacts2:IMAddress2", func(c *Contact) *string { return &c.IMAddress2 }},
	{"Contacts2:IMAddress3", func(c *Contact) *string { return &c.IMAddress3 }},
	{"Contacts2:CompanyMainPhone", func(c *Contact) *string { return &c.CompanyMainPhone }},
	{"Contacts2:MMS", func(c *Contact) *string { return &c.MMS }},
	{"Contacts2:CustomerId", func(c *Contact) *string { return &c.CustomerID }},
	{"Contacts2:GovernmentId", func(c *Contact) *string { return &c.GovernmentID }},
	{"Contacts2:AccountName", func(c *Contact) *string { return &c.AccountName }},
}

var contactIndex = func() map[string]int {
	m := make(map[string]int, len(contactText))
	for i, f := range contactText {
		m[f.name] = i
	}
	return m
}()

// EncodeContact builds the ApplicationData children for c. The contact
// class is the same in every version this server speaks (12.1 to 16.1).
func EncodeContact(c *Contact, version string, bodyTruncation int64) []*wbxml.Node {
	var o out
	for _, f := range contactText {
		o.text(f.name, *f.get(c))
	}
	o.dateTime("Contacts:Birthday", c.Birthday)
	o.dateTime("Contacts:Anniversary", c.Anniversary)
	o.list("Contacts:Children", "Child", c.Children)
	o.list("Contacts:Categories", "Category", c.Categories)
	if pic := base64.StdEncoding.EncodeToString(c.Picture); pic != "" && len(pic) <= maxPicture {
		o.always("Contacts:Picture", pic)
	}
	o.node(encodeBody(c.Body, bodyTruncation))
	return o
}

// DecodeContact reads a contact a device sent. An empty Picture element is
// Android's way to remove the photo and leaves Picture nil.
func DecodeContact(ad *wbxml.Node) (*Contact, error) {
	if ad == nil {
		return nil, errors.New("pim: no ApplicationData")
	}
	c := &Contact{}
	var r reader
	for _, n := range ad.Children {
		if i, ok := contactIndex[n.Name]; ok {
			*contactText[i].get(c) = n.Value()
			continue
		}
		switch n.Name {
		case "Contacts:Birthday":
			c.Birthday = r.datePtr(n)
		case "Contacts:Anniversary":
			c.Anniversary = r.datePtr(n)
		case "Contacts:Children":
			c.Children = nonEmpty(list(n, "Child"))
		case "Contacts:Categories":
			c.Categories = nonEmpty(list(n, "Category"))
		case "Contacts:Picture":
			c.Picture = r.picture(n)
		case "AirSyncBase:Body":
			c.Body = decodeBody(n)
		case "Contacts:Body": // EAS 2.5 form, still sent by some old clients
			c.Body = n.Value()
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

func (r *reader) picture(n *wbxml.Node) []byte {
	if n.Opaque != nil {
		return nonEmptyBytes(n.Opaque)
	}
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(n.Text), ""))
	if err != nil {
		r.fail(n, "base64", err)
	}
	return nonEmptyBytes(b)
}

func nonEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nonEmptyBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
