// Package store is Tessera's persistence: GORM models, versioned migrations and queries, the same on SQLite and MySQL.
//
// Two things happen under the models rather than in them: an item's MIME is stored deflated
// (mimecodec.go), and mail is indexed for substring search as it is stored, changed and
// deleted (searchterms.go, searchindex.go); searches read the index's candidates and confirm
// them with their old predicate, unless the index proves the match (searchexact.go).
package store
