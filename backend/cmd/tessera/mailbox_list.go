package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tessera-mail/tessera/backend/internal/app"
	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

// folderView is what `mailbox folders --json` prints of a folder.
type folderView struct {
	ID        uint64 `json:"id"`
	Path      string `json:"path"`
	Type      string `json:"type"`
	Class     string `json:"class"`
	Items     int64  `json:"items"`
	ChangeSeq int64  `json:"changeSeq"`
}

// messageView is what `mailbox list --json` prints of a message: never its body.
type messageView struct {
	ID      uint64    `json:"id"`
	Date    time.Time `json:"date"`
	From    string    `json:"from"`
	Subject string    `json:"subject"`
	Size    int64     `json:"size"`
	Flags   []string  `json:"flags"`
}

var folderTypeNames = map[int]string{
	mailbox.TypeUserGeneric: "user", mailbox.TypeInbox: "inbox", mailbox.TypeDrafts: "drafts",
	mailbox.TypeDeletedItems: "deleted", mailbox.TypeSentItems: "sent", mailbox.TypeOutbox: "outbox",
	mailbox.TypeTasks: "tasks", mailbox.TypeCalendar: "calendar", mailbox.TypeContacts: "contacts",
	mailbox.TypeNotes: "notes", mailbox.TypeUserMail: "user-mail",
}

// listBatch is how many changes are read at a time while listing a folder.
const listBatch = 500

func mailboxFoldersCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "folders EMAIL [--json]",
		Short: "List every folder of an account (mail, calendar, contacts, tasks, notes) with its item count",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return absent("account "+strings.ToLower(strings.TrimSpace(a[0])), err)
				}
				fs, err := ap.Mailbox.Folders(ctx, acct.ID)
				if err != nil {
					return err
				}
				paths := folderPaths(fs)
				views := make([]folderView, len(fs))
				for i, f := range fs {
					live, _, err := ap.Mailbox.CountChanges(ctx, f.ID, 0)
					if err != nil {
						return err
					}
					views[i] = folderView{ID: f.ID, Path: paths[f.ID], Type: typeName(f.Type), Class: f.Class, Items: live, ChangeSeq: f.LastSeq}
				}
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(views)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tFOLDER\tTYPE\tCLASS\tITEMS\tCHANGE SEQ")
				for _, v := range views {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%d\n", v.ID, v.Path, v.Type, v.Class, v.Items, v.ChangeSeq)
				}
				return w.Flush()
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func mailboxListCmd() *cobra.Command {
	var asJSON bool
	var folder string
	c := &cobra.Command{
		Use:   "list EMAIL [--folder NAME] [--json]",
		Short: "List the messages of a folder (default Inbox): id, date, sender, subject, size, flags; never bodies",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			return withApp(func(ctx context.Context, ap *app.App) error {
				acct, err := ap.Accounts.Get(ctx, a[0])
				if err != nil {
					return absent("account "+strings.ToLower(strings.TrimSpace(a[0])), err)
				}
				fs, err := ap.Mailbox.Folders(ctx, acct.ID)
				if err != nil {
					return err
				}
				f, err := findFolder(fs, folder)
				if err != nil {
					return err
				}
				views := []messageView{}
				for seq := int64(0); ; {
					items, err := ap.Mailbox.Changes(ctx, f.ID, seq, listBatch)
					if err != nil {
						return err
					}
					for _, it := range items {
						if !it.Deleted {
							views = append(views, viewMessage(&it))
						}
					}
					if len(items) < listBatch {
						break
					}
					seq = items[len(items)-1].ModSeq
				}
				sort.SliceStable(views, func(i, j int) bool {
					if !views[i].Date.Equal(views[j].Date) {
						return views[i].Date.Before(views[j].Date)
					}
					return views[i].ID < views[j].ID
				})
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(views)
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tDATE\tFROM\tSUBJECT\tSIZE\tFLAGS")
				for _, v := range views {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\n", v.ID, v.Date.Format(time.RFC3339), oneLine(v.From), oneLine(v.Subject), v.Size, strings.Join(v.Flags, ","))
				}
				return w.Flush()
			})
		},
	}
	c.Flags().StringVar(&folder, "folder", "Inbox", "folder name or path (Parent/Child); case does not matter")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func viewMessage(it *store.Item) messageView {
	v := messageView{ID: it.ID, Date: it.ReceivedAt.UTC(), From: it.FromAddr, Subject: it.Subject, Size: it.Size, Flags: []string{}}
	if it.Read {
		v.Flags = append(v.Flags, "seen")
	}
	if it.Flagged {
		v.Flags = append(v.Flags, "flagged")
	}
	return v
}

// findFolder finds a folder by its path or, when that is unique, by its own name.
func findFolder(fs []store.Folder, name string) (*store.Folder, error) {
	want := strings.TrimSpace(name)
	paths := folderPaths(fs)
	var byName []*store.Folder
	for i := range fs {
		if strings.EqualFold(paths[fs[i].ID], want) {
			return &fs[i], nil
		}
		if strings.EqualFold(fs[i].DisplayName, want) {
			byName = append(byName, &fs[i])
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
		return nil, fmt.Errorf("folder %q does not exist (tessera mailbox folders EMAIL lists them)", want)
	default:
		return nil, fmt.Errorf("several folders are called %q: give the path (tessera mailbox folders EMAIL lists them)", want)
	}
}

// folderPaths names each folder by its path from the top, Parent/Child.
func folderPaths(fs []store.Folder) map[uint64]string {
	byID := make(map[uint64]*store.Folder, len(fs))
	for i := range fs {
		byID[fs[i].ID] = &fs[i]
	}
	out := make(map[uint64]string, len(fs))
	for _, f := range fs {
		parts := []string{f.DisplayName}
		seen := map[uint64]bool{f.ID: true}
		for p := byID[f.ParentID]; p != nil && !seen[p.ID]; p = byID[p.ParentID] {
			seen[p.ID] = true
			parts = append([]string{p.DisplayName}, parts...)
		}
		out[f.ID] = strings.Join(parts, "/")
	}
	return out
}

func typeName(t int) string {
	if n, ok := folderTypeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("type-%d", t)
}

// oneLine keeps a header value on its table row.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
