package pop3

import (
	"bufio"
	"bytes"
)

// writeMessage writes raw as a POP3 multi-line body without its final ".": every line ends
// with CRLF (a bare LF becomes CRLF) and a line starting with "." gets another (RFC 1939
// section 3). lines < 0 writes all of it; otherwise the header, the blank line after it and
// the first lines lines of the body (TOP).
func writeMessage(w *bufio.Writer, raw []byte, lines int) error {
	inBody := false
	for len(raw) > 0 {
		var line []byte
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			line, raw = raw, nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if inBody && lines >= 0 {
			if lines == 0 {
				break
			}
			lines--
		}
		if len(line) == 0 {
			inBody = true
		}
		if len(line) > 0 && line[0] == '.' {
			w.WriteByte('.')
		}
		w.Write(line)
		if _, err := w.WriteString("\r\n"); err != nil {
			return err
		}
	}
	return nil
}
