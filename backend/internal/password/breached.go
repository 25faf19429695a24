package password

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // the Pwned Passwords list is keyed by SHA-1; nothing is protected by it here
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
)

// A local copy of the "Pwned Passwords" list (haveibeenpwned.com, downloaded with its
// PwnedPasswordsDownloader in SHA-1 mode): one "HASH:COUNT" line per password ever seen in a
// breach, HASH the upper-case hex SHA-1 of the password, sorted by hash, CRLF or LF line ends.
// It is tens of gigabytes, so it is never loaded: a lookup is a binary search over byte
// offsets with ReadAt, about 35 reads of 128 bytes for 40 GB, each of which the page cache
// soon holds for the upper levels of the search.

// hashLen is the length of a hex SHA-1.
const hashLen = 40

// probeLen is how much one probe reads: a line is 40 + 1 + at most 20 digits + CRLF.
const probeLen = 128

// Breached is an open breached-password list; safe for concurrent use (ReadAt only).
type Breached struct {
	f    *os.File
	size int64
	path string
}

// ErrBreachedFormat is a line that is not "HASH:COUNT".
var ErrBreachedFormat = errors.New(`not a "HASH:COUNT" line (40 upper-case hex digits, a colon, a count)`)

// ParseBreachedLine reads one line (its CR and LF already cut): the hash and the count.
func ParseBreachedLine(line []byte) (hash []byte, count int64, err error) {
	if len(line) < hashLen+2 || line[hashLen] != ':' {
		return nil, 0, ErrBreachedFormat
	}
	for _, c := range line[:hashLen] {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return nil, 0, ErrBreachedFormat
		}
	}
	digits := line[hashLen+1:]
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, 0, ErrBreachedFormat
		}
	}
	n, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil {
		return nil, 0, ErrBreachedFormat
	}
	return line[:hashLen], n, nil
}

// OpenBreached opens the list at path and checks it: a regular, non-empty file whose first
// and last lines and a few between parse and are in ascending order. A list that fails is a
// start-up error (config validation): a corrupt or unsorted file would quietly find nothing.
func OpenBreached(path string) (*Breached, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() == 0 {
		f.Close()
		return nil, fmt.Errorf("%s: not a non-empty regular file", path)
	}
	b := &Breached{f: f, size: st.Size(), path: path}
	if err := b.sample(); err != nil {
		f.Close()
		return nil, err
	}
	return b, nil
}

// Close releases the file.
func (b *Breached) Close() error { return b.f.Close() }

// sampleLines is how many lines, evenly spread, the start-up check reads besides the last.
const sampleLines = 16

// sample checks the format and order of a few lines spread over the file.
func (b *Breached) sample() error {
	var prev []byte
	offsets := make([]int64, 0, sampleLines+1)
	for i := int64(0); i < sampleLines; i++ {
		offsets = append(offsets, b.size*i/sampleLines)
	}
	last, err := b.lastLineStart()
	if err != nil {
		return err
	}
	offsets = append(offsets, last)
	for _, off := range offsets {
		start, err := b.lineStart(off)
		if err != nil {
			return err
		}
		if start >= b.size {
			continue
		}
		line, err := b.lineAt(start)
		if err != nil {
			return err
		}
		h, _, err := ParseBreachedLine(line)
		if err != nil {
			return fmt.Errorf("%s: line at byte %d: %w", b.path, start, err)
		}
		if prev != nil && bytes.Compare(h, prev) < 0 {
			return fmt.Errorf("%s: not sorted by hash (%s at byte %d comes after %s)", b.path, h, start, prev)
		}
		prev = append(prev[:0], h...)
	}
	return nil
}

// lastLineStart is the offset of the last line (before a final line end, if any).
func (b *Breached) lastLineStart() (int64, error) {
	from := max(b.size-probeLen, 0)
	buf := make([]byte, b.size-from)
	if _, err := b.f.ReadAt(buf, from); err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	buf = bytes.TrimRight(buf, "\r\n")
	i := bytes.LastIndexByte(buf, '\n')
	if i < 0 {
		if from > 0 {
			return 0, fmt.Errorf("%s: last line longer than %d bytes: %w", b.path, probeLen, ErrBreachedFormat)
		}
		return 0, nil
	}
	return from + int64(i) + 1, nil
}

// lineStart is the offset of the first line that starts at or after off (size when none).
func (b *Breached) lineStart(off int64) (int64, error) {
	if off <= 0 {
		return 0, nil
	}
	buf := make([]byte, probeLen)
	n, err := b.f.ReadAt(buf, off-1)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	i := bytes.IndexByte(buf[:n], '\n')
	if i < 0 {
		if off-1+int64(n) >= b.size {
			return b.size, nil
		}
		return 0, fmt.Errorf("%s: line longer than %d bytes near byte %d: %w", b.path, probeLen, off, ErrBreachedFormat)
	}
	return off + int64(i), nil
}

// lineAt reads the line starting at start, without its line end.
func (b *Breached) lineAt(start int64) ([]byte, error) {
	buf := make([]byte, probeLen)
	n, err := b.f.ReadAt(buf, start)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	line := buf[:n]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	} else if start+int64(n) < b.size {
		return nil, fmt.Errorf("%s: line longer than %d bytes at byte %d: %w", b.path, probeLen, start, ErrBreachedFormat)
	}
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

// probe finds the first line starting at or after off and returns it without its line end
// (nil past the last line), with one ReadAt when the line fits in what was read.
func (b *Breached) probe(off int64) (int64, []byte, error) {
	if off <= 0 {
		line, err := b.lineAt(0)
		return 0, line, err
	}
	buf := make([]byte, probeLen)
	n, err := b.f.ReadAt(buf, off-1)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, nil, err
	}
	buf = buf[:n]
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		if off-1+int64(n) >= b.size {
			return b.size, nil, nil
		}
		return 0, nil, fmt.Errorf("%s: line longer than %d bytes near byte %d: %w", b.path, probeLen, off, ErrBreachedFormat)
	}
	start := off + int64(i)
	if start >= b.size {
		return start, nil, nil
	}
	rest := buf[i+1:]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		return start, bytes.TrimSuffix(rest[:j], []byte("\r")), nil
	}
	if start+int64(len(rest)) >= b.size { // the last line, without a final line end
		return start, bytes.TrimSuffix(rest, []byte("\r")), nil
	}
	line, err := b.lineAt(start)
	return start, line, err
}

// Count says how often pw was seen in breaches (0: never, as far as the list knows).
func (b *Breached) Count(pw string) (int64, error) {
	sum := sha1.Sum([]byte(pw)) //nolint:gosec // see the import
	want := []byte(hex.EncodeToString(sum[:]))
	for i, c := range want {
		if c >= 'a' {
			want[i] = c - 'a' + 'A'
		}
	}
	var firstErr error
	// The first offset whose line (the first starting at or after it) has a hash >= want;
	// lines start where they start, so the predicate only ever turns from false to true.
	off := sort.Search(int(b.size), func(o int) bool {
		if firstErr != nil {
			return true
		}
		_, line, err := b.probe(int64(o))
		if err != nil {
			firstErr = err
			return true
		}
		return line == nil || len(line) < hashLen || bytes.Compare(line[:hashLen], want) >= 0
	})
	if firstErr != nil {
		return 0, firstErr
	}
	start, line, err := b.probe(int64(off))
	if err != nil || line == nil {
		return 0, err
	}
	h, n, err := ParseBreachedLine(line)
	if err != nil {
		return 0, fmt.Errorf("%s: line at byte %d: %w", b.path, start, err)
	}
	if !bytes.Equal(h, want) {
		return 0, nil
	}
	return n, nil
}
