package httpapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// spa serves the built single-page app: real files as they are, index.html for every other
// path so client-side routes survive a reload.
type spa struct {
	files fs.FS
	index []byte
}

const notBuilt = `<!doctype html><title>Tessera</title><p>The web interface is not built into this binary. Run <code>make build</code>.</p>`

func newSPA(files fs.FS) *spa {
	s := &spa{files: files}
	if files != nil {
		s.index, _ = fs.ReadFile(files, "index.html")
	}
	return s
}

var staticExt = map[string]bool{".js": true, ".css": true, ".map": true, ".png": true, ".svg": true, ".ico": true,
	".jpg": true, ".webp": true, ".woff": true, ".woff2": true, ".txt": true, ".json": true, ".webmanifest": true}

func isAPIPath(p string) bool {
	return p == "/api" || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/Microsoft-Server-ActiveSync")
}

// noRoute answers what no route took: a JSON 404 under the API and EAS paths, the SPA elsewhere.
func (s *spa) noRoute(c *gin.Context) {
	if isAPIPath(c.Request.URL.Path) {
		fail(c, errNotFound)
		return
	}
	s.serve(c)
}

func (s *spa) serve(c *gin.Context) {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		fail(c, errMethod)
		return
	}
	name := strings.TrimPrefix(path.Clean(c.Request.URL.Path), "/")
	if name != "" && name != "index.html" {
		if s.files != nil {
			if f, err := fs.Stat(s.files, name); err == nil && !f.IsDir() {
				if strings.HasPrefix(name, "assets/") { // content-hashed by Vite: cache for good
					c.Header("Cache-Control", "public, max-age=31536000, immutable")
				}
				c.FileFromFS(name, http.FS(s.files))
				return
			}
		}
		// A missing asset is a plain 404, built or not; anything else is a client-side route,
		// including ones with a dot, such as /admin/accounts/bob@example.com.
		if strings.HasPrefix(name, "assets/") || staticExt[path.Ext(name)] {
			c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("not found"))
			return
		}
	}
	if s.index == nil {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(notBuilt))
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", s.index)
}
