// Package admin holds what administrators may do to accounts, credentials, devices and the audit log, scoped to their domains.
package admin
