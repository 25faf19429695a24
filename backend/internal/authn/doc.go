// Package authn is the one authenticator: for (service, username, secret, client address) it decides whether access is granted.
package authn
