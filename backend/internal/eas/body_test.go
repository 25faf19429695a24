package eas_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// post sends an EAS command as p would, with extra headers, and returns the answer as it came
// over the wire (no transparent decompression).
func post(t *testing.T, p *eastest.Phone, cmd string, body []byte, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	q := url.Values{"Cmd": {cmd}, "User": {p.User}, "DeviceId": {p.DeviceID}, "DeviceType": {p.DeviceType}}
	req, _ := http.NewRequest("POST", p.BaseURL+"/Microsoft-Server-ActiveSync?"+q.Encode(), bytes.NewReader(body))
	req.SetBasicAuth(p.User, p.Pass)
	req.Header.Set("Content-Type", "application/vnd.ms-sync.wbxml")
	req.Header.Set("MS-ASProtocolVersion", p.Version)
	req.Header.Set("X-MS-PolicyKey", p.PolicyKey)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

// Phones may gzip their requests and ask for gzipped answers. The body limit holds after
// decompression (a gzip bomb gets 413, not the server's memory), and what does not decompress
// is 400, never a 5xx.
func TestEASGzip(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		p, inbox := eastest.Provisioned(t, s, "dev1")
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		for i := 1; i <= 8; i++ {
			if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(i)); err != nil {
				t.Fatal(err)
			}
		}
		syncReq := func(key string) []byte {
			return mustMarshal(t, wbxml.New("Collection", wbxml.NewText("SyncKey", key), wbxml.NewText("CollectionId", inbox)))
		}
		gz := map[string]string{"Content-Encoding": "gzip"}

		// A gzipped request is read like any other.
		resp, raw := post(t, p, "Sync", gzipped(t, syncReq("0")), gz)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("gzipped Sync 0: %d %s %s", resp.StatusCode, resp.Header, raw)
		}
		body, err := wbxml.Unmarshal(raw)
		if err != nil {
			t.Fatal(err)
		}
		key := easclient.Collection(body, inbox).TextOf("AirSync:SyncKey")

		// A big answer to a phone that accepts gzip comes gzipped, and unpacks to WBXML.
		resp, raw = post(t, p, "Sync", gzipped(t, syncReq(key)), map[string]string{"Content-Encoding": "gzip", "Accept-Encoding": "gzip"})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("Sync with Accept-Encoding gzip: %d %v", resp.StatusCode, resp.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) >= len(plain) || resp.Header.Get("Content-Length") != itoa(uint64(len(raw))) {
			t.Fatalf("gzipped %d bytes to %d, Content-Length %s", len(plain), len(raw), resp.Header.Get("Content-Length"))
		}
		body, err = wbxml.Unmarshal(plain)
		if err != nil {
			t.Fatal(err)
		}
		if got := eastest.Adds(easclient.Collection(body, inbox)); len(got) != 8 {
			t.Fatalf("gzipped Sync brought %v", got)
		}
		eastest.LibwbxmlDecodes(t, plain, "Hello 8")
		// Without Accept-Encoding (or with gzip;q=0) the answer is plain.
		for _, accept := range []string{"", "gzip;q=0", "identity"} {
			resp, raw = post(t, p, "Sync", syncReq(key), map[string]string{"Accept-Encoding": accept})
			if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
				t.Fatalf("Accept-Encoding %q: %d %v", accept, resp.StatusCode, resp.Header)
			}
			if _, err := wbxml.Unmarshal(raw); err != nil {
				t.Fatalf("Accept-Encoding %q: %v", accept, err)
			}
		}

		// A gzip bomb: 20 MiB of zeros in some 20 KiB. 413, and the server reads no further.
		bomb := gzipped(t, make([]byte, 20<<20))
		if len(bomb) > 64<<10 {
			t.Fatalf("bomb of %d bytes", len(bomb))
		}
		if resp, raw := post(t, p, "Sync", bomb, gz); resp.StatusCode != 413 {
			t.Fatalf("gzip bomb: %d %s", resp.StatusCode, raw)
		}
		// Corrupt, truncated or not gzip at all: 400.
		good := gzipped(t, syncReq(key))
		flipped := append([]byte(nil), good...)
		flipped[len(flipped)/2] ^= 0xff
		for name, bad := range map[string][]byte{
			"not gzip":      syncReq(key),
			"truncated":     good[:len(good)-6],
			"corrupt":       flipped,
			"bad checksum":  append(append([]byte(nil), good[:len(good)-8]...), 0, 0, 0, 0, 0, 0, 0, 0),
			"header only":   good[:10],
			"gzip of junk!": gzipped(t, []byte{0x03, 0x01, 0x6a, 0x00, 0x45, 0xff, 0xff}),
		} {
			if resp, raw := post(t, p, "Sync", bad, gz); resp.StatusCode != 400 {
				t.Errorf("%s: %d %s", name, resp.StatusCode, raw)
			}
		}
		if resp, _ := post(t, p, "Sync", syncReq(key), map[string]string{"Content-Encoding": "br"}); resp.StatusCode != 415 {
			t.Errorf("Content-Encoding br: %d", resp.StatusCode)
		}
		// An empty gzipped body is an empty body (Sync then repeats the last full request).
		if resp, raw := post(t, p, "Sync", nil, gz); resp.StatusCode != 200 {
			t.Errorf("empty gzipped Sync: %d %s", resp.StatusCode, raw)
		}
		// And the phone goes on syncing.
		if r := eastest.OK(t)(p.SyncOne(inbox, key)); easclient.Collection(r.Body, inbox).TextOf("AirSync:Status") != "1" {
			t.Fatalf("after the bad bodies: %s", r.Body)
		}
	})
}
