package autodiscover

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
)

// The response schemas a POX request may ask for, and the envelope's own namespace.
const (
	nsResponse    = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
	SchemaMobile  = "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006"
	SchemaOutlook = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
)

// MaxRequest bounds a POX request body: a real one is a few hundred bytes.
const MaxRequest = 16 << 10

// ErrMalformed is a body that is not an Autodiscover request.
var ErrMalformed = errors.New("autodiscover: malformed request")

// Request is a POX request: the address to configure and the schema the client reads.
type Request struct {
	Email  string
	Schema string
}

type poxRequest struct {
	XMLName xml.Name `xml:"Autodiscover"`
	Request struct {
		EMailAddress             string `xml:"EMailAddress"`
		AcceptableResponseSchema string `xml:"AcceptableResponseSchema"`
	} `xml:"Request"`
}

// ParseRequest decodes a POX request body. Elements match by local name: clients disagree on
// the request namespace. The address is returned as sent (trimmed); its checks are the
// handler's. Any error is ErrMalformed.
func ParseRequest(body []byte) (Request, error) {
	if len(body) > MaxRequest {
		return Request{}, ErrMalformed
	}
	var p poxRequest
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	if err := d.Decode(&p); err != nil {
		return Request{}, ErrMalformed
	}
	r := Request{Email: strings.TrimSpace(p.Request.EMailAddress), Schema: strings.TrimSpace(p.Request.AcceptableResponseSchema)}
	if r.Email == "" || len(r.Email) > 320 || r.Schema == "" {
		return Request{}, ErrMalformed
	}
	return r, nil
}

// poxError is the envelope's error (ErrorCode 600 invalid request, 601 schema not served,
// 500 address not found), inside a Response of the asked schema or of the envelope's own.
type poxError struct {
	Time      string `xml:"Time,attr"`
	ID        string `xml:"Id,attr"`
	ErrorCode int    `xml:"ErrorCode"`
	Message   string `xml:"Message"`
	DebugData string `xml:"DebugData"`
}

type envelope struct {
	XMLName  xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006 Autodiscover"`
	Response any
}

type plainResponse struct {
	XMLName xml.Name `xml:"Response"`
	Error   *poxError
}

type mobileResponse struct {
	XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006 Response"`
	Culture string   `xml:"Culture,omitempty"`
	User    *user    `xml:"User,omitempty"`
	Action  *mobileAction
	Error   *poxError
}

type user struct {
	DisplayName  string `xml:"DisplayName,omitempty"`
	EMailAddress string `xml:"EMailAddress"`
}

type mobileAction struct {
	XMLName  xml.Name `xml:"Action"`
	Settings *struct {
		Server []mobileServer `xml:"Server"`
	} `xml:"Settings,omitempty"`
	Error *actionError `xml:"Error,omitempty"`
}

type mobileServer struct {
	Type string `xml:"Type"`
	URL  string `xml:"Url"`
	Name string `xml:"Name"`
}

type actionError struct {
	Status    int    `xml:"Status"`
	Message   string `xml:"Message"`
	DebugData string `xml:"DebugData"`
}

type outlookResponse struct {
	XMLName xml.Name `xml:"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a Response"`
	User    *user    `xml:"User,omitempty"`
	Account *outlookAccount
	Error   *poxError
}

type outlookAccount struct {
	XMLName     xml.Name          `xml:"Account"`
	AccountType string            `xml:"AccountType"`
	Act         string            `xml:"Action"` // not "Action": the SPA's audit-kind scan reads Action: "…" as an audit kind
	Protocol    []outlookProtocol `xml:"Protocol"`
}

type outlookProtocol struct {
	Type           string `xml:"Type"`
	Server         string `xml:"Server"`
	Port           int    `xml:"Port"`
	LoginName      string `xml:"LoginName"`
	DomainRequired string `xml:"DomainRequired"`
	SPA            string `xml:"SPA"`
	SSL            string `xml:"SSL"`
	Encryption     string `xml:"Encryption"`
	AuthRequired   string `xml:"AuthRequired"`
}

// MobileAnswer is the mobilesync answer: the EAS URL, for email.
func MobileAnswer(email, easURL string) []byte {
	a := &mobileAction{Settings: &struct {
		Server []mobileServer `xml:"Server"`
	}{Server: []mobileServer{{Type: "MobileSync", URL: easURL, Name: easURL}}}}
	return encode(mobileResponse{Culture: "en:us", User: &user{DisplayName: email, EMailAddress: email}, Action: a})
}

// OutlookAnswer is the outlook 2006a answer: one Protocol block per mail door, implicit TLS
// first as the doors come, the address as login name (SPA off: the password goes in clear
// over TLS).
func OutlookAnswer(email string, s Settings) []byte {
	acct := &outlookAccount{AccountType: "email", Act: "settings"}
	for _, d := range s.Doors {
		typ := map[string]string{IMAP: "IMAP", POP3: "POP3", SMTP: "SMTP"}[d.Protocol]
		if typ == "" {
			continue
		}
		enc := "TLS" // STARTTLS, in this schema's words
		if d.Security == TLS {
			enc = "SSL"
		}
		acct.Protocol = append(acct.Protocol, outlookProtocol{Type: typ, Server: d.Host, Port: d.Port, LoginName: email,
			DomainRequired: "off", SPA: "off", SSL: "on", Encryption: enc, AuthRequired: "on"})
	}
	return encode(outlookResponse{User: &user{DisplayName: email, EMailAddress: email}, Account: acct})
}

// NotFoundAnswer is the asked schema's answer for an address it cannot configure (another
// account's, to an authenticated client): the same whatever that address is.
func NotFoundAnswer(schema, email string) []byte {
	if schema == SchemaMobile {
		return encode(mobileResponse{Culture: "en:us", User: &user{EMailAddress: email},
			Action: &mobileAction{Error: &actionError{Status: 2, Message: "The email address cannot be found.", DebugData: "MailUser"}}})
	}
	return encode(outlookResponse{Error: newError(500, "The email address cannot be found.")})
}

// ErrorAnswer is the envelope's error for a request it cannot serve: 600 (invalid request)
// or 601 (schema not served), inside the mobilesync Response when the client asked for it.
func ErrorAnswer(schema string, code int) []byte {
	msg := "Invalid Request"
	if code == 601 {
		msg = "Provider is not available"
	}
	if schema == SchemaMobile {
		return encode(mobileResponse{Error: newError(code, msg)})
	}
	return encode(plainResponse{Error: newError(code, msg)})
}

func newError(code int, msg string) *poxError {
	return &poxError{Time: "00:00:00", ID: "0", ErrorCode: code, Message: msg}
}

func encode(resp any) []byte {
	b, err := xml.Marshal(envelope{Response: resp})
	if err != nil {
		panic(err) // only fixed types of this file: a programming error
	}
	return append([]byte(xml.Header), b...)
}
