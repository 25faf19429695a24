package wbxml_test

import (
	"bytes"
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

func Example() {
	// A FolderSync request as a phone sends it (MS-ASWBXML's own example).
	body := []byte{0x03, 0x01, 0x6A, 0x00, 0x00, 0x07, 0x56, 0x52, 0x03, 0x30, 0x00, 0x01, 0x01}
	req, err := wbxml.Decode(bytes.NewReader(body), 1<<20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Name, req.TextOf("SyncKey"))

	// The response; names without "Page:" take their parent's page.
	resp := wbxml.New("FolderHierarchy:FolderSync",
		wbxml.NewText("Status", "1"),
		wbxml.NewText("SyncKey", "1"),
		wbxml.New("Changes",
			wbxml.NewText("Count", "1"),
			wbxml.New("Add",
				wbxml.NewText("ServerId", "1"),
				wbxml.NewText("ParentId", "0"),
				wbxml.NewText("DisplayName", "Inbox"),
				wbxml.NewText("Type", "2"))))
	out, err := wbxml.Marshal(resp)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("% X\n", out[:8])
	fmt.Print(resp.Child("Changes").Child("Add").XML())
	// Output:
	// FolderHierarchy:FolderSync 0
	// 03 01 6A 00 00 07 56 4C
	// <Add xmlns="FolderHierarchy:">
	//   <ServerId>1</ServerId>
	//   <ParentId>0</ParentId>
	//   <DisplayName>Inbox</DisplayName>
	//   <Type>2</Type>
	// </Add>
}
