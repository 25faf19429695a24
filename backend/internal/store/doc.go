// Package store is Tessera's persistence: GORM models, versioned migrations and queries, the same on SQLite and MySQL.
package store
