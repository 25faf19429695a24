package authn

// Grants kept in memory (Deps.GrantTTL): what a device's next request is answered from.

// grantMax bounds the grants kept: each is about 900 bytes (docs/performance.md).
const grantMax = 100000

// Forget drops what is kept in memory of an account's grants: call it on every account-wide change.
func (a *Authenticator) Forget(accountID uint64) { a.grants.Forget(accountID) }

// ForgetAll drops every grant kept in memory: call it when changes may have been missed.
func (a *Authenticator) ForgetAll() { a.grants.ForgetAll() }

// grantKey is what a grant of a door to a secret is kept under; its hash is the keyed hash
// of the secret in the door's first kind's normal form (the first one the database is asked
// for), so memory holds no secret. The zero key (no hash) is a door that takes no credential.
type grantKey struct {
	service Service
	email   string
	hash    string
}

func (a *Authenticator) grantKey(d door, r Request, email string) grantKey {
	if len(d.kinds) == 0 || r.Secret == "" {
		return grantKey{}
	}
	return grantKey{service: r.Service, email: email, hash: a.hasher.HashSecret(d.kinds[0], r.Secret)}
}

// copy gives a caller its own Account and Credential, so nothing it changes reaches the
// grant kept in memory.
func (g Grant) copy() *Grant {
	acct := *g.Account
	out := &Grant{Account: &acct}
	if g.Credential != nil {
		cred := *g.Credential
		out.Credential = &cred
	}
	return out
}
