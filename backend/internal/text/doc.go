// Package text holds the string helpers that protocol and service code share: cutting a string
// to a column's or a client's limit without splitting a character, and the plain text of an HTML
// body. It imports nothing of the project, so every package may use it.
package text
