// Package session issues and verifies the web session tokens: JWT, HS256 only, with exp/iat/aud checked.
package session
