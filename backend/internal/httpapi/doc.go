// Package httpapi is the JSON API and the SPA server: thin Gin handlers that parse, call a service and map the result.
package httpapi
