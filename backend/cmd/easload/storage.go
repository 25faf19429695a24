package main

import (
	"context"
	"fmt"

	"github.com/tessera-mail/tessera/backend/internal/store"
)

// storageFigures reports what the search account's mail takes in the database against its raw
// size (the MIME as delivered): the content columns (MIME, text and HTML bodies), and the
// tables on disk, the items' and the search index's, per raw byte of all mail stored.
func storageFigures(ctx context.Context, st *store.Store, accountID uint64, o searchOptions) error {
	db := st.Gorm().WithContext(ctx)
	var c struct{ Raw, Mime, Text, HTML, N int64 }
	if err := db.Raw(`SELECT COALESCE(SUM(size),0) AS raw, COALESCE(SUM(LENGTH(mime)),0) AS mime, COALESCE(SUM(LENGTH(body_text)),0) AS text,
		COALESCE(SUM(LENGTH(body_html)),0) AS html, COUNT(*) AS n FROM items WHERE account_id = ? AND deleted = ?`, accountID, false).Scan(&c).Error; err != nil {
		return err
	}
	if c.Raw == 0 {
		return nil
	}
	var all int64
	if err := db.Raw("SELECT COALESCE(SUM(size),0) FROM items WHERE deleted = ?", false).Scan(&all).Error; err != nil {
		return err
	}
	ratio := func(b int64) string { return fmt.Sprintf("%.2f×", float64(b)/float64(c.Raw)) }
	if err := o.Record.add(fmt.Sprintf("storage: message content per raw byte (%d messages, %d bytes each on average)", c.N, c.Raw/c.N),
		fmt.Sprintf("%s (MIME %s, text body %s, HTML body %s)", ratio(c.Mime+c.Text+c.HTML), ratio(c.Mime), ratio(c.Text), ratio(c.HTML))); err != nil {
		return err
	}
	sizes := map[string]int64{}
	for _, t := range []string{"items", "search_postings", "search_suffixes"} {
		var b int64
		var err error
		if st.Dialect() == "mysql" {
			err = db.Raw("SELECT COALESCE(SUM(data_length + index_length),0) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", t).Scan(&b).Error
		} else {
			err = db.Raw("SELECT COALESCE(SUM(pgsize),0) FROM dbstat WHERE name = ? OR tbl_name = ?", t, t).Scan(&b).Error
		}
		if err != nil {
			return fmt.Errorf("size of %s: %w", t, err)
		}
		sizes[t] = b
	}
	per := func(b int64) string { return fmt.Sprintf("%.2f×", float64(b)/float64(all)) }
	return o.Record.add("storage: tables on disk per raw byte of all mail stored",
		fmt.Sprintf("items %s, search index %s (postings %s, suffixes %s)", per(sizes["items"]),
			per(sizes["search_postings"]+sizes["search_suffixes"]), per(sizes["search_postings"]), per(sizes["search_suffixes"])))
}
