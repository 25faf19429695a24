package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
)

const adminMessagesPath = "/api/v1/admin/accounts/:email/messages"

const scopeKey = "tessera.adminScope"

// scope is the caller's admin scope, loaded once by requireAdmin (which let only admins through).
func scope(c *gin.Context) admin.Scope {
	return c.MustGet(scopeKey).(admin.Scope)
}

// requireAdmin lets global and domain admins through, with a second factor behind their session
// unless adminRequireTwoFactor is off; what a domain admin may touch is checked per request,
// and out of scope looks like not found.
func (s *server) requireAdmin(c *gin.Context) {
	p := principal(c)
	sc, err := s.admin.ScopeOf(c.Request.Context(), p.Account)
	if err != nil {
		fail(c, err)
		return
	}
	if err := admin.CheckSessionFactor(c.Request.Context(), s.settings, p.Claims.SecondFactor); err != nil {
		fail(c, err)
		return
	}
	c.Set(scopeKey, sc)
	c.Next()
}

// deliverMessage stores a raw RFC 5322 message in the account's Inbox (an account the caller
// manages: 404 outside their domains, 403 for another administrator's).
func (s *server) deliverMessage(c *gin.Context) {
	if ct := c.GetHeader("Content-Type"); ct != "" && !strings.HasPrefix(ct, "message/rfc822") && !strings.HasPrefix(ct, "application/octet-stream") && !strings.HasPrefix(ct, "text/plain") {
		fail(c, newError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the message as message/rfc822."))
		return
	}
	raw, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		fail(c, newError(http.StatusRequestEntityTooLarge, "request_too_large", "The message is larger than the delivery limit."))
		return
	} else if err != nil {
		fail(c, newError(http.StatusBadRequest, "invalid_request", "The message could not be read."))
		return
	}
	if len(raw) == 0 {
		fail(c, newError(http.StatusBadRequest, "invalid_message", "The body is not an RFC 5322 message."))
		return
	}
	it, err := s.admin.Deliver(c.Request.Context(), scope(c), s.mailbox, normEmail(c.Param("email")), raw)
	if errors.Is(err, mailbox.ErrNotMessage) {
		fail(c, newError(http.StatusBadRequest, "invalid_message", "The body is not an RFC 5322 message."))
		return
	} else if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": it.ID, "folderId": it.FolderID, "subject": it.Subject, "size": it.Size})
}
