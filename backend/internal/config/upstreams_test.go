package config

import (
	"maps"
	"testing"
)

func TestMailProxyUpstreamsDefaultToOwnDoors(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"TESSERA_IMAP_LISTEN": "127.0.0.1:1143", "TESSERA_POP3_LISTEN": "0.0.0.0:1110",
		"TESSERA_SUBMISSION_LISTEN": "localhost:1587", // a name: nginx needs an address
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"imap": "127.0.0.1:1143", "pop3": "127.0.0.1:1110", "smtp": "127.0.0.1:25"}
	if got := c.MailProxyUpstreams(); !maps.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	c, err = Load(envOf(map[string]string{"TESSERA_IMAP_LISTEN": "[::]:1143"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.MailProxyUpstreams()["imap"]; got != "[::1]:1143" {
		t.Fatalf("imap on :: goes to %q", got)
	}
	// Nothing configured: the built-in defaults.
	c, _ = Load(envOf(nil))
	if got := c.MailProxyUpstreams(); !maps.Equal(got, Default().MailUpstreams) {
		t.Fatalf("no doors: %v", got)
	}
}

func TestMailProxyUpstreamsExplicitWins(t *testing.T) {
	c, err := Load(envOf(map[string]string{"TESSERA_IMAP_LISTEN": "127.0.0.1:1143", "TESSERA_MAIL_UPSTREAMS": "imap=10.0.0.5:143"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.MailProxyUpstreams(); !maps.Equal(got, map[string]string{"imap": "10.0.0.5:143"}) {
		t.Fatalf("got %v", got)
	}
	got := c.MailProxyUpstreams()
	got["pop3"] = "changed"
	if _, ok := c.MailUpstreams["pop3"]; ok {
		t.Fatal("the caller's map is the configuration's")
	}
}
