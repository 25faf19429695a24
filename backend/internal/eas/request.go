package eas

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tessera-mail/tessera/backend/internal/device"
)

// Request is an EAS request's routing data, from either query form of MS-ASHTTP 2.2.1.1.1.
type Request struct {
	Cmd             string
	User            string
	DeviceID        string
	DeviceType      string
	ProtocolVersion string
	PolicyKey       string // from X-MS-PolicyKey or the base64 form; "" or "0" when none
	UserAgent       string
	Params          map[string]string // CollectionId, ItemId, LongId, AttachmentName, Occurrence, SaveInSent, ...
}

// contact is what the request says of its device, for the device registry.
func (r *Request) contact() device.Contact {
	return device.Contact{DeviceID: r.DeviceID, DeviceType: r.DeviceType, UserAgent: r.UserAgent, ProtocolVersion: r.ProtocolVersion}
}

// versions this server accepts in MS-ASProtocolVersion: exactly the ones OPTIONS advertises, so
// the two lists cannot disagree (16.0 was once accepted but not advertised).
var versions = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Split(ProtocolVersions, ",") {
		m[v] = true
	}
	return m
}()

// base64 form: command codes (MS-ASHTTP 2.2.1.1.1.1.2).
var commandCodes = map[byte]string{
	0: "Sync", 1: "SendMail", 2: "SmartForward", 3: "SmartReply", 4: "GetAttachment", 9: "FolderSync",
	10: "FolderCreate", 11: "FolderDelete", 12: "FolderUpdate", 13: "MoveItems", 14: "GetItemEstimate",
	15: "MeetingResponse", 16: "Search", 17: "Settings", 18: "Ping", 19: "ItemOperations", 20: "Provision",
	21: "ResolveRecipients", 22: "ValidateCert", 23: "Find",
}

// base64 form: parameter tags (MS-ASHTTP 2.2.1.1.1.1.3).
var paramTags = map[byte]string{0: "AttachmentName", 1: "CollectionId", 3: "ItemId", 4: "LongId", 6: "Occurrence", 7: "Options", 8: "User"}

// ErrBadRequest marks a request MS-ASHTTP says to answer with 400.
var ErrBadRequest = errors.New("malformed EAS request")

func bad(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadRequest}, a...)...)
}

// ParseRequest reads the command, user, device and protocol version of r.
func ParseRequest(r *http.Request) (*Request, error) {
	req := &Request{Params: map[string]string{}, UserAgent: r.Header.Get("User-Agent"),
		ProtocolVersion: r.Header.Get("MS-ASProtocolVersion"), PolicyKey: r.Header.Get("X-MS-PolicyKey")}
	q := r.URL.RawQuery
	if q != "" && !strings.Contains(q, "=") {
		if err := parseBase64(q, req); err != nil {
			return nil, err
		}
	} else {
		v, err := url.ParseQuery(q)
		if err != nil {
			return nil, bad("query: %v", err)
		}
		req.Cmd, req.User, req.DeviceID, req.DeviceType = v.Get("Cmd"), v.Get("User"), v.Get("DeviceId"), v.Get("DeviceType")
		for k := range v {
			switch k {
			case "Cmd", "User", "DeviceId", "DeviceType":
			default:
				req.Params[k] = v.Get(k)
			}
		}
	}
	if req.ProtocolVersion == "" {
		req.ProtocolVersion = "12.1" // MS-ASHTTP: absent means the oldest version the server has
	}
	if !versions[req.ProtocolVersion] {
		return nil, bad("protocol version %q not supported", req.ProtocolVersion)
	}
	if req.Cmd == "" {
		return nil, bad("no command")
	}
	if !validDeviceID(req.DeviceID) {
		return nil, bad("DeviceId %q: 1 to 32 letters or digits expected", req.DeviceID)
	}
	if len(req.DeviceType) == 0 || len(req.DeviceType) > 64 {
		return nil, bad("DeviceType missing or too long")
	}
	return req, nil
}

// deviceIDOf is the DeviceId of r, read before authentication ("" when r has no valid one):
// a device's failed logins count on a counter of its own (package authn).
func deviceIDOf(r *http.Request) string {
	req := &Request{Params: map[string]string{}}
	if q := r.URL.RawQuery; q != "" && !strings.Contains(q, "=") {
		_ = parseBase64(q, req)
	} else if v, err := url.ParseQuery(q); err == nil {
		req.DeviceID = v.Get("DeviceId")
	}
	if !validDeviceID(req.DeviceID) {
		return ""
	}
	return req.DeviceID
}

func validDeviceID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// parseBase64 decodes the binary query form: version, command, locale, DeviceId, PolicyKey,
// DeviceType, then tag/length/value parameters.
func parseBase64(q string, req *Request) error {
	raw, err := base64.StdEncoding.DecodeString(unescape(q))
	if err != nil {
		return bad("base64 query: %v", err)
	}
	rd := &reader{b: raw}
	ver := rd.byte()
	cmd := rd.byte()
	rd.skip(2) // locale
	req.DeviceID = string(rd.counted())
	pk := rd.counted()
	req.DeviceType = string(rd.counted())
	for rd.ok() && rd.left() > 0 {
		tag := rd.byte()
		val := string(rd.counted())
		switch name, known := paramTags[tag]; {
		case !known:
			return bad("base64 query: unknown parameter tag %d", tag)
		case name == "User":
			req.User = val
		case name == "Options":
			if len(val) == 1 {
				if val[0]&0x01 != 0 {
					req.Params["SaveInSent"] = "T"
				}
				if val[0]&0x02 != 0 {
					req.Params["AcceptMultiPart"] = "T"
				}
			}
		default:
			req.Params[name] = val
		}
	}
	if !rd.ok() {
		return bad("base64 query truncated")
	}
	name, known := commandCodes[cmd]
	if !known {
		return bad("base64 query: unknown command code %d", cmd)
	}
	req.Cmd = name
	req.ProtocolVersion = fmt.Sprintf("%d.%d", ver/10, ver%10)
	if len(pk) == 4 {
		req.PolicyKey = strconv.FormatUint(uint64(binary.LittleEndian.Uint32(pk)), 10)
	}
	return nil
}

func unescape(q string) string {
	if u, err := url.QueryUnescape(q); err == nil && !strings.Contains(q, "+") {
		return u
	}
	return q
}

// reader walks the base64 form without ever reading past its end.
type reader struct {
	b   []byte
	pos int
	bad bool
}

func (r *reader) ok() bool  { return !r.bad }
func (r *reader) left() int { return len(r.b) - r.pos }
func (r *reader) byte() byte {
	if r.left() < 1 {
		r.bad = true
		return 0
	}
	r.pos++
	return r.b[r.pos-1]
}
func (r *reader) skip(n int) {
	if r.left() < n {
		r.bad = true
		return
	}
	r.pos += n
}
func (r *reader) counted() []byte {
	n := int(r.byte())
	if r.bad || r.left() < n {
		r.bad = true
		return nil
	}
	r.pos += n
	return r.b[r.pos-n : r.pos]
}

// AtLeast reports whether the request's protocol version is v or newer.
func (r *Request) AtLeast(v string) bool {
	a, _ := strconv.ParseFloat(r.ProtocolVersion, 64)
	b, _ := strconv.ParseFloat(v, 64)
	return a >= b
}
