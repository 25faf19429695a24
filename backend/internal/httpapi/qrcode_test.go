package httpapi_test

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// The QR code of a mobile-app credential decodes, with zbarimg (a decoder nobody here wrote),
// to exactly the payload the response states.
func TestMobileAppQRCodeDecodesWithZbar(t *testing.T) {
	zbar := testenv.RequireTool(t, "zbarimg", "zbar-tools")
	s := apptest.Start(t, sqlite(t), apptest.Options{PublicURL: "https://mail.example.com"})
	c := s.Client()
	c.Login(admin, apptest.AdminPassword)
	app := create(t, c, "mobile_app", "Phone")
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(app.Secret.QRCode, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(file, png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbar, "-q", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimRight(string(out), "\n"); got != app.Secret.Payload {
		t.Fatalf("QR decodes to %q, payload is %q", got, app.Secret.Payload)
	}
	if !strings.Contains(app.Secret.Payload, `"server":"https://mail.example.com"`) {
		t.Fatalf("payload does not point at the public URL: %s", app.Secret.Payload)
	}
}

func writeDataURL(t *testing.T, dataURL, file string) {
	t.Helper()
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dataURL, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, png, 0o600); err != nil {
		t.Fatal(err)
	}
}
