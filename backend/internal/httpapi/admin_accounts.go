package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// accountAdmin is what the admin's account pages take of admin.Service.
type accountAdmin interface {
	Accounts(ctx context.Context, sc admin.Scope, q string, domainID uint64, page int) (*store.AccountPage, error)
	Account(ctx context.Context, sc admin.Scope, email string) (*store.Account, error)
	AdminDomains(ctx context.Context, sc admin.Scope, a *store.Account) ([]string, error)
	PatchAccount(ctx context.Context, sc admin.Scope, email string, p admin.AccountPatch, ip string) (*store.Account, error)
	EndSessions(ctx context.Context, sc admin.Scope, email, ip string) error
	ResetPassword(ctx context.Context, sc admin.Scope, setter admin.PasswordSetter, email, pw string, requireChange bool) (string, error)
	Deliver(ctx context.Context, sc admin.Scope, d admin.MessageDeliverer, email string, raw []byte) (*store.Item, error)
}

// adminAccounts is the admin's view of accounts: list, one account, its patch, its sessions,
// its password, and a message put in its Inbox.
type adminAccounts struct {
	admin     accountAdmin
	domains   DomainFinder           // the list's domain filter
	passwords admin.PasswordSetter   // account.Service
	mailbox   admin.MessageDeliverer // mailbox.Service
}

func (h *adminAccounts) routes(g routers) {
	g.admin.POST("/accounts/:email/messages", h.deliverMessage)
	g.admin.GET("/accounts", h.adminListAccounts)
	g.admin.GET("/accounts/:email", h.adminGetAccount)
	g.admin.PATCH("/accounts/:email", h.adminPatchAccount)
	g.admin.POST("/accounts/:email/logout-all", h.adminEndSessions)
	g.admin.POST("/accounts/:email/password", h.adminResetPassword)
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

type adminAccountResponse struct {
	meResponse
	LastLoginAt *time.Time `json:"lastLoginAt"`
	// Manageable: the caller may act on the account; another administrator's account is
	// read-only to a domain admin, and the SPA shows it without actions.
	Manageable bool `json:"manageable"`
}

func toAdminAccount(sc admin.Scope, a *store.Account) adminAccountResponse {
	return adminAccountResponse{meResponse: toMe(a), LastLoginAt: a.LastLoginAt, Manageable: sc.Manages(a)}
}

func (h *adminAccounts) adminListAccounts(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "1"))
	var domainID uint64
	if d := c.Query("domain"); d != "" {
		dom, err := h.domains.DomainByName(c.Request.Context(), strings.ToLower(d))
		if err != nil {
			c.JSON(http.StatusOK, gin.H{"items": []adminAccountResponse{}, "total": 0, "page": max(page, 1), "pageSize": admin.PageSize})
			return
		}
		domainID = dom.ID
	}
	p, err := h.admin.Accounts(c.Request.Context(), scope(c), c.Query("q"), domainID, max(page, 1))
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]adminAccountResponse, len(p.Items))
	for i := range p.Items {
		items[i] = toAdminAccount(scope(c), &p.Items[i])
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": p.Total, "page": max(page, 1), "pageSize": admin.PageSize})
}

func (h *adminAccounts) adminGetAccount(c *gin.Context) {
	a, err := h.admin.Account(c.Request.Context(), scope(c), normEmail(c.Param("email")))
	if err != nil {
		fail(c, err)
		return
	}
	h.respondAdminAccount(c, a)
}

// respondAdminAccount answers with one account, a domain admin's admin domains included.
func (h *adminAccounts) respondAdminAccount(c *gin.Context, a *store.Account) {
	r := toAdminAccount(scope(c), a)
	var err error
	if r.AdminDomains, err = h.admin.AdminDomains(c.Request.Context(), scope(c), a); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

type accountPatchRequest struct {
	Role          *string   `json:"role"`
	COS           *string   `json:"cos"`
	Status        *string   `json:"status"`
	AdminDomains  *[]string `json:"adminDomains"`
	RecoveryEmail *string   `json:"recoveryEmail"`
}

func (h *adminAccounts) adminPatchAccount(c *gin.Context) {
	var req accountPatchRequest
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	a, err := h.admin.PatchAccount(c.Request.Context(), scope(c), normEmail(c.Param("email")),
		admin.AccountPatch{Role: req.Role, COS: req.COS, Status: req.Status, AdminDomains: req.AdminDomains,
			RecoveryEmail: req.RecoveryEmail}, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	h.respondAdminAccount(c, a)
}

func (h *adminAccounts) adminEndSessions(c *gin.Context) {
	if err := h.admin.EndSessions(c.Request.Context(), scope(c), normEmail(c.Param("email")), c.ClientIP()); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// adminResetPassword sets the password given, or generates one and shows it once; with
// requireChange the user must choose a new one at the next login.
func (h *adminAccounts) adminResetPassword(c *gin.Context) {
	var req struct {
		Password      string `json:"password"`
		RequireChange bool   `json:"requireChange"`
	}
	if err := decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	generated, err := h.admin.ResetPassword(c.Request.Context(), scope(c), h.passwords, normEmail(c.Param("email")), req.Password, req.RequireChange)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if generated == "" {
		c.Status(http.StatusNoContent)
		return
	}
	c.JSON(http.StatusOK, gin.H{"password": generated})
}

// deliverMessage stores a raw RFC 5322 message in the account's Inbox (an account the caller
// manages: 404 outside their domains, 403 for another administrator's).
func (h *adminAccounts) deliverMessage(c *gin.Context) {
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
	it, err := h.admin.Deliver(c.Request.Context(), scope(c), h.mailbox, normEmail(c.Param("email")), raw)
	if errors.Is(err, mailbox.ErrNotMessage) {
		fail(c, newError(http.StatusBadRequest, "invalid_message", "The body is not an RFC 5322 message."))
		return
	} else if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": it.ID, "folderId": it.FolderID, "subject": it.Subject, "size": it.Size})
}
