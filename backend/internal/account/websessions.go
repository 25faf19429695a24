package account

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// WebSession is one place an account is signed in, as its owner (or an administrator) sees it.
type WebSession struct {
	ID         uint64
	Browser    string // from the User-Agent, e.g. "Firefox on Linux"
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool // the session asking
}

// SessionStore is what listing and ending web sessions needs (the admin service shares it).
type SessionStore interface {
	WebSessionsOf(ctx context.Context, accountID, tokenVersion uint64, now time.Time) ([]store.WebSession, error)
	EndWebSession(ctx context.Context, accountID, id uint64, at time.Time) (*store.WebSession, error)
}

// ListWebSessions lists the live web sessions of an account; currentJTI marks the caller's own.
func ListWebSessions(ctx context.Context, st SessionStore, a *store.Account, currentJTI string, now time.Time) ([]WebSession, error) {
	rows, err := st.WebSessionsOf(ctx, a.ID, a.TokenVersion, now)
	if err != nil {
		return nil, err
	}
	out := make([]WebSession, 0, len(rows))
	for _, r := range rows {
		out = append(out, WebSession{ID: r.ID, Browser: Browser(r.UserAgent), UserAgent: r.UserAgent, IP: r.IP,
			CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt, Current: currentJTI != "" && r.JTI == currentJTI})
	}
	return out, nil
}

// EndWebSession ends one web session of an account: the next request with its cookie gets 401.
// Another account's session, or one already ended, is ErrNotFound.
func EndWebSession(ctx context.Context, st SessionStore, accountID, id uint64, now time.Time) (*store.WebSession, error) {
	w, err := st.EndWebSession(ctx, accountID, id, now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	return w, err
}

// Sessions lists where the caller is signed in on the web, its own session marked.
func (s *Service) Sessions(ctx context.Context, p *Principal) ([]WebSession, error) {
	jti := ""
	if !p.App {
		jti = p.Claims.ID
	}
	return ListWebSessions(ctx, s.store, p.Account, jti, s.now())
}

// EndSession ends one of the caller's web sessions; current reports it was the caller's own,
// which is then a logout.
func (s *Service) EndSession(ctx context.Context, p *Principal, id uint64, clientIP string) (current bool, err error) {
	w, err := EndWebSession(ctx, s.store, p.Account.ID, id, s.now())
	if err != nil {
		return false, err
	}
	current = !p.App && w.JTI == p.Claims.ID
	s.audit.Record(ctx, audit.Event{Actor: p.Account.Email, Account: p.Account.Email, Action: audit.ActionSessionEnded,
		Outcome: audit.OutcomeSuccess, Reason: "session " + Browser(w.UserAgent) + " from " + w.IP, ClientIP: clientIP})
	return current, nil
}

// userAgentOf is the User-Agent the caller's session was started with ("" if unknown).
func (s *Service) userAgentOf(ctx context.Context, p *Principal) string {
	if w, err := s.store.WebSessionByJTI(ctx, p.Claims.ID); err == nil {
		return w.UserAgent
	}
	return ""
}

// Browser names the browser and system of a User-Agent for people, roughly; the raw string
// goes along for the curious. Order matters: Edge and Opera also say Chrome, Chrome says Safari.
func Browser(ua string) string {
	if ua == "" {
		return "Unknown browser"
	}
	name := "Unknown browser"
	for _, b := range [][2]string{{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}} {
		if strings.Contains(ua, b[0]) {
			name = b[1]
			break
		}
	}
	for _, o := range [][2]string{{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"}} {
		if strings.Contains(ua, o[0]) {
			return name + " on " + o[1]
		}
	}
	return name
}

// lastSeen limits last-seen writes to one a minute per session and instance, so an
// authenticated request costs no extra database read and at most one write a minute.
type lastSeen struct {
	mu sync.Mutex
	at map[string]time.Time
}

func newLastSeen() *lastSeen { return &lastSeen{at: map[string]time.Time{}} }

func (l *lastSeen) touch(ctx context.Context, st interface {
	TouchWebSession(ctx context.Context, jti string, at time.Time) error
}, jti string, now time.Time) {
	l.mu.Lock()
	if prev, ok := l.at[jti]; ok && now.Sub(prev) < time.Minute {
		l.mu.Unlock()
		return
	}
	if len(l.at) > 10000 { // forget sessions idle for over a minute: they get one write more
		for k, t := range l.at {
			if now.Sub(t) >= time.Minute {
				delete(l.at, k)
			}
		}
	}
	l.at[jti] = now
	l.mu.Unlock()
	_ = st.TouchWebSession(ctx, jti, now)
}
