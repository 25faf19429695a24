package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// device is one seeded phone with the state a worker keeps for it.
type device struct {
	p     *easclient.Client
	inbox string
	key   string // Inbox SyncKey for sync, hierarchy SyncKey for eas-rps
}

// devicesOf gives worker w its own share of the accounts user1..userN (a device's SyncKeys
// must not be used by two workers at once) and runs FolderSync 0 on each.
func devicesOf(o loadOptions, w int, hc *http.Client) ([]*device, error) {
	if o.Accounts < o.Concurrency {
		return nil, fmt.Errorf("--accounts (%d) must be at least --concurrency (%d)", o.Accounts, o.Concurrency)
	}
	var out []*device
	for i := 1 + w; i <= o.Accounts; i += o.Concurrency {
		p := phoneFor(o.urlFor(i), i, hc)
		fs, err := p.FolderSync("0")
		if err != nil {
			return nil, err
		}
		if fs.Body == nil || fs.Body.TextOf("Status") != "1" {
			return nil, fmt.Errorf("%s: FolderSync 0: HTTP %d %s", user(i), fs.HTTPStatus, fs.Raw)
		}
		d := &device{p: p, key: fs.Body.TextOf("SyncKey"), inbox: inboxOf(fs.Body)}
		out = append(out, d)
	}
	return out, nil
}

func inboxOf(fs *wbxml.Node) string {
	for _, a := range fs.Child("Changes").All("Add") {
		if a.TextOf("Type") == "2" {
			return a.TextOf("ServerId")
		}
	}
	return ""
}

// runSync measures EAS Sync throughput. Each device syncs its Inbox round after round, as a
// phone does after a reset: Sync with key 0, Syncs of Window messages with the key of the
// previous answer until nothing more is available, then one Sync that finds no changes (the
// most common request of a phone in use), then key 0 again. Every request but the first of
// a round carries a valid SyncKey.
func runSync(o loadOptions, window int) error {
	hc := httpClient(o.Concurrency)
	opts := wbxml.New("AirSync:Options", wbxml.NewText("AirSync:FilterType", "0"), wbxml.New("AirSyncBase:BodyPreference",
		wbxml.NewText("AirSyncBase:Type", "1"), wbxml.NewText("AirSyncBase:TruncationSize", "5120")))
	win := wbxml.NewText("AirSync:WindowSize", strconv.Itoa(window))
	r, el, err := runClosedLoop(o, func(w int) (step, error) {
		devs, err := devicesOf(o, w, hc)
		if err != nil {
			return nil, err
		}
		for _, d := range devs {
			d.key = "0"
		}
		next := 0
		return func() (int, error) {
			d := devs[next]
			next = (next + 1) % len(devs)
			if d.key == "0" {
				resp, err := d.p.SyncOne(d.inbox, "0")
				if err != nil {
					return 0, err
				}
				col := easclient.Collection(resp.Body, d.inbox)
				if col == nil || col.TextOf("AirSync:SyncKey") == "" {
					return 0, fmt.Errorf("%s: Sync 0: HTTP %d", d.p.User, resp.HTTPStatus)
				}
				d.key = col.TextOf("AirSync:SyncKey")
				return 0, nil
			}
			resp, err := d.p.SyncOne(d.inbox, d.key, win, opts)
			if err != nil {
				return 0, err
			}
			if resp.HTTPStatus != http.StatusOK {
				return 0, fmt.Errorf("%s: Sync: HTTP %d", d.p.User, resp.HTTPStatus)
			}
			col := easclient.Collection(resp.Body, d.inbox)
			if col == nil { // an empty answer: no changes since the key; the round starts over
				d.key = "0"
				return 0, nil
			}
			if s := col.TextOf("AirSync:Status"); s != "1" {
				return 0, fmt.Errorf("%s: Sync: Status %s", d.p.User, s)
			}
			d.key = col.TextOf("AirSync:SyncKey")
			return len(col.Child("AirSync:Commands").All("AirSync:Add")), nil
		}, nil
	})
	if err != nil {
		return err
	}
	fig := rateSummary(r, el, "requests") + fmt.Sprintf(", %s messages/s", thousands(float64(r.items)/el.Seconds()))
	return o.Record.add(fmt.Sprintf("EAS Sync (%d devices, window %d)", o.Accounts, window), fig)
}

// runEASRate measures authenticated EAS requests per second with the cheapest real command:
// FolderSync with the device's current key (Basic auth with an EAS password, the device
// lookup, the hierarchy state and the folder list; nothing changed, so nothing is written).
// "options" measures the HTTP OPTIONS a phone sends first: Basic auth alone.
func runEASRate(o loadOptions, cmd string) error {
	hc := httpClient(o.Concurrency)
	var what string
	var setup func(w int) (step, error)
	switch cmd {
	case "foldersync":
		what = "authenticated EAS requests (FolderSync, current key)"
		setup = func(w int) (step, error) {
			devs, err := devicesOf(o, w, hc)
			if err != nil {
				return nil, err
			}
			next := 0
			return func() (int, error) {
				d := devs[next]
				next = (next + 1) % len(devs)
				resp, err := d.p.FolderSync(d.key)
				if err != nil {
					return 0, err
				}
				if resp.Body == nil || resp.Body.TextOf("Status") != "1" {
					return 0, fmt.Errorf("%s: FolderSync: HTTP %d %s", d.p.User, resp.HTTPStatus, resp.Raw)
				}
				d.key = resp.Body.TextOf("SyncKey")
				return 0, nil
			}, nil
		}
	case "options":
		what = "authenticated EAS OPTIONS (Basic auth only)"
		setup = func(w int) (step, error) {
			i := 1 + w%max(o.Accounts, 1)
			url := o.urlFor(i) + "/Microsoft-Server-ActiveSync"
			return func() (int, error) {
				req, _ := http.NewRequest(http.MethodOptions, url, nil)
				req.SetBasicAuth(user(i), secret(i))
				resp, err := hc.Do(req)
				if err != nil {
					return 0, err
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return 0, fmt.Errorf("OPTIONS: HTTP %d", resp.StatusCode)
				}
				return 0, nil
			}, nil
		}
	default:
		return fmt.Errorf("--cmd: want foldersync or options, got %q", cmd)
	}
	r, el, err := runClosedLoop(o, setup)
	if err != nil {
		return err
	}
	return o.Record.add(what, rateSummary(r, el, "requests"))
}
