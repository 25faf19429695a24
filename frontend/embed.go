// Package frontend embeds the built SPA (frontend/dist) into the tessera binary.
package frontend

import (
	"embed"
	"io/fs"
)

// all: keeps dist/.gitkeep, so the package compiles on a fresh clone before the SPA is built.
//
//go:embed all:dist
var dist embed.FS

// Dist is the built SPA rooted at its index.html; without a build it holds no index.html and
// the server shows a notice instead.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
