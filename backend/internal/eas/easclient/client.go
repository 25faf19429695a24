// Package easclient is a minimal EAS client for tests: it talks to the server as a phone does
// (Basic auth, MS-ASProtocolVersion, X-MS-PolicyKey, WBXML bodies).
package easclient

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// Client is one device of one account.
type Client struct {
	BaseURL    string
	User, Pass string
	DeviceID   string
	DeviceType string
	Version    string
	PolicyKey  string
	HTTP       *http.Client
	// Params are added to the next request's query; ContentType replaces WBXML's (12.1 mail).
	Params      url.Values
	ContentType string
}

// Response is an EAS answer: the HTTP status and the decoded body (nil when empty).
type Response struct {
	HTTPStatus int
	Header     http.Header
	Raw        []byte
	Body       *wbxml.Node
}

// Do sends a command with a body (nil for none) and decodes the answer.
func (c *Client) Do(cmd string, body *wbxml.Node) (*Response, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = wbxml.Marshal(body); err != nil {
			return nil, err
		}
	}
	return c.DoRaw(cmd, raw)
}

// DoRaw sends raw bytes as the body.
func (c *Client) DoRaw(cmd string, raw []byte) (*Response, error) {
	q := url.Values{"Cmd": {cmd}, "User": {c.User}, "DeviceId": {c.DeviceID}, "DeviceType": {c.DeviceType}}
	for k, v := range c.Params {
		q[k] = v
	}
	req, err := http.NewRequest("POST", c.BaseURL+"/Microsoft-Server-ActiveSync?"+q.Encode(), bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(c.User, c.Pass)
	ct := c.ContentType
	if ct == "" {
		ct = "application/vnd.ms-sync.wbxml"
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("MS-ASProtocolVersion", c.Version)
	req.Header.Set("User-Agent", "TesseraTestPhone/1.0")
	if c.PolicyKey != "" {
		req.Header.Set("X-MS-PolicyKey", c.PolicyKey)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := &Response{HTTPStatus: resp.StatusCode, Header: resp.Header}
	if out.Raw, err = io.ReadAll(resp.Body); err != nil {
		return nil, err
	}
	if len(out.Raw) > 0 && resp.Header.Get("Content-Type") == "application/vnd.ms-sync.wbxml" {
		if out.Body, err = wbxml.Unmarshal(out.Raw); err != nil {
			return nil, fmt.Errorf("undecodable response: %w", err)
		}
	}
	return out, nil
}

// Provision runs the two-step handshake and keeps the final policy key.
func (c *Client) Provision() (*wbxml.Node, error) {
	policy := func(key, status string) *wbxml.Node {
		p := wbxml.New("Policy", wbxml.NewText("PolicyType", "MS-EAS-Provisioning-WBXML"))
		if key != "" {
			p.Add(wbxml.NewText("PolicyKey", key), wbxml.NewText("Status", status))
		}
		return wbxml.New("Provision:Provision", wbxml.New("Policies", p))
	}
	r, err := c.Do("Provision", policy("", ""))
	if err != nil {
		return nil, err
	}
	if r.Body == nil {
		return nil, fmt.Errorf("provision step 1: HTTP %d", r.HTTPStatus)
	}
	p := r.Body.Child("Policies").Child("Policy")
	temp := p.TextOf("PolicyKey")
	if r.Body.TextOf("Status") != "1" || temp == "" {
		return r.Body, fmt.Errorf("provision step 1: %s", r.Body)
	}
	r2, err := c.Do("Provision", policy(temp, "1"))
	if err != nil {
		return nil, err
	}
	final := r2.Body.Child("Policies").Child("Policy").TextOf("PolicyKey")
	if final == "" || final == temp {
		return r2.Body, fmt.Errorf("provision step 2: %s", r2.Body)
	}
	c.PolicyKey = final
	return r.Body, nil
}

// FolderSync sends a FolderSync with key.
func (c *Client) FolderSync(key string) (*Response, error) {
	return c.Do("FolderSync", wbxml.New("FolderHierarchy:FolderSync", wbxml.NewText("SyncKey", key)))
}

// SyncOne sends a Sync of one collection with optional commands and options children.
func (c *Client) SyncOne(collection, key string, extra ...*wbxml.Node) (*Response, error) {
	col := wbxml.New("Collection", wbxml.NewText("SyncKey", key), wbxml.NewText("CollectionId", collection))
	col.Add(extra...)
	return c.Do("Sync", wbxml.New("AirSync:Sync", wbxml.New("Collections", col)))
}

// Collection returns the response's collection with that id.
func Collection(body *wbxml.Node, id string) *wbxml.Node {
	if body == nil {
		return nil
	}
	for _, col := range body.Child("AirSync:Collections").All("AirSync:Collection") {
		if col.TextOf("AirSync:CollectionId") == id {
			return col
		}
	}
	return nil
}
