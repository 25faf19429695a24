package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// storageFigures reports what the search account's mail takes in the database against its raw
// size (the MIME as delivered): the content columns (MIME, text and HTML bodies), and the
// tables on disk, the items' and the search index's, per raw byte of all mail stored.
func storageFigures(ctx context.Context, st *store.Store, accountID uint64, o searchOptions) error {
	if err := contentFigure(ctx, st, accountID, "generated mail of search@"+loadDomain, o); err != nil {
		return err
	}
	// The short messages of easload seed (user0's Inbox in make perf): what 1.37× was measured on.
	if a, err := st.AccountByEmail(ctx, user(0)); err == nil {
		if err := contentFigure(ctx, st, a.ID, "easload seed messages of "+user(0), o); err != nil {
			return err
		}
	}
	db := st.Gorm().WithContext(ctx)
	var all int64
	if err := db.Raw("SELECT COALESCE(SUM(size),0) FROM items WHERE deleted = ?", false).Scan(&all).Error; err != nil {
		return err
	}
	if all == 0 {
		return nil
	}
	sizes, err := tableSizes(st, "items", "search_postings", "search_suffixes")
	if err != nil {
		return err
	}
	per := func(b int64) string { return fmt.Sprintf("%.2f×", float64(b)/float64(all)) }
	return o.Record.add("storage: tables on disk per raw byte of all mail stored",
		fmt.Sprintf("items %s, search index %s (postings %s, suffixes %s)", per(sizes["items"]),
			per(sizes["search_postings"]+sizes["search_suffixes"]), per(sizes["search_postings"]), per(sizes["search_suffixes"])))
}

// contentFigure: the stored MIME, text and HTML bodies of an account's mail per raw byte.
func contentFigure(ctx context.Context, st *store.Store, accountID uint64, what string, o searchOptions) error {
	db := st.Gorm().WithContext(ctx)
	var c struct{ Raw, Mime, Text, HTML, N int64 }
	if err := db.Raw(`SELECT COALESCE(SUM(size),0) AS raw, COALESCE(SUM(LENGTH(mime)),0) AS mime, COALESCE(SUM(LENGTH(body_text)),0) AS text,
		COALESCE(SUM(LENGTH(body_html)),0) AS html, COUNT(*) AS n FROM items WHERE account_id = ? AND deleted = ?`, accountID, false).Scan(&c).Error; err != nil {
		return err
	}
	if c.Raw == 0 {
		return nil
	}
	ratio := func(b int64) string { return fmt.Sprintf("%.2f×", float64(b)/float64(c.Raw)) }
	return o.Record.add(fmt.Sprintf("storage: message content per raw byte, %s (%d messages, %d bytes each on average)", what, c.N, c.Raw/c.N),
		fmt.Sprintf("%s (MIME %s, text body %s, HTML body %s)", ratio(c.Mime+c.Text+c.HTML), ratio(c.Mime), ratio(c.Text), ratio(c.HTML)))
}

// tableSizes measures tables with their indexes: MySQL says it in information_schema (InnoDB's
// estimate, refreshed by ANALYZE TABLE); this SQLite build has no dbstat, so a compact copy of
// the database (VACUUM INTO) is measured before and after dropping each table.
func tableSizes(st *store.Store, tables ...string) (map[string]int64, error) {
	db := st.Gorm()
	out := map[string]int64{}
	if st.Dialect() == "mysql" {
		for _, t := range tables {
			var b int64
			if err := db.Exec("ANALYZE TABLE " + t).Error; err != nil {
				return nil, err
			}
			if err := db.Raw("SELECT COALESCE(SUM(data_length + index_length),0) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", t).Scan(&b).Error; err != nil {
				return nil, err
			}
			out[t] = b
		}
		return out, nil
	}
	dir, err := os.MkdirTemp("", "easload-size")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "copy.db")
	if err := db.Exec("VACUUM INTO ?", file).Error; err != nil {
		return nil, err
	}
	size := func(c *sql.DB) (int64, error) {
		var pages, pageSize int64
		if err := c.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
			return 0, err
		}
		err := c.QueryRow("PRAGMA page_size").Scan(&pageSize)
		return pages * pageSize, err
	}
	c, err := sql.Open("sqlite", file)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	prev, err := size(c)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if _, err := c.Exec("DROP TABLE " + t); err != nil {
			return nil, err
		}
		if _, err := c.Exec("VACUUM"); err != nil {
			return nil, err
		}
		now, err := size(c)
		if err != nil {
			return nil, err
		}
		out[t], prev = prev-now, now
	}
	return out, nil
}
