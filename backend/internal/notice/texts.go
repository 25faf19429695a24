package notice

import (
	"strings"
	"text/template"
)

// Text is the subject and body of one event's notice, as text/template sources over Facts.
type Text struct {
	Subject, Body string
}

// Language is the table of one language's texts: one per event, the advice and signature a
// notice ends with, and the names of the credential kinds.
type Language struct {
	Texts             map[Event]Text
	Advice, Signature string
	AdviceFor         map[Event]string  // an event's own advice, instead of Advice (what to do if it was not you)
	Kinds             map[string]string // store.Kind* → a name for people
}

// English is the table in use (a language setting would choose among tables).
var English = Language{
	Texts: map[Event]Text{
		CredentialCreated: {"A new {{.KindName}} was added to your account",
			"A new {{.KindName}} named \"{{.Label}}\" was added to your account {{.Email}} on {{.When}}{{if .Address}} from the address {{.Address}}{{end}}."},
		CredentialDeleted: {"A {{.KindName}} was removed from your account",
			"The {{.KindName}} named \"{{.Label}}\" was removed from your account {{.Email}} on {{.When}}{{if .Address}} from the address {{.Address}}{{end}}{{if .ByAdmin}} by an administrator{{end}}.\r\nDevices and apps that used it can no longer sign in with it."},
		PasswordChanged: {"Your password was changed",
			"The password of your account {{.Email}} was changed on {{.When}}{{if .Address}} from the address {{.Address}}{{end}}.\r\nYou were signed out everywhere else."},
		PasswordReset: {"Your password was reset by an administrator",
			"An administrator set a new password for your account {{.Email}} on {{.When}}.\r\nYou were signed out everywhere. Ask your administrator for the new password if you did not get it."},
		NewDevice: {"A new device is syncing your mailbox",
			"The device {{.Device}} synchronised with your account {{.Email}} for the first time on {{.When}}{{if .Address}} from the address {{.Address}}{{end}}.\r\nIt can now read and send your mail, calendar and contacts."},
		TwoFactorOff: {"Two-factor authentication was turned off",
			"Two-factor authentication was turned off for your account {{.Email}} on {{.When}}{{if .Address}} from the address {{.Address}}{{end}}.\r\nSigning in now needs only your password."},
		NewBrowser: {"New sign-in to your account",
			"Someone signed in to your account {{.Email}} on {{.When}} with {{.Browser}}{{if .Address}} from the address {{.Address}}{{end}}:\r\na browser and network your account had not used before."},
		OTPLocked: {"Your OTP entry was locked",
			"The OTP entry \"{{.Label}}\" of your account {{.Email}} was locked on {{.When}} after too many wrong codes in a row{{if .Address}}, the last from the address {{.Address}}{{end}}.\r\nAn administrator can unlock it."},
		PINCodesLow: {"Only {{.PINsLeft}} PIN codes left",
			"The OTP entry \"{{.Label}}\" of your account {{.Email}} has only {{.PINsLeft}} unused PIN codes left.\r\nMake new ones in your settings under OTP Authentication before they run out."},
		RecoveryChanged: {"{{if .Recovery}}Your recovery address was changed{{else}}Your recovery address was removed{{end}}",
			"{{if .Recovery}}The recovery address of your account {{.Email}} was set to {{.Recovery}}{{else}}The recovery address of your account {{.Email}} was removed{{end}} on {{.When}}{{if .Address}} from the address {{.Address}}{{end}}{{if .ByAdmin}} by an administrator{{end}}.\r\n{{if .OldRecovery}}Security notices no longer go to {{.OldRecovery}}{{if .Recovery}} but to the new address{{end}}.{{else}}Security notices now go there too.{{end}}"},
	},
	Advice:    "If this was you, there is nothing to do.\r\nIf it was not, change your password{{if .SettingsURL}} at {{.SettingsURL}}{{end}} at once and tell your administrator.",
	Signature: "-- \r\nAn automatic security notice from Tessera. Replies are not read.",
	AdviceFor: map[Event]string{
		PasswordReset: "If you did not ask for a new password, tell your administrator at once.",
		OTPLocked:     "If those codes were not yours, someone knows your password: change it{{if .SettingsURL}} at {{.SettingsURL}}{{end}} at once and tell your administrator.",
		PINCodesLow:   "If you did not sign in with a PIN code just now, change your password{{if .SettingsURL}} at {{.SettingsURL}}{{end}} at once and tell your administrator.",
	},
	Kinds: map[string]string{"eas": "EAS password", "mobile_app": "mobile-app sign-in", "app_passcode": "application passcode",
		"otp": "OTP entry (authenticator app)"},
}

// Facts is what a text may show. Nothing here is a secret: no password, passcode, token, PIN
// or TOTP seed ever reaches a notice.
type Facts struct {
	Email, When, Address, SettingsURL string
	KindName, Label, Device, Browser  string
	Recovery, OldRecovery             string // recovery_changed: the new address ("" cleared) and the old one
	ByAdmin                           bool
	PINsLeft                          int
}

// compiled is a language's templates, parsed once.
type compiled struct {
	subject, body map[Event]*template.Template
	signature     string
	kinds         map[string]string
}

func compile(l Language) *compiled {
	c := &compiled{subject: map[Event]*template.Template{}, body: map[Event]*template.Template{},
		signature: l.Signature, kinds: l.Kinds}
	for e, t := range l.Texts {
		advice, ok := l.AdviceFor[e]
		if !ok {
			advice = l.Advice
		}
		c.subject[e] = template.Must(template.New(string(e)).Parse(t.Subject))
		c.body[e] = template.Must(template.New(string(e)).Parse(t.Body + "\r\n\r\n" + advice))
	}
	return c
}

// render is the subject and body of an event's notice.
func (c *compiled) render(e Event, f Facts) (subject, body string, err error) {
	st, ok := c.subject[e]
	if !ok {
		return "", "", errUnknownEvent
	}
	var b strings.Builder
	if err := st.Execute(&b, f); err != nil {
		return "", "", err
	}
	subject = b.String()
	b.Reset()
	if err := c.body[e].Execute(&b, f); err != nil {
		return "", "", err
	}
	return subject, b.String() + "\r\n\r\n" + c.signature + "\r\n", nil
}
