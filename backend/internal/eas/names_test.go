package eas

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// qualified matches a "Page:Tag" literal.
var qualified = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*:[A-Z][A-Za-z0-9]*$`)

// Every tag name written in the EAS code exists on the code pages. A misspelt tag (Settings
// once said SMTPAddress for SmtpAddress) only fails when that response is encoded — after the
// command may have written to the database — so the names are checked here, in every branch,
// whether or not a test reaches it: a qualified literal must be a tag of its page, a bare name
// given to wbxml.New, NewText or NewOpaque a tag of some page.
func TestEveryTagNameIsOnACodePage(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob(filepath.Join("pim", "*.go"))
	checked := 0
	for _, file := range append(files, more...) {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.BasicLit:
				if s, ok := literal(v); ok && qualified.MatchString(s) {
					checked++
					if !wbxml.Known(s) {
						t.Errorf("%s: %q is no tag of MS-ASWBXML", fset.Position(v.Pos()), s)
					}
				}
			case *ast.CallExpr:
				sel, ok := v.Fun.(*ast.SelectorExpr)
				if !ok || len(v.Args) == 0 || !strings.HasPrefix(sel.Sel.Name, "New") {
					return true
				}
				if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "wbxml" {
					return true
				}
				lit, ok := v.Args[0].(*ast.BasicLit)
				if !ok {
					return true
				}
				if s, ok := literal(lit); ok && !strings.Contains(s, ":") {
					checked++
					if !wbxml.KnownLocal(s) {
						t.Errorf("%s: %q is on no code page", fset.Position(lit.Pos()), s)
					}
				}
			}
			return true
		})
	}
	t.Logf("%d names checked", checked)
	if checked < 300 {
		t.Fatalf("only %d names checked: is the scan looking at the right files?", checked)
	}
}

func literal(l *ast.BasicLit) (string, bool) {
	if l.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(l.Value)
	return s, err == nil
}
