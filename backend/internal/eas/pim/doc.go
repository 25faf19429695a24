// Package pim converts contacts, calendar items, tasks and notes between Go values and Exchange ActiveSync ApplicationData (MS-ASCNTC, MS-ASCAL, MS-ASTASK, MS-ASNOTE).
// The values are the domain model of package backend/internal/pim, aliased here (model.go).
package pim
