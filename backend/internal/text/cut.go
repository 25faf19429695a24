package text

import "unicode/utf8"

// CutBytes shortens s to at most n bytes without splitting a UTF-8 character, for limits a
// protocol counts in bytes (an EAS body's Truncation). The result is a prefix of s; n <= 0 gives "".
func CutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// CutRunes shortens s to at most n characters, for limits a database counts in characters
// (a MariaDB utf8mb4 varchar(191) holds 191 characters, whatever their bytes). A string that
// fits comes back unchanged; a cut one has any invalid byte replaced by U+FFFD, as Go's rune
// conversion does. n <= 0 gives "".
func CutRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
