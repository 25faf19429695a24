// Package libwbxmltest holds what the tests of package wbxml and of package pim need to check
// our WBXML against libwbxml (Debian's libwbxml2-utils): its tag names, a namespace-aware
// renamer built on encoding/xml alone, and the tools. It imports nothing of the project, so
// package wbxml's own tests can use it.
package libwbxmltest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/testenv"
)

// Names maps our tag names to libwbxml 0.11.8's where they differ; the
// tokens agree everywhere. libwbxml keeps the r1.0 names of MS-ASWBXML
// (Attendee_Email, Recurrence_Type, UTCDueDate, MIME...), shortens the
// Contacts address tags, and has two typos of its own
// (ihsManagementInformation, RemoveRightsManagementDistribution). Its 0.11.8
// release also lacks the 16.1 tags (page 25 Find, MeetingResponse
// ProposedStartTime/ProposedEndTime, Provision AccountOnlyRemoteWipe), so the
// corpus avoids them; spec_test.go covers them.
var Names = map[string]string{
	"Contacts:AssistantPhoneNumber":                     "AssistantTelephoneNumber",
	"Contacts:BusinessAddressCity":                      "BusinessCity",
	"Contacts:BusinessAddressCountry":                   "BusinessCountry",
	"Contacts:BusinessAddressPostalCode":                "BusinessPostalCode",
	"Contacts:BusinessAddressState":                     "BusinessState",
	"Contacts:BusinessAddressStreet":                    "BusinessStreet",
	"Contacts:HomeAddressCity":                          "HomeCity",
	"Contacts:HomeAddressCountry":                       "HomeCountry",
	"Contacts:HomeAddressPostalCode":                    "HomePostalCode",
	"Contacts:HomeAddressState":                         "HomeState",
	"Contacts:HomeAddressStreet":                        "HomeStreet",
	"Contacts:OtherAddressCity":                         "OtherCity",
	"Contacts:OtherAddressCountry":                      "OtherCountry",
	"Contacts:OtherAddressPostalCode":                   "OtherPostalCode",
	"Contacts:OtherAddressState":                        "OtherState",
	"Contacts:OtherAddressStreet":                       "OtherStreet",
	"Email:ReplyTo":                                     "Reply-To",
	"Email:DtStamp":                                     "DTStamp",
	"Email:Type":                                        "Recurrence_Type",
	"Email:Until":                                       "Recurrence_Until",
	"Email:Occurrences":                                 "Recurrence_Occurrences",
	"Email:Interval":                                    "Recurrence_Interval",
	"Email:DayOfWeek":                                   "Recurrence_DayOfWeek",
	"Email:DayOfMonth":                                  "Recurrence_DayOfMonth",
	"Email:WeekOfMonth":                                 "Recurrence_WeekOfMonth",
	"Email:MonthOfYear":                                 "Recurrence_MonthOfYear",
	"Email:Status":                                      "FlagStatus",
	"Calendar:Timezone":                                 "TimeZone",
	"Calendar:Email":                                    "Attendee_Email",
	"Calendar:Name":                                     "Attendee_Name",
	"Calendar:CompressedRTF":                            "Compressed_RTF",
	"Calendar:DtStamp":                                  "DTStamp",
	"Calendar:Deleted":                                  "Exception_Deleted",
	"Calendar:ExceptionStartTime":                       "Exception_StartTime",
	"Calendar:OrganizerEmail":                           "Organizer_Email",
	"Calendar:OrganizerName":                            "Organizer_Name",
	"Calendar:Type":                                     "Recurrence_Type",
	"Calendar:Until":                                    "Recurrence_Until",
	"Calendar:Occurrences":                              "Recurrence_Occurrences",
	"Calendar:Interval":                                 "Recurrence_Interval",
	"Calendar:DayOfWeek":                                "Recurrence_DayOfWeek",
	"Calendar:DayOfMonth":                               "Recurrence_DayOfMonth",
	"Calendar:WeekOfMonth":                              "Recurrence_WeekOfMonth",
	"Calendar:MonthOfYear":                              "Recurrence_MonthOfYear",
	"Calendar:AttendeeStatus":                           "Attendee_Status",
	"Calendar:AttendeeType":                             "Attendee_Type",
	"Tasks:UtcDueDate":                                  "UTCDueDate",
	"Tasks:Type":                                        "Recurrence_Type",
	"Tasks:Start":                                       "Recurrence_Start",
	"Tasks:Until":                                       "Recurrence_Until",
	"Tasks:Occurrences":                                 "Recurrence_Occurrences",
	"Tasks:Interval":                                    "Recurrence_Interval",
	"Tasks:DayOfMonth":                                  "Recurrence_DayOfMonth",
	"Tasks:DayOfWeek":                                   "Recurrence_DayOfWeek",
	"Tasks:WeekOfMonth":                                 "Recurrence_WeekOfMonth",
	"Tasks:MonthOfYear":                                 "Recurrence_MonthOfYear",
	"Tasks:Regenerate":                                  "Recurrence_Regenerate",
	"Tasks:DeadOccur":                                   "Recurrence_DeadOccur",
	"Tasks:UtcStartDate":                                "UTCStartDate",
	"Settings:RightsManagementInformation":              "ihsManagementInformation",
	"ComposeMail:Mime":                                  "MIME",
	"RightsManagement:Owner":                            "RMOwner",
	"RightsManagement:RemoveRightsManagementProtection": "RemoveRightsManagementDistribution",
}

// key keys a rename table by namespace (as declared, any case, with or without libwbxml's
// colon) and local name.
func key(space, local string) string {
	return strings.ToLower(strings.TrimSuffix(space, ":")) + ":" + local
}

// ToLibwbxml and FromLibwbxml are Names keyed for Rename. libwbxml lists two names for
// Provision token 0x10 and decodes it as the first, DeviceEncryptionEnabled, while MS-ASWBXML
// calls it RequireStorageCardEncryption.
var ToLibwbxml, FromLibwbxml = func() (to, from map[string]string) {
	to, from = map[string]string{}, map[string]string{"provision:DeviceEncryptionEnabled": "RequireStorageCardEncryption"}
	for ours, theirs := range Names {
		space, local, _ := strings.Cut(ours, ":")
		to[key(space, local)] = theirs
		from[key(space, theirs)] = local
	}
	return to, from
}()

// Rename rewrites element names by namespace with encoding/xml alone, so the translation does
// not lean on the code under test. Documents without a name to change are returned untouched,
// so libwbxml reads them as written wherever it can.
func Rename(t testing.TB, doc []byte, table map[string]string) []byte {
	t.Helper()
	var out bytes.Buffer
	changed := false
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("rename: %v", err)
		}
		switch v := tok.(type) {
		case xml.ProcInst:
			out.WriteString("<?" + v.Target + " " + string(v.Inst) + "?>")
		case xml.Directive:
			out.WriteString("<!" + string(v) + ">")
		case xml.StartElement:
			local := v.Name.Local
			if to, ok := table[key(v.Name.Space, local)]; ok {
				local, changed = to, true
			}
			out.WriteString("<" + local + ` xmlns="` + v.Name.Space + `">`)
		case xml.EndElement:
			local := v.Name.Local
			if to, ok := table[key(v.Name.Space, local)]; ok {
				local = to
			}
			out.WriteString("</" + local + ">")
		case xml.CharData:
			// Not xml.EscapeText: it writes newlines as &#xA;, which is not allowed between the
			// prolog and the root.
			out.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;").Replace(string(v)))
		}
	}
	if !changed {
		return doc
	}
	return out.Bytes()
}

// Need skips without Debian's libwbxml2-utils, except on CI, where a missing tool must fail
// the build rather than hide the test.
func Need(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"xml2wbxml", "wbxml2xml"} {
		testenv.RequireTool(t, tool, "libwbxml2-utils")
	}
}

// Run runs a tool and fails the test with its output when it fails.
func Run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}
