package eas

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"strconv"

	"github.com/tessera-mail/tessera/backend/internal/device"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/store"
)

const policyType = "MS-EAS-Provisioning-WBXML"

// Provisioning status codes that every command may answer with (MS-ASCMD 2.2.2).
const (
	statusRemoteWipeRequested  = "140"
	statusDeviceNotProvisioned = "142"
	statusInvalidPolicyKey     = "144"
)

// rootOf names the top element of each command's response, for the in-body status of 14.0+.
var rootOf = map[string]string{
	"Sync": "AirSync:Sync", "FolderSync": "FolderHierarchy:FolderSync", "GetItemEstimate": "GetItemEstimate:GetItemEstimate",
	"Ping": "Ping:Ping", "ItemOperations": "ItemOperations:ItemOperations", "MoveItems": "Move:MoveItems",
	"Settings": "Settings:Settings", "SendMail": "ComposeMail:SendMail", "SmartReply": "ComposeMail:SmartReply",
	"SmartForward": "ComposeMail:SmartForward", "FolderCreate": "FolderHierarchy:FolderCreate",
	"FolderUpdate": "FolderHierarchy:FolderUpdate", "FolderDelete": "FolderHierarchy:FolderDelete",
	"Search": "Search:Search", "ResolveRecipients": "ResolveRecipients:ResolveRecipients",
	"MeetingResponse": "MeetingResponse:MeetingResponse", "ValidateCert": "ValidateCert:ValidateCert",
	"Find": "Find:Find",
}

// provisioned: the device acknowledged a policy, sends its key, and no wipe is pending.
func (s *Server) provisioned(c *call) bool {
	d := c.device
	return d.PolicyKey != "" && c.req.PolicyKey == d.PolicyKey && d.WipeState != store.WipeRequested
}

// needProvisioning sends the device to Provision: HTTP 449 before 14.0, the command's own
// Status from 14.0 on (MS-ASPROV 3.2.5.1, MS-ASCMD 2.2.2): 140 when a wipe is pending (the
// device then sends Provision and gets the directive), 144 for a stale policy key, else 142.
// A command whose answer is no WBXML document (GetAttachment) has no Status to carry it and
// gets the 449 at every version.
func (s *Server) needProvisioning(c *call) {
	root, hasRoot := rootOf[c.req.Cmd]
	if !c.req.AtLeast("14.0") || !hasRoot {
		http.Error(c.w, "provisioning required", 449)
		return
	}
	status := statusDeviceNotProvisioned
	switch {
	case c.device.WipeState == store.WipeRequested:
		status = statusRemoteWipeRequested
	case c.req.PolicyKey != "" && c.req.PolicyKey != "0":
		status = statusInvalidPolicyKey
	}
	s.write(c.w, wbxml.New(root, wbxml.NewText("Status", status)))
}

func newPolicyKey() string {
	var b [4]byte
	for {
		_, _ = rand.Read(b[:])
		if k := binary.LittleEndian.Uint32(b[:]); k != 0 {
			return strconv.FormatUint(uint64(k), 10)
		}
	}
}

// provision is the two-step handshake: the device asks for the policy and gets it with a
// temporary key; it acknowledges with that key and gets the final one. A remote wipe an admin
// or the user requested is delivered here instead, and its acknowledgement recorded
// (wipe.go).
func (s *Server) provision(ctx context.Context, c *call) (*wbxml.Node, error) {
	resp := wbxml.New("Provision:Provision")
	if c.body == nil || c.body.Name != "Provision:Provision" {
		return resp.Add(wbxml.NewText("Status", "2")), nil // protocol error
	}
	if di := c.body.Child("Settings:DeviceInformation"); di != nil {
		if err := s.saveDeviceInformation(ctx, c, di.Child("Settings:Set")); err != nil {
			return nil, err
		}
		resp.Add(wbxml.New("Settings:DeviceInformation", wbxml.NewText("Settings:Status", "1")))
	}
	if done, ok, err := s.wipeExchange(ctx, c, resp); ok || err != nil {
		return done, err
	}
	policy := c.body.Child("Policies").Child("Policy")
	if policy == nil || policy.TextOf("PolicyType") != policyType {
		return resp.Add(wbxml.NewText("Status", "1"), wbxml.New("Policies", wbxml.New("Policy",
			wbxml.NewText("PolicyType", policy.TextOf("PolicyType")), wbxml.NewText("Status", "3")))), nil // unknown policy type
	}
	out := wbxml.New("Policy", wbxml.NewText("PolicyType", policyType))
	if ack := policy.TextOf("PolicyKey"); ack != "" {
		// Step two: the acknowledgement must carry the temporary key handed out in step one.
		if ack != c.device.PendingKey || c.device.PendingKey == "" {
			return resp.Add(wbxml.NewText("Status", "1"), wbxml.New("Policies", out.Add(wbxml.NewText("Status", "5")))), nil
		}
		final := newPolicyKey()
		if err := s.devices.AcceptPolicy(ctx, c.device.ID, final); err != nil {
			return nil, err
		}
		out.Add(wbxml.NewText("Status", "1"), wbxml.NewText("PolicyKey", final))
		return resp.Add(wbxml.NewText("Status", "1"), wbxml.New("Policies", out)), nil
	}
	doc, err := s.policyDocument(ctx, c.account)
	if err != nil {
		return nil, err
	}
	temp := newPolicyKey()
	if err := s.devices.OfferPolicy(ctx, c.device.ID, temp); err != nil {
		return nil, err
	}
	out.Add(wbxml.NewText("Status", "1"), wbxml.NewText("PolicyKey", temp), wbxml.New("Data", doc))
	return resp.Add(wbxml.NewText("Status", "1"), wbxml.New("Policies", out)), nil
}

// policyDocument is the EASProvisionDoc from the global settings; a domain may require a
// device password on top.
func (s *Server) policyDocument(ctx context.Context, a *store.Account) (*wbxml.Node, error) {
	g, err := s.accounts.GlobalSettings(ctx)
	if err != nil {
		return nil, err
	}
	full, err := s.accounts.AccountByID(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	pw := g.EASRequireDevicePassword || full.Domain.EASRequireDevicePassword
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	doc := wbxml.New("EASProvisionDoc",
		wbxml.NewText("DevicePasswordEnabled", b(pw)),
		wbxml.NewText("AlphanumericDevicePasswordRequired", "0"),
		wbxml.NewText("RequireStorageCardEncryption", "0"),
		wbxml.NewText("PasswordRecoveryEnabled", "0"),
		wbxml.NewText("AttachmentsEnabled", "1"),
		wbxml.NewText("AllowSimpleDevicePassword", b(!pw)),
		wbxml.NewText("DevicePasswordExpiration", "0"),
		wbxml.NewText("DevicePasswordHistory", "0"),
		wbxml.NewText("AllowStorageCard", "1"),
		wbxml.NewText("AllowCamera", "1"),
		wbxml.NewText("RequireDeviceEncryption", "0"),
		wbxml.NewText("AllowUnsignedApplications", "1"),
		wbxml.NewText("AllowUnsignedInstallationPackages", "1"),
		wbxml.NewText("AllowWiFi", "1"),
		wbxml.NewText("AllowTextMessaging", "1"),
		wbxml.NewText("AllowPOPIMAPEmail", "1"),
		wbxml.NewText("AllowBluetooth", "2"),
		wbxml.NewText("AllowIrDA", "1"),
		wbxml.NewText("RequireManualSyncWhenRoaming", "0"),
		wbxml.NewText("AllowDesktopSync", "1"),
		wbxml.NewText("MaxCalendarAgeFilter", "0"),
		wbxml.NewText("AllowHTMLEmail", "1"),
		wbxml.NewText("MaxEmailAgeFilter", "0"),
		wbxml.NewText("MaxEmailBodyTruncationSize", "-1"),
		wbxml.NewText("MaxEmailHTMLBodyTruncationSize", "-1"),
		wbxml.NewText("RequireSignedSMIMEMessages", "0"),
		wbxml.NewText("RequireEncryptedSMIMEMessages", "0"),
		wbxml.NewText("AllowInternetSharing", "1"),
		wbxml.NewText("AllowConsumerEmail", "1"),
		wbxml.NewText("AllowBrowser", "1"),
		wbxml.NewText("AllowRemoteDesktop", "1"),
	)
	if pw {
		doc.Add(wbxml.NewText("MinDevicePasswordLength", strconv.Itoa(max(1, g.EASMinDevicePasswordLen))),
			wbxml.NewText("MaxInactivityTimeDeviceLock", strconv.Itoa(max(60, g.EASMaxInactivitySeconds))),
			wbxml.NewText("MaxDevicePasswordFailedAttempts", "8"))
	}
	return doc, nil
}

// saveDeviceInformation keeps what the device says about itself (Settings DeviceInformation Set).
func (s *Server) saveDeviceInformation(ctx context.Context, c *call, set *wbxml.Node) error {
	if set == nil {
		return nil
	}
	return s.devices.SetInformation(ctx, c.device, device.Information{Model: set.TextOf("Model"),
		FriendlyName: set.TextOf("FriendlyName"), OS: set.TextOf("OS"), UserAgent: set.TextOf("UserAgent")})
}
