// Package pim converts contacts, calendar items, tasks and notes between Go values and Exchange ActiveSync ApplicationData (MS-ASCNTC, MS-ASCAL, MS-ASTASK, MS-ASNOTE).
package pim
