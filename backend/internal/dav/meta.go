package dav

import (
	"bytes"
	"encoding/json"
)

// meta is what DAV keeps of an item beside the model, under the "dav" key of its Props.
type meta struct {
	// Name is the resource name the client chose ("" → "<id>.ics" / "<id>.vcf").
	Name string `json:"name,omitempty"`
	// UID is the iCalendar/vCard UID when the model has no place for it (tasks, contacts).
	UID string `json:"uid,omitempty"`
	// Raw is the client's last text, for the properties the model cannot carry.
	Raw string `json:"raw,omitempty"`
}

// readMeta returns the "dav" part of an item's Props (zero when there is none).
func readMeta(props string) meta {
	var w struct {
		DAV meta `json:"dav"`
	}
	_ = json.Unmarshal([]byte(props), &w)
	return w.DAV
}

// withMeta is model's JSON with m under "dav". The model's JSON is an object.
func withMeta(model any, m meta) (string, error) {
	b, err := json.Marshal(model)
	if err != nil {
		return "", err
	}
	mb, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	b = bytes.TrimSpace(b)
	b = b[:len(b)-1] // the closing brace
	if len(bytes.TrimSpace(b)) > 1 {
		b = append(b, ',')
	}
	b = append(b, `"dav":`...)
	b = append(b, mb...)
	return string(append(b, '}')), nil
}
