package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/autodiscover"
)

// MailSettingsSource tells which mail doors (IMAP, POP3, submission) are on and which
// certificate they present; the app provides it from its configuration.
type MailSettingsSource interface {
	MailSettings() (MailSettings, error)
}

// MailSettings is what a user types into a desktop mail app, for every account alike; the
// same settings Autodiscover and autoconfig answer (package autodiscover owns the types).
type MailSettings = autodiscover.Settings

// MailDoor is one door as a mail app asks for it.
type MailDoor = autodiscover.Door

// MailCertificate is the doors' TLS certificate.
type MailCertificate = autodiscover.Certificate

type mailServerJSON struct {
	Protocol string `json:"protocol"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Security string `json:"security"`
	Username string `json:"username"`
}

type mailCertificateJSON struct {
	SelfSigned bool   `json:"selfSigned"`
	SHA256     string `json:"sha256"`
}

type mailSettingsResponse struct {
	Username    string               `json:"username"`
	Servers     []mailServerJSON     `json:"servers"`
	Certificate *mailCertificateJSON `json:"certificate"`
	DAV         *string              `json:"dav"`
}

// mailSettingsHandler answers GET /me/mail-settings: the signed-in account's settings for a
// mail app. The username is the account's own address; the password is an application
// passcode, which this never shows.
type mailSettingsHandler struct {
	src MailSettingsSource // nil: no door is on
}

func (h *mailSettingsHandler) routes(g routers) {
	g.web.GET("/me/mail-settings", h.get)
}

func (h *mailSettingsHandler) get(c *gin.Context) {
	resp := mailSettingsResponse{Username: principal(c).Account.Email, Servers: []mailServerJSON{}}
	if h.src == nil {
		c.JSON(http.StatusOK, resp)
		return
	}
	ms, err := h.src.MailSettings()
	if err != nil {
		fail(c, err)
		return
	}
	for _, d := range ms.Doors {
		resp.Servers = append(resp.Servers, mailServerJSON{Protocol: d.Protocol, Host: d.Host, Port: d.Port,
			Security: d.Security, Username: resp.Username})
	}
	if ms.DAVURL != "" {
		resp.DAV = &ms.DAVURL
	}
	if ms.Certificate != nil {
		resp.Certificate = &mailCertificateJSON{SelfSigned: ms.Certificate.SelfSigned, SHA256: ms.Certificate.SHA256}
	}
	c.JSON(http.StatusOK, resp)
}
