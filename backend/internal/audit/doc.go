// Package audit records who did what to which account, from where: every login, failure and admin action.
package audit
