package wbxml

import (
	"bytes"
	"fmt"
	"testing"
)

// doc builds bytes from ints (one byte each) and strings (their bytes), so
// that expected encodings read token by token.
func doc(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch v := p.(type) {
		case int:
			b = append(b, byte(v))
		case string:
			b = append(b, v...)
		default:
			panic(fmt.Sprintf("doc: %T", p))
		}
	}
	return b
}

// hdr is the MS-ASWBXML header: WBXML 1.3, public id 1, UTF-8, no string table.
var hdr = []any{0x03, 0x01, 0x6A, 0x00}

func withHdr(parts ...any) []byte { return doc(append(append([]any{}, hdr...), parts...)...) }

// specCases are encodings checked by hand against MS-ASWBXML's token tables;
// the first two are Microsoft's own examples.
var specCases = []struct {
	name  string
	tree  *Node
	bytes []byte
}{
	{
		// MS-ASWBXML section 3.1.5.1: a FolderSync request.
		"MS FolderSync",
		New("FolderHierarchy:FolderSync", NewText("SyncKey", "0")),
		withHdr(0x00, 0x07, 0x56, 0x52, 0x03, "0", 0x00, 0x01, 0x01),
	},
	{
		// MS-ASWBXML section 4 example, a Sync response adding a contact.
		// Microsoft prints the bytes up to "Funk" of FileAs; the rest
		// follows the same rules (FirstName 0x1F, LastName 0x29,
		// AirSyncBase NativeBodyType 0x16, then six ENDs).
		"MS Sync response with contact",
		New("AirSync:Sync", New("Collections", New("Collection",
			NewText("Class", "Contacts"),
			NewText("SyncKey", "2"),
			NewText("CollectionId", "2"),
			NewText("Status", "1"),
			New("Commands", New("Add",
				NewText("ServerId", "2:1"),
				New("ApplicationData",
					New("AirSyncBase:Body",
						NewText("Type", "1"),
						NewText("EstimatedDataSize", "0"),
						NewText("Truncated", "1")),
					NewText("Contacts:FileAs", "Funk, Don"),
					NewText("Contacts:FirstName", "Don"),
					NewText("Contacts:LastName", "Funk"),
					NewText("AirSyncBase:NativeBodyType", "1"))))))),
		withHdr(0x45, 0x5C, 0x4F, 0x50, 0x03, "Contacts", 0x00, 0x01, 0x4B, 0x03, "2", 0x00, 0x01,
			0x52, 0x03, "2", 0x00, 0x01, 0x4E, 0x03, "1", 0x00, 0x01, 0x56, 0x47, 0x4D, 0x03, "2:1", 0x00, 0x01,
			0x5D, 0x00, 0x11, 0x4A, 0x46, 0x03, "1", 0x00, 0x01, 0x4C, 0x03, "0", 0x00, 0x01, 0x4D, 0x03, "1", 0x00, 0x01, 0x01,
			0x00, 0x01, 0x5E, 0x03, "Funk, Don", 0x00, 0x01, 0x5F, 0x03, "Don", 0x00, 0x01, 0x69, 0x03, "Funk", 0x00, 0x01,
			0x00, 0x11, 0x56, 0x03, "1", 0x00, 0x01,
			0x01, 0x01, 0x01, 0x01, 0x01, 0x01),
	},
	{
		"Sync request, SyncKey 0, GetChanges, WindowSize",
		New("AirSync:Sync", New("Collections", New("Collection",
			NewText("SyncKey", "0"), NewText("CollectionId", "1"), New("GetChanges"), NewText("WindowSize", "50")))),
		withHdr(0x45, 0x5C, 0x4F, 0x4B, 0x03, "0", 0x00, 0x01, 0x52, 0x03, "1", 0x00, 0x01,
			0x13, 0x55, 0x03, "50", 0x00, 0x01, 0x01, 0x01, 0x01),
	},
	{
		"Ping on page 13",
		New("Ping:Ping", NewText("HeartbeatInterval", "900"),
			New("Folders", New("Folder", NewText("Id", "5"), NewText("Class", "Email")))),
		withHdr(0x00, 0x0D, 0x45, 0x48, 0x03, "900", 0x00, 0x01, 0x49, 0x4A, 0x4B, 0x03, "5", 0x00, 0x01,
			0x4C, 0x03, "Email", 0x00, 0x01, 0x01, 0x01, 0x01),
	},
	{
		"Email ApplicationData, pages 0 to 2 and back to 0",
		New("AirSync:Sync", New("Collections", New("Collection", New("Commands",
			New("Add", NewText("ServerId", "5:1"),
				New("ApplicationData", NewText("Email:Subject", "Hi"), NewText("Email:Read", "1"))),
			New("Change", NewText("ServerId", "5:2")))))),
		withHdr(0x45, 0x5C, 0x4F, 0x56, 0x47, 0x4D, 0x03, "5:1", 0x00, 0x01,
			0x5D, 0x00, 0x02, 0x54, 0x03, "Hi", 0x00, 0x01, 0x55, 0x03, "1", 0x00, 0x01, 0x01, 0x01,
			0x00, 0x00, 0x48, 0x4D, 0x03, "5:2", 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01),
	},
	{
		"SendMail with opaque Mime",
		New("ComposeMail:SendMail", NewText("ClientId", "1"), New("SaveInSentItems"), NewOpaque("Mime", []byte("hello"))),
		withHdr(0x00, 0x15, 0x45, 0x51, 0x03, "1", 0x00, 0x01, 0x08, 0x50, 0xC3, 0x05, "hello", 0x01, 0x01),
	},
	{
		// 200 = 1<<7 + 72: a two-byte mb_u_int32, 0x81 0x48.
		"opaque length over 127",
		NewOpaque("ComposeMail:Mime", bytes.Repeat([]byte{'x'}, 200)),
		withHdr(0x00, 0x15, 0x50, 0xC3, 0x81, 0x48, string(bytes.Repeat([]byte{'x'}, 200)), 0x01),
	},
	{
		"16.1 Find on page 25",
		New("Find:Find", NewText("SearchId", "1"),
			New("ExecuteSearch", New("MailBoxSearchCriterion", New("Query", NewText("FreeText", "x"))))),
		withHdr(0x00, 0x19, 0x45, 0x46, 0x03, "1", 0x00, 0x01, 0x47, 0x48, 0x49, 0x4B, 0x03, "x", 0x00, 0x01,
			0x01, 0x01, 0x01, 0x01),
	},
	{
		"16.1 MeetingResponse ProposedStartTime",
		New("MeetingResponse:MeetingResponse", New("Request", NewText("UserResponse", "3"),
			NewText("CollectionId", "5"), NewText("RequestId", "5:1"),
			New("SendResponse", NewText("ProposedStartTime", "20260101T100000Z")))),
		withHdr(0x00, 0x08, 0x47, 0x49, 0x4C, 0x03, "3", 0x00, 0x01, 0x46, 0x03, "5", 0x00, 0x01,
			0x48, 0x03, "5:1", 0x00, 0x01, 0x52, 0x50, 0x03, "20260101T100000Z", 0x00, 0x01, 0x01, 0x01, 0x01),
	},
	{
		"Provision 16.1 AccountOnlyRemoteWipe, empty element",
		New("Provision:Provision", New("AccountOnlyRemoteWipe")),
		withHdr(0x00, 0x0E, 0x45, 0x3B, 0x01),
	},
}

func TestSpecExamples(t *testing.T) {
	for _, c := range specCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Marshal(c.tree)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.bytes) {
				t.Errorf("Marshal:\n got % X\nwant % X", got, c.bytes)
			}
			back, err := Unmarshal(c.bytes)
			if err != nil {
				t.Fatal(err)
			}
			if !back.Equal(c.tree) {
				t.Errorf("Unmarshal:\n%s\nwant\n%s", back, c.tree)
			}
		})
	}
}

func TestFolderSyncDecodesToNames(t *testing.T) {
	n, err := Unmarshal(withHdr(0x00, 0x07, 0x56, 0x52, 0x03, "0", 0x00, 0x01, 0x01))
	if err != nil {
		t.Fatal(err)
	}
	if n.Name != "FolderHierarchy:FolderSync" || len(n.Children) != 1 ||
		n.Children[0].Name != "FolderHierarchy:SyncKey" || n.Children[0].Text != "0" {
		t.Fatalf("got %#v / %#v", n, n.Children)
	}
}
