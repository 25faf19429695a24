package eas

import (
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParsePlainQuery(t *testing.T) {
	r := httptest.NewRequest("POST", "/Microsoft-Server-ActiveSync?Cmd=Sync&User=alice%40example.com&DeviceId=Appl79032X2WA4S&DeviceType=iPhone&CollectionId=5", nil)
	r.Header.Set("MS-ASProtocolVersion", "14.1")
	r.Header.Set("X-MS-PolicyKey", "3942919513")
	req, err := ParseRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	if req.Cmd != "Sync" || req.User != "alice@example.com" || req.DeviceID != "Appl79032X2WA4S" || req.DeviceType != "iPhone" ||
		req.ProtocolVersion != "14.1" || req.PolicyKey != "3942919513" || req.Params["CollectionId"] != "5" {
		t.Fatalf("req = %+v", req)
	}
	if !req.AtLeast("14.0") || req.AtLeast("16.0") {
		t.Fatal("AtLeast")
	}
}

// MS-ASHTTP 2.2.1.1.1.1 example of the base64 form.
func TestParseBase64Query(t *testing.T) {
	raw := []byte{141, 0, 0x09, 0x04} // 14.1, Sync, locale en-US
	raw = append(raw, 15)
	raw = append(raw, []byte("Appl79032X2WA4S")...)
	raw = append(raw, 4, 89, 45, 4, 235) // policy key 3942919513 little endian
	raw = append(raw, 6)
	raw = append(raw, []byte("iPhone")...)
	raw = append(raw, 8, 17)
	raw = append(raw, []byte("alice@example.com")...)
	raw = append(raw, 1, 1, '5', 7, 1, 0x01)
	r := httptest.NewRequest("POST", "/Microsoft-Server-ActiveSync?"+base64.StdEncoding.EncodeToString(raw), nil)
	req, err := ParseRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	if req.Cmd != "Sync" || req.ProtocolVersion != "14.1" || req.DeviceID != "Appl79032X2WA4S" || req.DeviceType != "iPhone" ||
		req.User != "alice@example.com" || req.Params["CollectionId"] != "5" || req.Params["SaveInSent"] != "T" || req.PolicyKey != "3942919513" {
		t.Fatalf("req = %+v", req)
	}
	// Truncations never panic; inside the fixed part (up to DeviceType) they are a clean 400.
	// (Cut at a parameter boundary, the rest is a valid shorter request.)
	header := 4 + 1 + 15 + 1 + 4 + 1 + 6
	for i := 0; i < len(raw); i++ {
		r := httptest.NewRequest("POST", "/Microsoft-Server-ActiveSync?"+base64.StdEncoding.EncodeToString(raw[:i]), nil)
		_, err := ParseRequest(r)
		if i < header && !errors.Is(err, ErrBadRequest) {
			t.Fatalf("truncated at %d: %v", i, err)
		}
		if err != nil && !errors.Is(err, ErrBadRequest) {
			t.Fatalf("truncated at %d: %v", i, err)
		}
	}
}

func TestBadRequests(t *testing.T) {
	for name, q := range map[string]string{
		"no command":       "User=a&DeviceId=abc&DeviceType=x",
		"bad device id":    "Cmd=Sync&User=a&DeviceId=ab-c&DeviceType=x",
		"long device id":   "Cmd=Sync&User=a&DeviceId=" + strings.Repeat("a", 33) + "&DeviceType=x",
		"no device type":   "Cmd=Sync&User=a&DeviceId=abc",
		"garbage base64":   "!!!!",
		"unknown cmd code": base64.StdEncoding.EncodeToString([]byte{141, 99, 0, 0, 1, 'a', 0, 1, 'b'}),
	} {
		r := httptest.NewRequest("POST", "/Microsoft-Server-ActiveSync?"+q, nil)
		r.Header.Set("MS-ASProtocolVersion", "14.1")
		if _, err := ParseRequest(r); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	r := httptest.NewRequest("POST", "/Microsoft-Server-ActiveSync?Cmd=Sync&User=a&DeviceId=abc&DeviceType=x", nil)
	r.Header.Set("MS-ASProtocolVersion", "2.5")
	if _, err := ParseRequest(r); !errors.Is(err, ErrBadRequest) {
		t.Errorf("old version accepted: %v", err)
	}
}
