package pop3_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/pop3"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// poplibScript logs in with Python's poplib (STLS with the test certificate checked, or
// plaintext), reads everything, deletes everything, and prints what it saw as JSON.
const poplibScript = `
import json, os, poplib, ssl, sys
host, port, user, secret, mode, cafile = sys.argv[1:7]
p = poplib.POP3(host, int(port), timeout=20)
if mode == "stls":
    p.stls(ssl.create_default_context(cafile=cafile))
try:
    p.user(user)
    p.pass_(secret)
except poplib.error_proto as e:
    print(json.dumps({"error": e.args[0].decode()}))
    sys.exit(0)
out = {"capa": sorted(p.capa().keys())}
out["stat"] = list(p.stat())
out["list"] = [l.decode() for l in p.list()[1]]
out["uidl"] = [l.decode() for l in p.uidl()[1]]
out["top"] = [l.decode() for l in p.top(1, 1)[1]]
out["retr"] = [[l.decode() for l in p.retr(i + 1)[1]] for i in range(out["stat"][0])]
for i in range(out["stat"][0]):
    p.dele(i + 1)
out["quit"] = p.quit().decode()
print(json.dumps(out))
`

type poplibOut struct {
	Error string     `json:"error"`
	Capa  []string   `json:"capa"`
	Stat  []int      `json:"stat"`
	List  []string   `json:"list"`
	UIDL  []string   `json:"uidl"`
	Top   []string   `json:"top"`
	Retr  [][]string `json:"retr"`
	Quit  string     `json:"quit"`
}

func runPoplib(t *testing.T, e *env, mode, user, secret string) poplibOut {
	t.Helper()
	py := testenv.RequireTool(t, "python3", "python3")
	script := filepath.Join(t.TempDir(), "pop.py")
	if err := os.WriteFile(script, []byte(poplibScript), 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(e.addr, ":")
	out, err := exec.Command(py, script, host, port, user, secret, mode, e.certFile(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("poplib: %v\n%s", err, out)
	}
	var res poplibOut
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("poplib output %q: %v", out, err)
	}
	return res
}

func TestPythonPoplib(t *testing.T) {
	for _, mode := range []string{"stls", "plain"} {
		t.Run(mode, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				e := newEnv(t, st, pop3.Options{PlaintextLoopback: mode == "plain"})
				ids := e.deliver(t, msg("first", "hello\r\n.leading dot\r\n"), msg("second", "world\r\n"))
				if r := runPoplib(t, e, mode, userEmail, e.easPass); r.Error != "-ERR [AUTH] Authentication failed" {
					t.Errorf("EAS password: %+v", r)
				}
				r := runPoplib(t, e, mode, userEmail, e.passcode)
				if r.Error != "" {
					t.Fatalf("passcode refused: %s", r.Error)
				}
				size := len(msg("first", "hello\r\n.leading dot\r\n")) + len(msg("second", "world\r\n"))
				if len(r.Stat) != 2 || r.Stat[0] != 2 || r.Stat[1] != size {
					t.Errorf("stat %v, want [2 %d]", r.Stat, size)
				}
				if len(r.List) != 2 || r.List[1] != "2 "+strconv.Itoa(len(msg("second", "world\r\n"))) {
					t.Errorf("list %q", r.List)
				}
				if len(r.UIDL) != 2 || r.UIDL[0] != "1 "+strconv.FormatUint(ids[0], 10) {
					t.Errorf("uidl %q", r.UIDL)
				}
				if len(r.Top) < 2 || r.Top[len(r.Top)-1] != "hello" || r.Top[len(r.Top)-2] != "" {
					t.Errorf("top %q", r.Top)
				}
				// poplib undoes the dot-stuffing.
				if len(r.Retr) != 2 || r.Retr[0][len(r.Retr[0])-1] != ".leading dot" || r.Retr[1][len(r.Retr[1])-1] != "world" {
					t.Errorf("retr %q", r.Retr)
				}
				if !strings.HasPrefix(r.Quit, "+OK") {
					t.Errorf("quit %q", r.Quit)
				}
				if live := e.live(t); len(live) != 0 {
					t.Errorf("live after poplib deleted all: %v", live)
				}
				if ts := e.tombstones(t); !ts[ids[0]] || !ts[ids[1]] {
					t.Errorf("tombstones %v, want %v", ts, ids)
				}
			})
		})
	}
}
