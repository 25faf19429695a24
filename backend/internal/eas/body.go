package eas

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// Why a request body could not be read (answered 400, 413 and 415).
var (
	errBadGzip         = errors.New("request body is not valid gzip")
	errBodyTooLarge    = errors.New("request body too large")
	errUnknownEncoding = errors.New("unsupported Content-Encoding")
)

// gzipMin is the smallest answer worth compressing: below it gzip's own framing (18 bytes and
// more) eats most of the gain, and a Sync window of mail is far above it.
const gzipMin = 1024

// readBody reads a request body, decompressing it first when the phone sent Content-Encoding:
// gzip. maxBody applies to the compressed bytes as they arrive and again to the decompressed
// ones, so that a small gzip bomb stops at the limit instead of filling memory.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	in := http.MaxBytesReader(w, r.Body, maxBody)
	switch strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))) {
	case "", "identity":
		return io.ReadAll(in)
	case "gzip", "x-gzip":
	default:
		return nil, errUnknownEncoding
	}
	zr, err := gzip.NewReader(in)
	if errors.Is(err, io.EOF) {
		return nil, nil // an empty body, as Sync and Ping may send
	} else if err != nil {
		return nil, readError(err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
	if err != nil {
		return nil, readError(err)
	}
	if len(raw) > maxBody {
		return nil, errBodyTooLarge
	}
	return raw, nil
}

// readError tells a body over the limit from one that does not decompress (a phone that hung
// up mid-body lands there too, and its 400 goes nowhere).
func readError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errBodyTooLarge
	}
	return fmt.Errorf("%w: %v", errBadGzip, err)
}

// bodyFailed answers a request whose body could not be read.
func (s *Server) bodyFailed(w http.ResponseWriter, req *Request, err error) {
	switch {
	case errors.Is(err, errBodyTooLarge):
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
	case errors.Is(err, errBadGzip):
		s.log.Info("eas: corrupt gzip body", "cmd", req.Cmd, "device", req.DeviceID)
		http.Error(w, err.Error(), http.StatusBadRequest)
	case errors.Is(err, errUnknownEncoding):
		http.Error(w, err.Error()+" (gzip is)", http.StatusUnsupportedMediaType)
	default:
		s.fail(w, req, "read body", err)
	}
}

// acceptsGzip: the request's Accept-Encoding lists gzip (or *) without q=0.
func acceptsGzip(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(h, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "gzip" && name != "x-gzip" && name != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.ToLower(params), " ", "")
			if q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000" {
				return true
			}
		}
	}
	return false
}

// send writes a WBXML answer, gzipped when the phone accepts it and it is big enough (phones
// send Accept-Encoding: gzip; a Sync of mail shrinks several times). r nil: never compressed.
func (s *Server) send(w http.ResponseWriter, r *http.Request, resp *wbxml.Node) {
	if resp == nil { // nothing changed: an empty 200 keeps the client's keys (MS-ASCMD Sync)
		w.WriteHeader(http.StatusOK)
		return
	}
	out, err := wbxml.Marshal(resp)
	if err != nil {
		// A bug, which TestEveryTagNameIsOnACodePage and TestEASEveryCommandEveryVersion exist to catch.
		s.log.Error("eas: encoding a response", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Add("Vary", "Accept-Encoding")
	if r != nil && len(out) >= gzipMin && acceptsGzip(r) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		_, _ = zw.Write(out)
		if zw.Close() == nil {
			out = buf.Bytes()
			w.Header().Set("Content-Encoding", "gzip")
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}
