package autodiscover_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/autodiscover"
)

func poxBody(email, schema string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006">
  <Request><EMailAddress>` + email + `</EMailAddress>
  <AcceptableResponseSchema>` + schema + `</AcceptableResponseSchema></Request>
</Autodiscover>`
}

func TestParseRequest(t *testing.T) {
	r, err := autodiscover.ParseRequest([]byte(poxBody(" Erin@Example.com ", autodiscover.SchemaMobile)))
	if err != nil || r.Email != "Erin@Example.com" || r.Schema != autodiscover.SchemaMobile {
		t.Fatalf("%+v %v", r, err)
	}
	// Outlook's request namespace, and no namespace at all, read alike.
	outlook := `<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request>` +
		`<EMailAddress>a@b.c</EMailAddress><AcceptableResponseSchema>` + autodiscover.SchemaOutlook + `</AcceptableResponseSchema></Request></Autodiscover>`
	if r, err := autodiscover.ParseRequest([]byte(outlook)); err != nil || r.Schema != autodiscover.SchemaOutlook {
		t.Fatalf("outlook: %+v %v", r, err)
	}
	for name, body := range map[string]string{
		"empty":        "",
		"not xml":      "hello",
		"unclosed":     `<Autodiscover><Request><EMailAddress>a@b.c</EMailAddress>`,
		"other root":   `<Discover><Request><EMailAddress>a@b.c</EMailAddress><AcceptableResponseSchema>x</AcceptableResponseSchema></Request></Discover>`,
		"no address":   poxBody("", autodiscover.SchemaMobile),
		"no schema":    poxBody("a@b.c", ""),
		"long address": poxBody(strings.Repeat("a", 400)+"@b.c", autodiscover.SchemaMobile),
		"entity":       `<!DOCTYPE x [<!ENTITY e "a@b.c">]><Autodiscover><Request><EMailAddress>&e;</EMailAddress><AcceptableResponseSchema>s</AcceptableResponseSchema></Request></Autodiscover>`,
		"oversized":    poxBody("a@b.c", autodiscover.SchemaMobile) + strings.Repeat(" ", autodiscover.MaxRequest),
	} {
		if r, err := autodiscover.ParseRequest([]byte(body)); err == nil {
			t.Errorf("%s: accepted as %+v", name, r)
		}
	}
}

// Every answer is well-formed XML in the envelope's namespace.
func TestAnswersAreXML(t *testing.T) {
	s := autodiscover.Settings{Doors: []autodiscover.Door{{Protocol: "imap", Host: "h", Port: 993, Security: "tls"}}}
	for name, b := range map[string][]byte{
		"mobile":      autodiscover.MobileAnswer("a&b@c.d", "https://h/Microsoft-Server-ActiveSync"),
		"outlook":     autodiscover.OutlookAnswer("a<b@c.d", s),
		"notfound":    autodiscover.NotFoundAnswer(autodiscover.SchemaMobile, "x</EMailAddress>@y"),
		"notfound2":   autodiscover.NotFoundAnswer(autodiscover.SchemaOutlook, "x@y"),
		"error":       autodiscover.ErrorAnswer("", 600),
		"errormobile": autodiscover.ErrorAnswer(autodiscover.SchemaMobile, 600),
		"autoconfig":  autodiscover.AutoconfigAnswer("c.d", s),
	} {
		var v struct{ XMLName xml.Name }
		if err := xml.Unmarshal(b, &v); err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
		}
		if name != "autoconfig" && v.XMLName.Space != "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006" {
			t.Errorf("%s: root %v", name, v.XMLName)
		}
	}
}

// The POX parser reads bytes from anyone who knows a password: it never panics and never
// accepts a request without an address and a schema.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(poxBody("a@b.c", autodiscover.SchemaMobile)))
	f.Add([]byte(poxBody("a@b.c", autodiscover.SchemaOutlook)))
	f.Add([]byte(`<Autodiscover><Request><EMailAddress>&amp;</EMailAddress></Request></Autodiscover>`))
	f.Add([]byte(`<?xml version="1.0" encoding="utf-16"?><Autodiscover/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := autodiscover.ParseRequest(b)
		if err == nil && (r.Email == "" || r.Schema == "" || len(r.Email) > 320) {
			t.Fatalf("accepted %+v", r)
		}
	})
}
