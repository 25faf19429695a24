package pim

import (
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

func TestGhost16Calendar(t *testing.T) {
	// The stored item as the server sent it to a 16.1 device...
	stored := &Event{Subject: "Jour fixe", Location: "Raum Elbe", Start: utc("20260915T080000Z"), End: utc("20260915T090000Z"),
		Body: "Agenda", Categories: []string{"Team"}, Reminder: ptr(15), Zone: &berlinRule, UID: "u1",
		Attendees: []Attendee{{Email: "b@x", Name: "B", Type: 1}}}
	// ...and a Change that only moves it and renames it.
	change := wrap([]*wbxml.Node{
		wbxml.NewText("Calendar:Subject", "Jour fixe (neu)"),
		wbxml.NewText("Calendar:StartTime", "20260915T090000Z"),
		wbxml.NewText("Calendar:EndTime", "20260915T100000Z"),
	})
	got, err := DecodeEvent(Ghost(change, EncodeEvent(stored, "16.1", 0), GhostAll))
	if err != nil {
		t.Fatal(err)
	}
	want := *stored
	want.Subject, want.Start, want.End = "Jour fixe (neu)", utc("20260915T090000Z"), utc("20260915T100000Z")
	want.TimeZone, want.Zone = wEurope, &berlinRule
	same(t, got, &want)
	if len(change.Children) != 3 {
		t.Fatal("Ghost changed the device's node")
	}
}

func TestGhostSupported(t *testing.T) {
	stored := &Contact{FirstName: "Erika", LastName: "Muster", Email1: "e@x", MobilePhone: "+49 1", Spouse: "Max"}
	// The client listed these when it first synced; it manages them, so an
	// absent one is deleted, and everything else it never sees is kept.
	ghosted := GhostedUnlessSupported([]string{"Contacts:FirstName", "Contacts:LastName", "Contacts:Email1Address", "Contacts:MobilePhoneNumber"})
	change := wrap([]*wbxml.Node{wbxml.NewText("Contacts:FirstName", "Erika"), wbxml.NewText("Contacts:LastName", "Mustermann")})
	got, err := DecodeContact(Ghost(change, EncodeContact(stored, "14.1", 0), ghosted))
	if err != nil {
		t.Fatal(err)
	}
	same(t, got, &Contact{FirstName: "Erika", LastName: "Mustermann", Spouse: "Max"})
	if ghosted("Calendar:Location") {
		t.Error("Calendar:Location must never be ghosted")
	}
}
