package eas

import (
	"encoding/base64"
	"net/http/httptest"
	"net/url"
	"testing"
)

// The DeviceId is read before authentication (its own throttle counter, package authn), from
// both query forms; anything invalid is no device at all.
func TestDeviceIDOf(t *testing.T) {
	raw := append([]byte{141, 0, 0x09, 0x04, 15}, "Appl79032X2WA4S"...)
	raw = append(append(raw, 0, 6), "iPhone"...)
	for q, want := range map[string]string{
		"Cmd=Sync&User=a&DeviceId=Phone1&DeviceType=x":          "Phone1",
		url.QueryEscape(base64.StdEncoding.EncodeToString(raw)): "Appl79032X2WA4S",
		"Cmd=Sync&DeviceId=ab-c":                                "",
		"":                                                      "",
		"!!!!":                                                  "",
		base64.StdEncoding.EncodeToString(raw[:8]): "",
	} {
		r := httptest.NewRequest("OPTIONS", "/Microsoft-Server-ActiveSync?"+q, nil)
		if got := deviceIDOf(r); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
}
