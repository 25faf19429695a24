package autodiscover

import (
	"encoding/json"
	"net/http"
	"net/mail"
	"strings"
)

// v2Protocols are the protocols Autodiscover v2 answers, by their lower-case name.
var v2Protocols = map[string]string{"activesync": "ActiveSync", "autodiscoverv1": "AutodiscoverV1"}

type v2Answer struct {
	Protocol string
	URL      string `json:"Url"`
}

type v2Error struct {
	ErrorCode    string
	ErrorMessage string
}

// v2 answers GET autodiscover.json: where a protocol lives. Exchange answers it without
// authentication; so does Tessera, with the installation's URLs for any well-formed
// address, whether or not it is an account, or even of a domain served here: the client came
// through that domain's DNS, and a different answer would tell a stranger which accounts or
// domains exist.
func (h *Handler) v2(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, v2Error{"MethodNotAllowed", "Use GET."})
		return
	}
	email := r.URL.Query().Get("Email")
	if rest, ok := strings.CutPrefix(r.URL.Path, PathJSONv1); ok {
		email = rest
	} else if r.URL.Path != PathJSON {
		writeJSON(w, http.StatusNotFound, v2Error{"NotFound", "No such resource."})
		return
	}
	proto, ok := v2Protocols[strings.ToLower(queryFold(r, "Protocol"))]
	if !ok {
		writeJSON(w, http.StatusBadRequest, v2Error{"InvalidProtocol", "The given protocol value is invalid. Supported values are 'ActiveSync,AutodiscoverV1'."})
		return
	}
	if !ValidEmail(email) {
		writeJSON(w, http.StatusBadRequest, v2Error{"InvalidEmailAddress", "The given email address is invalid."})
		return
	}
	url := h.d.EASURL
	if proto == "AutodiscoverV1" {
		url = h.d.PublicURL + PathPOX
	}
	writeJSON(w, http.StatusOK, v2Answer{Protocol: proto, URL: url})
}

// queryFold reads a query parameter whatever its case (clients write protocol=, Protocol=).
func queryFold(r *http.Request, name string) string {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// ValidEmail says whether s is a bare address (no display name, no angle brackets) of a
// plausible size with a dotted or single-label domain.
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s[at+1:], "[]")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
