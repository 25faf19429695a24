package store

import (
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"reflect"
	"sync"

	"gorm.io/gorm/schema"
)

// An item's MIME is stored deflated (compress/flate, the standard library's) when that saves
// at least an eighth: mail is text, and its MIME was most of what a message cost in the database
// (issue 17, goal 4). The column keeps raw MIME of rows written before, and of messages that do
// not shrink (already compressed attachments): a stored value is deflated exactly when it starts
// with mimeMagic, which no message starts with (a NUL byte cannot begin a header line).
// Only the Go value is raw MIME; SQL sees the stored bytes (LENGTH(mime) is the stored size).
var mimeMagic = []byte("\x00TZ1")

// mimeMinSize: below it, deflating saves too little to pay for itself.
const mimeMinSize = 256

func init() { schema.RegisterSerializer("mime", mimeCodec{}) }

type mimeCodec struct{}

var writers = sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, flate.DefaultCompression); return w }}

func deflateMIME(raw []byte) []byte {
	if len(raw) < mimeMinSize {
		return raw
	}
	var buf bytes.Buffer
	buf.Grow(len(raw)/2 + len(mimeMagic))
	buf.Write(mimeMagic)
	w := writers.Get().(*flate.Writer)
	defer writers.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(raw); err != nil || w.Close() != nil || buf.Len() > len(raw)-len(raw)/8 {
		return raw
	}
	return buf.Bytes()
}

func inflateMIME(stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, mimeMagic) {
		return stored, nil
	}
	r := flate.NewReader(bytes.NewReader(stored[len(mimeMagic):]))
	defer r.Close()
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("stored MIME: %w", err)
	}
	return out, nil
}

func (mimeCodec) Scan(ctx context.Context, field *schema.Field, dst reflect.Value, dbValue any) error {
	var stored []byte
	switch v := dbValue.(type) {
	case nil:
	case []byte:
		stored = v
	case string:
		stored = []byte(v)
	default:
		return fmt.Errorf("mime column: unexpected %T", dbValue)
	}
	raw, err := inflateMIME(stored)
	if err != nil {
		return err
	}
	if raw != nil && len(stored) > 0 && &raw[0] == &stored[0] {
		raw = bytes.Clone(raw) // the driver may reuse its buffer
	}
	return field.Set(ctx, dst, raw)
}

func (mimeCodec) Value(_ context.Context, _ *schema.Field, _ reflect.Value, fieldValue any) (any, error) {
	raw, _ := fieldValue.([]byte)
	if raw == nil {
		return nil, nil // NULL, as before the codec
	}
	return deflateMIME(raw), nil
}
