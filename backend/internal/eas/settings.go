package eas

import (
	"context"
	"encoding/json"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// oof is the Out-of-Office setting kept for the account.
type oof struct {
	State    string `json:"state"` // 0 off, 1 on, 2 scheduled
	Start    string `json:"start,omitempty"`
	End      string `json:"end,omitempty"`
	Message  string `json:"message,omitempty"`
	BodyType string `json:"bodyType,omitempty"`
}

// settings answers UserInformation Get, DeviceInformation Set and Oof Get/Set. The writes wait
// until the whole answer is known to encode: an answer that cannot be sent must not follow a
// change the phone never hears of (12.1 and 14.0 once saved DeviceInformation, then got 500).
func (s *Server) settings(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("Settings:Settings")
	if c.body == nil || c.body.Name != "Settings:Settings" {
		return resp.Add(wbxml.NewText("Status", "2")), nil
	}
	resp.Add(wbxml.NewText("Status", "1"))
	var writes []func() error
	if ui := c.body.Child("UserInformation"); ui != nil && ui.Has("Get") {
		get := wbxml.New("Get")
		if c.req.AtLeast("14.1") {
			get.Add(wbxml.New("Accounts", wbxml.New("Account", wbxml.New("EmailAddresses",
				wbxml.NewText("PrimarySmtpAddress", c.account.Email)))))
		} else {
			get.Add(wbxml.New("EmailAddresses", wbxml.NewText("SmtpAddress", c.account.Email)))
		}
		resp.Add(wbxml.New("UserInformation", wbxml.NewText("Status", "1"), get))
	}
	if di := c.body.Child("DeviceInformation"); di != nil {
		set := di.Child("Set")
		writes = append(writes, func() error { return s.saveDeviceInformation(ctx, c, set) })
		resp.Add(wbxml.New("DeviceInformation", wbxml.NewText("Status", "1")))
	}
	if o := c.body.Child("Oof"); o != nil {
		node, write, err := s.oof(ctx, c, o)
		if err != nil {
			return nil, err
		}
		if write != nil {
			writes = append(writes, write)
		}
		resp.Add(node)
	}
	if _, err := wbxml.Marshal(resp); err != nil {
		return nil, err
	}
	for _, write := range writes {
		if err := write(); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// oof answers an Oof Get, or a Set with the write it needs.
func (s *Server) oof(ctx context.Context, c *call, o *wbxml.Node) (*wbxml.Node, func() error, error) {
	full, err := s.accounts.AccountByID(ctx, c.account.ID) // authentication loads only a few columns
	if err != nil {
		return nil, nil, err
	}
	var cur oof
	if full.Oof != "" {
		_ = json.Unmarshal([]byte(full.Oof), &cur)
	}
	if cur.State == "" {
		cur.State = "0"
	}
	if set := o.Child("Set"); set != nil {
		cur.State = set.TextOf("OofState")
		if cur.State == "" {
			cur.State = "0"
		}
		cur.Start, cur.End = set.TextOf("StartTime"), set.TextOf("EndTime")
		for _, m := range set.All("OofMessage") {
			if m.Has("AppliesToInternal") && m.TextOf("Enabled") == "1" {
				cur.Message, cur.BodyType = m.TextOf("ReplyMessage"), m.TextOf("BodyType")
			}
		}
		data, _ := json.Marshal(cur)
		return wbxml.New("Oof", wbxml.NewText("Status", "1")),
			func() error { return s.accounts.SetOof(ctx, c.account.ID, string(data)) }, nil
	}
	get := wbxml.New("Get", wbxml.NewText("OofState", cur.State))
	if cur.State == "2" {
		get.Add(wbxml.NewText("StartTime", cur.Start), wbxml.NewText("EndTime", cur.End))
	}
	enabled := "0"
	if cur.State != "0" && cur.Message != "" {
		enabled = "1"
	}
	bodyType := cur.BodyType
	if bodyType == "" {
		bodyType = "Text"
	}
	get.Add(wbxml.New("OofMessage", wbxml.New("AppliesToInternal"), wbxml.NewText("Enabled", enabled),
		wbxml.NewText("ReplyMessage", cur.Message), wbxml.NewText("BodyType", bodyType)))
	return wbxml.New("Oof", wbxml.NewText("Status", "1"), get), nil, nil
}
