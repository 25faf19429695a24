package admin

import (
	"encoding/csv"
	"io"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// AuditItem is an audit event as the API and `tessera audit --format json` show it.
type AuditItem struct {
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Account  string    `json:"account"`
	Kind     string    `json:"kind"`
	Outcome  string    `json:"outcome"`
	Reason   string    `json:"reason"`
	ClientIP string    `json:"clientIp"`
}

// AuditItems converts stored events for output.
func AuditItems(events []store.AuditEvent) []AuditItem {
	out := make([]AuditItem, len(events))
	for i, e := range events {
		out[i] = AuditItem{At: e.At.UTC(), Actor: e.Actor, Account: e.Account, Kind: e.Action, Outcome: e.Outcome, Reason: e.Reason, ClientIP: e.ClientIP}
	}
	return out
}

// WriteAuditCSV writes events as the CSV export (the API's format=csv and the CLI's --format csv).
func WriteAuditCSV(w io.Writer, events []store.AuditEvent) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"time", "actor", "account", "kind", "outcome", "reason", "client_ip"})
	for _, e := range events {
		_ = cw.Write([]string{e.At.UTC().Format(time.RFC3339), e.Actor, e.Account, e.Action, e.Outcome, e.Reason, e.ClientIP})
	}
	cw.Flush()
	return cw.Error()
}
