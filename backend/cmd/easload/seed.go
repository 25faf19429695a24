package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tessera-mail/tessera/backend/internal/authn"
	"github.com/tessera-mail/tessera/backend/internal/config"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/password"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

const loadDomain = "load.test"

func user(i int) string     { return "user" + strconv.Itoa(i) + "@" + loadDomain }
func secret(i int) string   { return fmt.Sprintf("LOAD%012d", i) }
func deviceID(i int) string { return "load" + strconv.Itoa(i) }

// appSecret is account i's application passcode: the IMAP measurements log in with it.
func appSecret(i int) string { return fmt.Sprintf("MAIL%012d", i) }

// loadPassword is every seeded account's web password (api-rps and logins sign in with it).
const loadPassword = "Load-Test-Password-2026"

// seed writes accounts with an EAS password and an application passcode each, a provisioned device with its folder
// hierarchy and Inbox state (so Pings need no setup requests), messages into user0's Inbox, and
// syncMessages into the Inbox of each of user1..userN (N = syncAccounts) for the sync measurement.
func seed(cfg config.Config, accounts, messages, syncAccounts, syncMessages int) error {
	ctx := context.Background()
	key, err := cfg.Key()
	if err != nil {
		return err
	}
	dsn := cfg.DBDSN
	if cfg.DBDriver == "sqlite" {
		dsn = cfg.SQLiteDSN()
	}
	st, err := store.Open(cfg.DBDriver, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(); err != nil {
		return err
	}
	d, err := st.CreateDomain(ctx, loadDomain)
	if err != nil {
		return fmt.Errorf("create %s (seed a fresh database): %w", loadDomain, err)
	}
	hash, err := password.Hash(loadPassword) // one hash for all: the same argon2id cost at every login
	if err != nil {
		return err
	}
	hasher := authn.NewHasher(key)
	appServices := strings.Join(authn.ServicesOf(store.KindAppPasscode), ",")
	db := st.Gorm()
	start := time.Now()
	const batch = 500
	for lo := 0; lo < accounts; lo += batch {
		hi := min(lo+batch, accounts)
		var accts []store.Account
		for i := lo; i < hi; i++ {
			accts = append(accts, store.Account{Email: user(i), DomainID: d.ID, PasswordHash: hash, Role: store.RoleUser, Status: store.StatusActive})
		}
		if err := db.Omit("Domain", "COS").CreateInBatches(&accts, batch).Error; err != nil {
			return err
		}
		var creds []store.Credential
		var folders []store.Folder
		var devices []store.Device
		now := time.Now().UTC()
		for k, a := range accts {
			i := lo + k
			creds = append(creds, store.Credential{AccountID: a.ID, Kind: store.KindEAS, Label: "load", LabelKey: "load",
				SecretHash: hasher.HashSecret(store.KindEAS, secret(i)), Status: store.CredEnabled, Services: "eas"},
				store.Credential{AccountID: a.ID, Kind: store.KindAppPasscode, Label: "mail", LabelKey: "mail",
					SecretHash: hasher.HashSecret(store.KindAppPasscode, appSecret(i)), Status: store.CredEnabled, Services: appServices})
			for _, f := range []struct {
				name string
				typ  int
				cls  string
			}{{"Inbox", mailbox.TypeInbox, mailbox.ClassEmail}, {"Drafts", mailbox.TypeDrafts, mailbox.ClassEmail},
				{"Deleted Items", mailbox.TypeDeletedItems, mailbox.ClassEmail}, {"Sent Items", mailbox.TypeSentItems, mailbox.ClassEmail},
				{"Outbox", mailbox.TypeOutbox, mailbox.ClassEmail}, {"Calendar", mailbox.TypeCalendar, mailbox.ClassCalendar},
				{"Contacts", mailbox.TypeContacts, mailbox.ClassContacts}, {"Tasks", mailbox.TypeTasks, mailbox.ClassTasks},
				{"Notes", mailbox.TypeNotes, mailbox.ClassNotes}} {
				folders = append(folders, store.Folder{AccountID: a.ID, DisplayName: f.name, Type: f.typ, Class: f.cls, UIDNext: 1})
			}
			devices = append(devices, store.Device{AccountID: a.ID, DeviceID: deviceID(i), DeviceType: "LoadPhone",
				ProtocolVersion: "14.1", PolicyKey: "1", FirstSyncAt: now, LastSyncAt: now})
		}
		for _, rows := range []any{&creds, &folders, &devices} {
			if err := db.CreateInBatches(rows, batch).Error; err != nil {
				return err
			}
		}
		// What store.CreateFolder does for IMAP, for the whole batch: UIDVALIDITY is the folder's
		// id (0 is no valid UIDVALIDITY, and UIDNEXT 0 would hand out the invalid UID 0).
		if err := db.Model(&store.Folder{}).Where("id BETWEEN ? AND ?", folders[0].ID, folders[len(folders)-1].ID).
			Update("UIDValidity", gorm.Expr("id")).Error; err != nil {
			return err
		}
		var states []store.SyncState
		for k := range accts {
			fs := folders[k*9 : k*9+9]
			h := map[string]map[string]any{}
			for _, f := range fs {
				h[strconv.FormatUint(f.ID, 10)] = map[string]any{"p": 0, "n": f.DisplayName, "t": f.Type}
			}
			hier, _ := json.Marshal(map[string]any{"f": h})
			inbox, _ := json.Marshal(map[string]any{"v": 2, "s": 0, "f": 0}) // eas collState, version 2
			states = append(states,
				store.SyncState{DeviceID: devices[k].ID, CollectionID: "hierarchy", SyncKey: "1-seed", State: hier},
				store.SyncState{DeviceID: devices[k].ID, CollectionID: strconv.FormatUint(fs[0].ID, 10), SyncKey: "1-seed", State: inbox})
		}
		if err := db.CreateInBatches(&states, batch).Error; err != nil {
			return err
		}
	}
	fmt.Printf("seeded %d accounts with an EAS password, a provisioned device and folders in %s\n", accounts, time.Since(start).Round(time.Millisecond))
	mb := mailbox.New(st, mailbox.NewLocalNotifier())
	// deliver stores n messages into account i's Inbox, the way a delivery does.
	deliver := func(i, n int) error {
		a, err := st.AccountByEmail(ctx, user(i))
		if err != nil {
			return err
		}
		inbox, err := mb.FolderByType(ctx, a.ID, mailbox.TypeInbox)
		if err != nil {
			return err
		}
		for m := 0; m < n; m++ {
			if _, err := mb.Store(ctx, a.ID, inbox.ID, message(m), false); err != nil {
				return err
			}
		}
		return nil
	}
	if messages > 0 {
		start = time.Now()
		if err := deliver(0, messages); err != nil {
			return err
		}
		fmt.Printf("delivered %d messages to %s in %s\n", messages, user(0), time.Since(start).Round(time.Millisecond))
	}
	if syncMessages > 0 && syncAccounts > 0 {
		start = time.Now()
		// MySQL takes writers side by side (one account each); SQLite has one writer anyway.
		workers := 1
		if cfg.DBDriver == "mysql" {
			workers = 8
		}
		next := make(chan int)
		errs := make(chan error, workers)
		for range workers {
			go func() {
				var err error
				for i := range next {
					if err == nil {
						err = deliver(i, syncMessages)
					}
				}
				errs <- err
			}()
		}
		for i := 1; i <= min(syncAccounts, accounts-1); i++ {
			next <- i
		}
		close(next)
		for range workers {
			if err := <-errs; err != nil {
				return err
			}
		}
		fmt.Printf("delivered %d messages each to user1..user%d in %s\n", syncMessages, min(syncAccounts, accounts-1), time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func message(i int) []byte {
	return []byte(fmt.Sprintf("From: \"Load %d\" <load%d@example.org>\r\nTo: %s\r\nSubject: Load test message %d\r\n"+
		"Date: %s\r\nMessage-ID: <load%d@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"This is message %d of the load test. It has a few lines of text so that it looks like mail.\r\n"+
		"Regards,\r\nThe load generator\r\n", i, i, user(0), i, time.Now().Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), i, i))
}
