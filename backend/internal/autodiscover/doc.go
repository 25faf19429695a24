// Package autodiscover lets mail, calendar and contacts clients set themselves up from an
// email address and a password: Exchange Autodiscover in its old form (POX, POST of an XML
// request, HTTP Basic through the one authenticator, as EAS) for phones (mobilesync schema)
// and Outlook (outlook 2006a schema: the IMAP, POP3 and SMTP doors Tessera serves), its v2
// JSON form, Thunderbird's autoconfig file, and the DNS records that point clients here.
//
// Every answer is computed from the installation's doors (Settings, the same service as the
// SPA's mail settings page) and its public URL; none depends on whether an account exists,
// except the POX answer, which is given only to the authenticated account for its own
// address. The package is thin: pox.go decodes and encodes the XML, handler.go maps
// requests to answers, dns.go computes records.
package autodiscover
