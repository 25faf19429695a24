package main

import (
	"fmt"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// runInitialSync syncs user0's Inbox from key 0 to the end, as a new phone would.
func runInitialSync(url string, rec recordOptions) error {
	p := &easclient.Client{BaseURL: url, User: user(0), Pass: secret(0), DeviceID: "initialsync", DeviceType: "LoadPhone", Version: "14.1"}
	start := time.Now()
	if _, err := p.Provision(); err != nil {
		return err
	}
	fs, err := p.FolderSync("0")
	if err != nil || fs.Body == nil {
		return fmt.Errorf("FolderSync: %v", err)
	}
	inbox := ""
	for _, a := range fs.Body.Child("Changes").All("Add") {
		if a.TextOf("Type") == "2" {
			inbox = a.TextOf("ServerId")
		}
	}
	r, err := p.SyncOne(inbox, "0")
	if err != nil {
		return err
	}
	key := easclient.Collection(r.Body, inbox).TextOf("AirSync:SyncKey")
	opts := wbxml.New("AirSync:Options", wbxml.NewText("AirSync:FilterType", "0"), wbxml.New("AirSyncBase:BodyPreference",
		wbxml.NewText("AirSyncBase:Type", "1"), wbxml.NewText("AirSyncBase:TruncationSize", "5120")))
	total, rounds, bytes := 0, 0, 0
	for {
		r, err := p.SyncOne(inbox, key, wbxml.NewText("AirSync:WindowSize", "512"), opts)
		if err != nil {
			return err
		}
		rounds++
		bytes += len(r.Raw)
		col := easclient.Collection(r.Body, inbox)
		if col == nil {
			break
		}
		total += len(col.Child("AirSync:Commands").All("AirSync:Add"))
		key = col.TextOf("AirSync:SyncKey")
		if !col.Has("AirSync:MoreAvailable") {
			break
		}
	}
	el := time.Since(start)
	return rec.add("initial sync of a big Inbox (window 512)",
		fmt.Sprintf("%s messages in %.2f s, %d Sync requests (%.1f MB of WBXML), %s messages/s",
			thousands(float64(total)), el.Seconds(), rounds, float64(bytes)/1e6, thousands(float64(total)/el.Seconds())))
}
