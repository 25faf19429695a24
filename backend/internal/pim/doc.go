// Package pim is the model of contacts, calendar items, tasks and notes: the values whose JSON
// is a PIM item's Props in the store, shared by the doors that carry them (EAS through
// eas/pim's WBXML codec, CalDAV/CardDAV through dav). Its shape follows ActiveSync's classes
// (MS-ASCNTC, MS-ASCAL, MS-ASTASK, MS-ASNOTE), the first door that had them, and the EAS time
// zone (TimeZone, a Windows TIME_ZONE_INFORMATION) with its parsing and offsets.
package pim
