package pim

import (
	"strings"
	"time"
)

// Contact is an item of a Contacts folder (MS-ASCNTC). Email addresses are
// kept as the device sent them: Android writes `"Name" <addr>`, iOS a bare
// address, and both read either back.
type Contact struct {
	FileAs          string `json:"fileAs,omitempty"`
	FirstName       string `json:"firstName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	LastName        string `json:"lastName,omitempty"`
	Title           string `json:"title,omitempty"`
	Suffix          string `json:"suffix,omitempty"`
	NickName        string `json:"nickName,omitempty"`
	YomiFirstName   string `json:"yomiFirstName,omitempty"`
	YomiLastName    string `json:"yomiLastName,omitempty"`
	YomiCompanyName string `json:"yomiCompanyName,omitempty"`

	CompanyName    string `json:"companyName,omitempty"`
	Department     string `json:"department,omitempty"`
	JobTitle       string `json:"jobTitle,omitempty"`
	OfficeLocation string `json:"officeLocation,omitempty"`
	ManagerName    string `json:"managerName,omitempty"`
	AssistantName  string `json:"assistantName,omitempty"`

	Email1     string `json:"email1,omitempty"`
	Email2     string `json:"email2,omitempty"`
	Email3     string `json:"email3,omitempty"`
	IMAddress  string `json:"imAddress,omitempty"`
	IMAddress2 string `json:"imAddress2,omitempty"`
	IMAddress3 string `json:"imAddress3,omitempty"`
	WebPage    string `json:"webPage,omitempty"`

	MobilePhone      string `json:"mobilePhone,omitempty"`
	HomePhone        string `json:"homePhone,omitempty"`
	Home2Phone       string `json:"home2Phone,omitempty"`
	BusinessPhone    string `json:"businessPhone,omitempty"`
	Business2Phone   string `json:"business2Phone,omitempty"`
	CompanyMainPhone string `json:"companyMainPhone,omitempty"`
	BusinessFax      string `json:"businessFax,omitempty"`
	HomeFax          string `json:"homeFax,omitempty"`
	Pager            string `json:"pager,omitempty"`
	CarPhone         string `json:"carPhone,omitempty"`
	RadioPhone       string `json:"radioPhone,omitempty"`
	AssistantPhone   string `json:"assistantPhone,omitempty"`
	MMS              string `json:"mms,omitempty"`

	Home     Address `json:"home,omitzero"`
	Business Address `json:"business,omitzero"`
	Other    Address `json:"other,omitzero"`

	// Birthday and Anniversary are instants as the device sent them. Many
	// devices send the user's local midnight, so east of Greenwich the UTC
	// date is the day before: read the date in the user's zone.
	Birthday    *time.Time `json:"birthday,omitempty"`
	Anniversary *time.Time `json:"anniversary,omitempty"`

	Spouse       string   `json:"spouse,omitempty"`
	Children     []string `json:"children,omitempty"`
	Categories   []string `json:"categories,omitempty"`
	CustomerID   string   `json:"customerId,omitempty"`
	GovernmentID string   `json:"governmentId,omitempty"`
	AccountName  string   `json:"accountName,omitempty"`
	Picture      []byte   `json:"picture,omitempty"` // image bytes; base64 on the wire
	Body         string   `json:"body,omitempty"`
}

// Address is one of a contact's postal addresses.
type Address struct {
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Summary is the contact's display name: FileAs, else the names, else the
// company, else the first address.
func (c *Contact) Summary() string {
	if c.FileAs != "" {
		return c.FileAs
	}
	if name := strings.Join(strings.Fields(c.FirstName+" "+c.MiddleName+" "+c.LastName), " "); name != "" {
		return name
	}
	if c.CompanyName != "" {
		return c.CompanyName
	}
	return c.Email1
}
