// Package app is the composition root: it wires configuration, store, services and the HTTP server.
package app
