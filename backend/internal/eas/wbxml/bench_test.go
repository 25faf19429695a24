package wbxml

import (
	"fmt"
	"strings"
	"testing"
)

// syncResponse builds a Sync response adding n emails, about what a phone
// receives for a window of 100 items with 500-byte plain-text previews.
func syncResponse(n int) *Node {
	cmds := New("AirSync:Commands")
	for i := range n {
		cmds.Add(New("Add", NewText("ServerId", fmt.Sprintf("1:%d", i)), New("ApplicationData",
			NewText("Email:To", `"Bob Builder" <bob@example.org>`),
			NewText("Email:From", `"Änne Müller" <aenne@example.com>`),
			NewText("Email:Subject", fmt.Sprintf("Message number %d", i)),
			NewText("Email:DateReceived", "2026-03-12T08:15:42.000Z"),
			NewText("Email:DisplayTo", "Bob Builder"),
			NewText("Email:Importance", "1"),
			NewText("Email:Read", "0"),
			New("AirSyncBase:Body", NewText("Type", "1"), NewText("EstimatedDataSize", "500"),
				NewText("Truncated", "1"), NewText("Data", strings.Repeat("Lorem ipsum ", 41))),
			NewText("Email:MessageClass", "IPM.Note"),
			NewText("Email:InternetCPID", "65001"),
			New("Email:Flag"),
			NewText("AirSyncBase:NativeBodyType", "1"),
			NewOpaque("Email2:ConversationId", []byte("0123456789abcdef")))))
	}
	return New("AirSync:Sync", New("Collections", New("Collection",
		NewText("SyncKey", "{5c1e0a7d-33b2-4c0f-8a61-2f9d7e4b6a10}7"),
		NewText("CollectionId", "1"), NewText("Status", "1"), New("MoreAvailable"), cmds)))
}

func BenchmarkEncodeSyncResponse(b *testing.B) {
	tree := syncResponse(100)
	out, _ := Marshal(tree)
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(tree); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSyncResponse(b *testing.B) {
	in, err := Marshal(syncResponse(100))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Unmarshal(in); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchmarkDocumentRoundTrips(t *testing.T) {
	tree := syncResponse(100)
	in, err := Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Unmarshal(in)
	if err != nil || !back.Equal(tree) {
		t.Fatalf("round trip: %v", err)
	}
}
