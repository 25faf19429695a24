// Package account holds the rules for accounts, domains, COS and the account password: creation, login, change, sessions.
package account
