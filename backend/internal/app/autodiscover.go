package app

import (
	"context"
	"net/http"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/autodiscover"
	"github.com/tessera-mail/tessera/backend/internal/eas"
)

// autodiscover answers Autodiscover and autoconfig from the same settings as the SPA's mail
// settings page.
func (a *App) autodiscover() http.Handler {
	pub := strings.TrimRight(a.Config.PublicURL, "/")
	return autodiscover.New(autodiscover.Deps{Auth: a.Authn, Settings: a, PublicURL: pub, EASURL: pub + eas.Path, Log: a.Log})
}

// DomainDNS lists the DNS records a domain of the scope should publish for clients to find
// this installation (a domain outside the scope does not exist).
func (a *App) DomainDNS(ctx context.Context, sc admin.Scope, name string) ([]autodiscover.Record, error) {
	d, err := a.Orgs().Domain(ctx, sc, strings.ToLower(name))
	if err != nil {
		return nil, err
	}
	return autodiscover.Records(d.Name, a.Config.PublicURL, a.clientSettings())
}
