package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/account"
	"github.com/tessera-mail/tessera/backend/internal/admin"
	"github.com/tessera-mail/tessera/backend/internal/appleprofile"
	"github.com/tessera-mail/tessera/backend/internal/audit"
	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/bus"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/credential"
	"github.com/tessera-mail/tessera/backend/internal/dav"
	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas"
	"github.com/tessera-mail/tessera/backend/internal/httpapi"
	"github.com/tessera-mail/tessera/backend/internal/imip"
	"github.com/tessera-mail/tessera/backend/internal/lmtp"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/metrics"
	"github.com/tessera-mail/tessera/backend/internal/notice"
	"github.com/tessera-mail/tessera/backend/internal/otp"
	"github.com/tessera-mail/tessera/backend/internal/passkey"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/policy"
	"github.com/tessera-mail/tessera/backend/internal/session"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/throttle"
	"github.com/tessera-mail/tessera/frontend"
)

// Throttle policies (PRODUCT rule 7): a few free failures, then doubling delays capped at
// 15 minutes, never a lockout that guessing alone could make permanent.
var (
	AccountThrottle = throttle.Policy{Free: 5, Base: 2 * time.Second, Max: 15 * time.Minute, Window: time.Hour}
	AddressThrottle = throttle.Policy{Free: 20, Base: 2 * time.Second, Max: 15 * time.Minute, Window: time.Hour}
)

// App is a wired Tessera.
type App struct {
	Config      config.Config
	Store       *store.Store
	Accounts    *account.Service
	Credentials *credential.Service
	Authn       *authn.Authenticator
	OTP         *otp.Service
	Policy      *policy.Service
	Passkeys    *passkey.Service
	Mailbox     *mailbox.Service
	Devices     *device.Service
	Notices     *notice.Service // security notices by mail
	EAS         *eas.Server
	DAV         *dav.Server
	Audit       *audit.Recorder
	Profiles    *appleprofile.Service
	Metrics     *metrics.Metrics
	Log         *slog.Logger
	closeShared func()
	mail        mailState // the mail doors' certificate and listeners (mail.go)
}

// Open connects to the database, runs the migrations and builds the services of a server.
func Open(cfg config.Config, log *slog.Logger) (*App, error) { return open(cfg, log, false) }

// OpenTool is Open for one CLI command: its changes reach running servers through the
// database (package bus), so it needs no Redis and loses nothing when it exits at once.
func OpenTool(cfg config.Config, log *slog.Logger) (*App, error) { return open(cfg, log, true) }

func open(cfg config.Config, log *slog.Logger, tool bool) (*App, error) {
	key, err := cfg.Key()
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	certRoots, err := eas.LoadCertRoots(cfg.EASSMIMERoots)
	if err != nil {
		return nil, fmt.Errorf("TESSERA_EAS_SMIME_ROOTS: %w", err)
	}
	dsn := cfg.DBDSN
	if cfg.DBDriver == "sqlite" {
		dsn = cfg.SQLiteDSN()
	}
	st, err := store.Open(cfg.DBDriver, dsn)
	if err != nil {
		return nil, err
	}
	if err := st.MigrateSeeding(context.Background(), store.ConfigDefaults{
		EASHeartbeatMinSeconds: int(cfg.EASHeartbeatMin / time.Second), EASHeartbeatMaxSeconds: int(cfg.EASHeartbeatMax / time.Second),
		SessionLifetimeMinutes: int(cfg.SessionTTL / time.Minute),
	}); err != nil {
		st.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var notifier mailbox.Notifier
	var accountLimits, addressLimits throttle.Limiter
	closeShared := func() {}
	if tool {
		notifier = bus.DBPublisher{Store: st, Log: log}
		accountLimits, addressLimits = throttle.NewMemory(AccountThrottle), throttle.NewMemory(AddressThrottle)
	} else {
		notifier, accountLimits, addressLimits, closeShared, err = shared(cfg, log)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	auditor := audit.New(st, log)
	hasher := authn.NewHasher(key)
	sealer := otp.NewSealer(key)
	pol := policy.NewService(st)
	if cfg.BreachedPasswordsFile != "" { // checked by config validation already; opened once, kept open
		b, err := password.OpenBreached(cfg.BreachedPasswordsFile)
		if err != nil {
			closeShared()
			st.Close()
			return nil, fmt.Errorf("TESSERA_BREACHED_PASSWORDS_FILE: %w", err)
		}
		pol.UseBreached(b)
		inner := closeShared
		closeShared = func() { inner(); b.Close() }
	}
	// Grants are kept only where every change reaches this process (not in the CLI, which
	// publishes through the database and authenticates no device).
	observable, _ := notifier.(mailbox.Observable)
	grantTTL := cfg.AuthCacheTTL
	if observable == nil {
		grantTTL = 0
	}
	auth := authn.New(authn.Deps{
		Store:         st,
		Hasher:        hasher,
		AccountLimits: accountLimits,
		AddressLimits: addressLimits,
		DeviceCookies: authn.NewDeviceCookies(key),
		Audit:         auditor,
		Log:           log,
		MailPassword:  pol.MailPassword,
		GrantTTL:      grantTTL,
	})
	if observable != nil { // account-wide changes: a credential, the account, a device
		mailbox.ForgetOnChange(observable, auth)
	}
	creds := credential.New(credential.Deps{Store: st, Hasher: hasher, Sealer: sealer, Audit: auditor,
		PublicURL: cfg.PublicURL, Issuer: cfg.TOTPIssuer,
		Changed: func(id uint64) { notifier.Publish(mailbox.Change{AccountID: id}) }})
	otps := otp.New(st, sealer, hasher.Hash, auditor, log)
	accounts := account.New(account.Deps{
		Store:            st,
		Sessions:         session.New(key, cfg.SessionTTL),
		Authn:            auth,
		Policy:           pol,
		OTP:              otps,
		OnPasswordChange: creds,
		Audit:            auditor,
		Log:              log,
	})
	// Passkeys: the relying party is the public URL's host, named like the TOTP issuer.
	passkeys, err := passkey.New(cfg.PublicURL, cfg.TOTPIssuer, st, auditor)
	if err != nil {
		closeShared()
		st.Close()
		return nil, err
	}
	accounts.UsePasskeys(passkeys, pol)
	mb := mailbox.New(st, notifier)
	devices := device.New(st, notifier)
	devices.UseAccessControl(st, auditor, mb, log)
	notices := notice.New(st, mb, auditor, log, cfg.PublicURL)
	creds.UseNotices(notices)
	otps.UseNotices(notices)
	accounts.UseNotices(notices)
	devices.UseNotices(notices)
	sender := mailbox.NewSender(mb, st, cfg.SMTPRelay)
	notices.UseRelay(sender) // copies to recovery addresses, when a relay is configured
	sched := imip.New(mb, st, sender, log)
	mb.OnDeliver(sched.Delivered)
	easServer, err := eas.New(eas.Deps{Auth: auth, Mailbox: mb, Devices: devices, Accounts: st, States: st, Log: log,
		Sender: sender, Search: st, Scheduling: sched,
		Options: eas.Options{HeartbeatMin: cfg.EASHeartbeatMin, HeartbeatMax: cfg.EASHeartbeatMax, MaxPings: cfg.EASMaxPings,
			MaxFolders: cfg.EASMaxFolders, CertRoots: certRoots}})
	if err != nil {
		closeShared()
		st.Close()
		return nil, err
	}
	sqlDB, _ := st.Gorm().DB()
	m := metrics.New(func() float64 { return float64(easServer.HeldPings()) }, sqlDB)
	auditor.Count = func(action, outcome string) { m.AuditEvents.WithLabelValues(action, outcome).Inc() }
	return &App{Config: cfg, Store: st, Accounts: accounts, Credentials: creds, Authn: auth, OTP: otps, Policy: pol, Passkeys: passkeys,
		Mailbox: mb, Devices: devices, Notices: notices, EAS: easServer, DAV: dav.New(dav.Deps{Auth: auth, Mailbox: mb, Log: log}), Audit: auditor, Metrics: m, Log: log, closeShared: closeShared,
		Profiles: appleprofile.New(appleprofile.Deps{Store: st, Key: key, PublicURL: cfg.PublicURL, Sign: signProfile(cfg, log)})}, nil
}

// Close releases the database and Redis, once the security notices under way are delivered.
func (a *App) Close() error {
	a.Notices.Flush()
	if a.closeShared != nil {
		a.closeShared()
	}
	return a.Store.Close()
}

// Handler builds the HTTP handler with the embedded SPA.
func (a *App) Handler() (http.Handler, error) {
	return httpapi.New(httpapi.Deps{
		Accounts: a.Accounts, Credentials: a.Credentials, Mailbox: a.Mailbox, Devices: a.Devices, Admin: a.Admin(), DeviceAccess: a.DeviceAccess(), Orgs: a.Orgs(), Domains: a.Store, Settings: a.Store, Audit: a.Audit, OTP: a.OTP, Issuer: a.Config.TOTPIssuer, Authn: a.Authn, DB: a.Store, Log: a.Log,
		EAS: a.EAS, DAV: a.DAV, SPA: frontend.Dist(),
		SecureCookies: a.Config.SecureCookies(), TrustedProxies: a.Config.TrustedProxies,
		ProxyAuthAllow: a.Config.ProxyAuthAllow, MailUpstreams: a.Config.MailProxyUpstreams(), MailSettings: a,
		AppleProfiles: a.Profiles, PublicURL: a.Config.PublicURL, Passkeys: a.Passkeys,
		Autodiscover: a.autodiscover(), DomainDNS: a,
		Observe: func(route, method string, status int, d time.Duration) {
			a.Metrics.HTTPRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
			a.Metrics.HTTPLatency.WithLabelValues(route, method).Observe(d.Seconds())
		},
		ObserveEAS: func(cmd string, status int) { a.Metrics.EASCommands.WithLabelValues(cmd, strconv.Itoa(status)).Inc() },
	})
}

// Bootstrap creates the first global admin when there is none. The generated password, if any,
// is returned to be printed once.
func (a *App) Bootstrap(ctx context.Context) (email, generated string, created bool, err error) {
	return a.Accounts.EnsureBootstrapAdmin(ctx, a.Config.BootstrapDomain, a.Config.BootstrapAdminPassword)
}

// Serve runs the HTTP server until ctx ends, then drains it.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	h, err := a.Handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.Config.Listen, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	a.EAS.UseHTTPServer(srv) // held Pings park their connections and hand them back to srv
	go a.housekeeping(ctx)
	go a.RelayChanges(ctx)
	if a.Config.MetricsListen != "" {
		mln, err := net.Listen("tcp", a.Config.MetricsListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("metrics listen on %s: %w", a.Config.MetricsListen, err)
		}
		go func() {
			if err := a.Metrics.Serve(ctx, mln, a.Config.Profiling); err != nil {
				a.Log.Error("metrics", "err", err)
			}
		}()
		a.Log.Info("serving metrics", "listen", mln.Addr().String())
	}
	if a.Config.LMTPListen != "" {
		lmtpLn, err := net.Listen("tcp", a.Config.LMTPListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("LMTP listen on %s: %w", a.Config.LMTPListen, err)
		}
		host, _, _ := net.SplitHostPort(a.Config.Listen)
		lm := lmtp.New(a.Mailbox, a.Accounts, lmtp.Options{Domain: host}, a.Log.With("via", "lmtp"))
		go func() {
			if err := lm.Serve(lmtpLn); err != nil && !errors.Is(err, lmtp.ErrServerClosed) {
				a.Log.Error("lmtp", "err", err)
			}
		}()
		defer lm.Close()
		a.Log.Info("accepting LMTP", "listen", lmtpLn.Addr().String())
	}
	if a.MailDoorsConfigured() {
		closeDoors, err := a.openMailDoors()
		if err != nil {
			ln.Close()
			return err
		}
		// Deferred: runs after srv.Shutdown stopped the HTTP side; closing a door ends its
		// sessions, held IDLEs included.
		defer closeDoors()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.EAS.Shutdown() // held Pings answer at once, so draining does not wait out their heartbeats
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// PendingOTPLifetime: an OTP entry never confirmed with a code is discarded after this.
const PendingOTPLifetime = credential.PendingLifetime

// housekeeping drops revocation records of tokens that have expired on their own, Apple
// profiles never downloaded, and OTP entries that were never confirmed.
func (a *App) housekeeping(ctx context.Context) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		a.Housekeep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Housekeep runs one round of cleanup.
func (a *App) Housekeep(ctx context.Context) {
	if n, err := a.Store.PruneRevokedTokens(ctx, time.Now()); err != nil && ctx.Err() == nil {
		a.Log.Warn("prune revoked tokens", "err", err)
	} else if n > 0 {
		a.Log.Debug("pruned revoked tokens", "count", n)
	}
	if _, err := a.Store.PrunePasskeyCeremonies(ctx, time.Now()); err != nil && ctx.Err() == nil {
		a.Log.Warn("prune passkey ceremonies", "err", err)
	}
	// Kept past their expiry: they are the account's memory of its browsers (new-sign-in notices).
	if _, err := a.Store.PruneWebSessions(ctx, time.Now().Add(-account.BrowserMemory)); err != nil && ctx.Err() == nil {
		a.Log.Warn("prune web sessions", "err", err)
	}
	if _, err := a.Store.PruneTrustedBrowsers(ctx, time.Now()); err != nil && ctx.Err() == nil {
		a.Log.Warn("prune trusted browsers", "err", err)
	}
	if n, err := a.Profiles.Prune(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("prune apple profiles", "err", err)
	} else if n > 0 {
		a.Log.Debug("pruned expired apple profiles", "count", n)
	}
	if n, err := a.Store.DeletePendingOTP(ctx, time.Now().Add(-PendingOTPLifetime)); err != nil && ctx.Err() == nil {
		a.Log.Warn("discard unconfirmed OTP entries", "err", err)
	} else if n > 0 {
		a.Log.Info("discarded unconfirmed OTP entries", "count", n)
	}
}

// Orgs is domain and COS administration (the API and the CLI share it).
func (a *App) Orgs() *admin.Orgs { return admin.NewOrgs(a.Store, a.Audit, a.Accounts) }

// Admin is account, credential and device administration (the API and the CLI share it).
func (a *App) Admin() *admin.Service {
	s := admin.New(a.Store, a.Audit, a.Mailbox.Notifier(), a.Devices)
	s.UseNotices(a.Notices)
	return s
}

// DeviceAccess is device access control (approve, block, suspend, rules), for the API and CLI.
func (a *App) DeviceAccess() *admin.DeviceAccess {
	return admin.NewDeviceAccess(a.Admin(), a.Store)
}

// RelayChanges hands the changes the CLI wrote to the database to this process's waiters
// and caches, about once a second, until ctx ends (Serve runs it).
func (a *App) RelayChanges(ctx context.Context) {
	bus.Relay(ctx, a.Store, a.publishLocal, a.Log.With("via", "db-bus"))
}

// publishLocal wakes this process's waiters with a change another process (the CLI) made;
// every server reads those itself, so it must not travel on through Redis.
func (a *App) publishLocal(c mailbox.Change) {
	n := a.Mailbox.Notifier()
	if l, ok := n.(interface{ PublishLocal(mailbox.Change) }); ok {
		l.PublishLocal(c)
		return
	}
	n.Publish(c)
}
