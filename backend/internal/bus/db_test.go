package bus

import (
	"context"
	"testing"
	"time"

	"github.com/tessera-mail/tessera/backend/internal/mailbox"
	"github.com/tessera-mail/tessera/backend/internal/store"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// What the CLI publishes through the database reaches a server's relay; what was there
// before the relay started does not.
func TestDBRelay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		pub := DBPublisher{Store: s}
		pub.Publish(mailbox.Change{AccountID: 99, FolderID: 1}) // before the server started
		got := make(chan mailbox.Change, 16)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go relay(ctx, s, func(c mailbox.Change) { got <- c }, nil, 20*time.Millisecond)
		time.Sleep(100 * time.Millisecond)
		pub.Publish(mailbox.Change{AccountID: 7})
		pub.Publish(mailbox.Change{AccountID: 8, FolderID: 3})
		var seen []mailbox.Change
		for len(seen) < 2 {
			select {
			case c := <-got:
				seen = append(seen, c)
			case <-time.After(3 * time.Second):
				t.Fatalf("relayed %v, want two changes", seen)
			}
		}
		if seen[0] != (mailbox.Change{AccountID: 7}) || seen[1] != (mailbox.Change{AccountID: 8, FolderID: 3}) {
			t.Fatalf("relayed %v", seen)
		}
		select {
		case c := <-got:
			t.Fatalf("relayed %v more than once or an old event", c)
		case <-time.After(100 * time.Millisecond):
		}
		// Old events are pruned.
		if n, err := s.PruneEvents(context.Background(), time.Now().Add(time.Minute)); err != nil || n != 3 {
			t.Fatalf("pruned %d, %v; want 3", n, err)
		}
	})
}
