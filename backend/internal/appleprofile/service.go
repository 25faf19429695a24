package appleprofile

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/tessera-mail/tessera/backend/internal/fault"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// Lifetime is how long a profile waits for its one download.
const Lifetime = 10 * time.Minute

// ErrGone: no waiting profile for this token (never made, already downloaded, expired, or
// made for another account). One answer for all: the caller learns nothing about the token.
var ErrGone = fault.New(fault.NotFound, "profile_gone", "apple profile gone",
	"This profile link has expired or was already used. Create a new credential to get another profile.")

// Store is what the service keeps profiles in.
type Store interface {
	CreateAppleProfile(ctx context.Context, p *store.AppleProfile) error
	AppleProfileByID(ctx context.Context, id string) (*store.AppleProfile, error)
	DeleteAppleProfile(ctx context.Context, id string) (bool, error)
	PruneAppleProfiles(ctx context.Context, before time.Time) (int64, error)
	DeleteAppleProfilesOfCredential(ctx context.Context, accountID, credentialID uint64) error
}

// Service keeps profiles for their one download.
type Service struct {
	store     Store
	key       []byte
	publicURL string
	now       func() time.Time
	sign      func([]byte) ([]byte, error)
}

// Deps gathers the collaborators.
type Deps struct {
	Store Store
	Key   []byte // the server's secret key
	// PublicURL is where a phone reaches Tessera: the one-time URLs start with it.
	PublicURL string
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
	// Sign wraps a profile in a CMS signature; nil (or one answering nil, nil) leaves it unsigned.
	Sign func(profile []byte) ([]byte, error)
}

// New returns the service.
func New(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: d.Store, key: d.Key, publicURL: strings.TrimRight(d.PublicURL, "/"), now: now, sign: d.Sign}
}

// DownloadPath is where a profile is fetched without a session (the QR code's URL), the token
// appended.
const DownloadPath = "/api/v1/apple-profiles/"

// Issued is a waiting profile: the token that fetches it, once, until ExpiresAt; URL is the
// one-time URL for a device without a session and QRCode that URL as a PNG data URL.
type Issued struct {
	Token     string
	URL       string
	QRCode    string
	ExpiresAt time.Time
}

// Issue builds the profile for a credential just made and keeps it, sealed, for one download.
// ErrNothingToInstall when no door the credential opens is on.
func (s *Service) Issue(ctx context.Context, r Request, servers Servers) (*Issued, error) {
	body, err := Build(r, servers)
	if err != nil {
		return nil, err
	}
	if s.sign != nil {
		signed, err := s.sign(body)
		if err != nil {
			return nil, err
		}
		if signed != nil {
			body = signed
		}
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	id := rowID(token)
	sealed, err := s.seal(token, id, body)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &store.AppleProfile{ID: id, AccountID: r.AccountID, CredentialID: r.CredentialID, Sealed: sealed,
		ExpiresAt: now.Add(Lifetime), CreatedAt: now.UTC()}
	if err := s.store.CreateAppleProfile(ctx, p); err != nil {
		return nil, err
	}
	link := s.publicURL + DownloadPath + token
	png, err := qrcode.Encode(link, qrcode.Medium, 320)
	if err != nil {
		return nil, err
	}
	return &Issued{Token: token, URL: link, QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
		ExpiresAt: p.ExpiresAt}, nil
}

// ForgetCredential deletes the waiting profiles of a credential that was deleted: its secret
// no longer opens anything, and a profile holding it must not stay downloadable.
func (s *Service) ForgetCredential(ctx context.Context, accountID, credentialID uint64) error {
	return s.store.DeleteAppleProfilesOfCredential(ctx, accountID, credentialID)
}

// Take hands out a waiting profile once and deletes it. accountID, when not 0, is the signed-in
// account asking: another account's profile is ErrGone and stays for its owner.
func (s *Service) Take(ctx context.Context, token string, accountID uint64) ([]byte, error) {
	if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) != 32 {
		return nil, ErrGone
	}
	id := rowID(token)
	p, err := s.store.AppleProfileByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrGone
	} else if err != nil {
		return nil, err
	}
	if accountID != 0 && p.AccountID != accountID {
		return nil, ErrGone
	}
	took, err := s.store.DeleteAppleProfile(ctx, id)
	if err != nil {
		return nil, err
	}
	if !took || !s.now().Before(p.ExpiresAt) {
		return nil, ErrGone
	}
	return s.open(token, id, p.Sealed)
}

// Prune deletes the profiles whose time ran out; housekeeping calls it.
func (s *Service) Prune(ctx context.Context) (int64, error) {
	return s.store.PruneAppleProfiles(ctx, s.now())
}

func rowID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// aead is AES-256-GCM under a key that needs both the server key and the token.
func (s *Service) aead(token string) (cipher.AEAD, error) {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("tessera apple profile\x00" + token))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (s *Service) seal(token, id string, body []byte) ([]byte, error) {
	g, err := s.aead(token)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return g.Seal(nonce, nonce, body, []byte(id)), nil
}

func (s *Service) open(token, id string, sealed []byte) ([]byte, error) {
	g, err := s.aead(token)
	if err != nil {
		return nil, err
	}
	if len(sealed) < g.NonceSize() {
		return nil, errors.New("appleprofile: sealed profile too short")
	}
	body, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], []byte(id))
	if err != nil {
		return nil, errors.New("appleprofile: sealed profile does not open")
	}
	return body, nil
}
