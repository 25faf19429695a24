package pim

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
)

// libwbxmlNames maps our tag names to the ones libwbxml 0.11.8 uses for the
// same tokens (the r1.0 names of MS-ASWBXML, and shortened Contacts
// address tags): the PIM part of the table in the wbxml package's tests.
var libwbxmlNames = map[string]string{
	"Contacts:AssistantPhoneNumber":      "AssistantTelephoneNumber",
	"Contacts:BusinessAddressCity":       "BusinessCity",
	"Contacts:BusinessAddressCountry":    "BusinessCountry",
	"Contacts:BusinessAddressPostalCode": "BusinessPostalCode",
	"Contacts:BusinessAddressState":      "BusinessState",
	"Contacts:BusinessAddressStreet":     "BusinessStreet",
	"Contacts:HomeAddressCity":           "HomeCity",
	"Contacts:HomeAddressCountry":        "HomeCountry",
	"Contacts:HomeAddressPostalCode":     "HomePostalCode",
	"Contacts:HomeAddressState":          "HomeState",
	"Contacts:HomeAddressStreet":         "HomeStreet",
	"Contacts:OtherAddressCity":          "OtherCity",
	"Contacts:OtherAddressCountry":       "OtherCountry",
	"Contacts:OtherAddressPostalCode":    "OtherPostalCode",
	"Contacts:OtherAddressState":         "OtherState",
	"Contacts:OtherAddressStreet":        "OtherStreet",
	"Calendar:Timezone":                  "TimeZone",
	"Calendar:Email":                     "Attendee_Email",
	"Calendar:Name":                      "Attendee_Name",
	"Calendar:DtStamp":                   "DTStamp",
	"Calendar:Deleted":                   "Exception_Deleted",
	"Calendar:ExceptionStartTime":        "Exception_StartTime",
	"Calendar:OrganizerEmail":            "Organizer_Email",
	"Calendar:OrganizerName":             "Organizer_Name",
	"Calendar:Type":                      "Recurrence_Type",
	"Calendar:Until":                     "Recurrence_Until",
	"Calendar:Occurrences":               "Recurrence_Occurrences",
	"Calendar:Interval":                  "Recurrence_Interval",
	"Calendar:DayOfWeek":                 "Recurrence_DayOfWeek",
	"Calendar:DayOfMonth":                "Recurrence_DayOfMonth",
	"Calendar:WeekOfMonth":               "Recurrence_WeekOfMonth",
	"Calendar:MonthOfYear":               "Recurrence_MonthOfYear",
	"Calendar:AttendeeStatus":            "Attendee_Status",
	"Calendar:AttendeeType":              "Attendee_Type",
	"Tasks:UtcDueDate":                   "UTCDueDate",
	"Tasks:UtcStartDate":                 "UTCStartDate",
	"Tasks:Type":                         "Recurrence_Type",
	"Tasks:Start":                        "Recurrence_Start",
	"Tasks:Until":                        "Recurrence_Until",
	"Tasks:Occurrences":                  "Recurrence_Occurrences",
	"Tasks:Interval":                     "Recurrence_Interval",
	"Tasks:DayOfMonth":                   "Recurrence_DayOfMonth",
	"Tasks:DayOfWeek":                    "Recurrence_DayOfWeek",
	"Tasks:WeekOfMonth":                  "Recurrence_WeekOfMonth",
	"Tasks:MonthOfYear":                  "Recurrence_MonthOfYear",
	"Tasks:Regenerate":                   "Recurrence_Regenerate",
	"Tasks:DeadOccur":                    "Recurrence_DeadOccur",
}

// toLibwbxml and fromLibwbxml key the table by lower-case namespace and
// local name, the way rename looks elements up.
var toLibwbxml, fromLibwbxml = func() (to, from map[string]string) {
	to, from = map[string]string{}, map[string]string{}
	for ours, theirs := range libwbxmlNames {
		space, local, _ := strings.Cut(ours, ":")
		to[strings.ToLower(space)+":"+local] = theirs
		from[strings.ToLower(space)+":"+theirs] = local
	}
	return to, from
}()

// rename rewrites element names by namespace with encoding/xml alone, so
// the translation does not lean on the code under test. Comments go.
func rename(t *testing.T, doc []byte, table map[string]string) []byte {
	t.Helper()
	var out bytes.Buffer
	dec := xml.NewDecoder(bytes.NewReader(doc))
	name := func(n xml.Name) string {
		key := strings.ToLower(strings.TrimSuffix(n.Space, ":")) + ":" + n.Local
		if to, ok := table[key]; ok {
			return to
		}
		return n.Local
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out.Bytes()
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
			out.WriteString("<" + name(v.Name) + ` xmlns="` + v.Name.Space + `">`)
		case xml.EndElement:
			out.WriteString("</" + name(v.Name) + ">")
		case xml.CharData:
			out.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;").Replace(string(v)))
		}
	}
}

// needLibwbxml skips without Debian's libwbxml2-utils, except on CI, where
// a missing tool must fail rather than hide the test.
func needLibwbxml(t *testing.T) {
	for _, tool := range []string{"xml2wbxml", "wbxml2xml"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not installed (apt-get install libwbxml2-utils)", tool)
			}
			t.Skipf("%s not installed (apt-get install libwbxml2-utils)", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// TestLibwbxml checks the codecs against another WBXML implementation:
// each device document, encoded by libwbxml, decodes to the item ParseXML
// gives; and each encoding, turned into WBXML by us and back into XML by
// libwbxml, is readable and decodes to the item it was made from.
func TestLibwbxml(t *testing.T) {
	needLibwbxml(t)
	dir := t.TempDir()
	for _, p := range payloads {
		t.Run(p.file, func(t *testing.T) {
			cd := codecs[p.class]
			raw := readFile(t, p.file)
			want, err := cd.decode(appData(t, parseXML(t, raw)))
			if err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(dir, p.file)
			if err := os.WriteFile(in, rename(t, raw, toLibwbxml), 0o600); err != nil {
				t.Fatal(err)
			}
			run(t, "xml2wbxml", "-a", "-n", "-v", "1.3", "-o", in+".wbxml", in)
			bin, err := os.ReadFile(in + ".wbxml")
			if err != nil {
				t.Fatal(err)
			}
			doc, err := wbxml.Unmarshal(bin)
			if err != nil {
				t.Fatalf("decoding libwbxml's bytes: %v", err)
			}
			got, err := cd.decode(appData(t, doc))
			if err != nil {
				t.Fatal(err)
			}
			same(t, got, want)

			for _, ver := range p.versions {
				sync := wbxml.New("AirSync:Sync", wbxml.New("Collections", wbxml.New("Collection",
					wbxml.NewText("SyncKey", "2"), wbxml.NewText("CollectionId", "1"), wbxml.NewText("Status", "1"),
					wbxml.New("Commands", wbxml.New("Add", wbxml.NewText("ServerId", "1:1"), wrap(cd.encode(want, ver, 0)))))))
				ours, err := wbxml.Marshal(sync)
				if err != nil {
					t.Fatal(err)
				}
				base := in + "." + ver
				if err := os.WriteFile(base+".ours.wbxml", ours, 0o600); err != nil {
					t.Fatal(err)
				}
				run(t, "wbxml2xml", "-k", "-l", "ACTIVESYNC", "-m", "0", "-o", base+".lib.xml", base+".ours.wbxml")
				printed, err := os.ReadFile(base + ".lib.xml")
				if err != nil {
					t.Fatal(err)
				}
				// The summary's words: a contact's is built from two elements.
				for _, w := range strings.Fields(want.(interface{ Summary() string }).Summary()) {
					if !bytes.Contains(printed, []byte(w)) {
						t.Fatalf("wbxml2xml output lacks %q:\n%s", w, printed)
					}
				}
				back, err := cd.decode(appData(t, parseXML(t, rename(t, printed, fromLibwbxml))))
				if err != nil {
					t.Fatal(err)
				}
				sameNoCR(t, back, withoutRequestOnly(want))
			}
		})
	}
}

// sameNoCR compares items ignoring carriage returns: wbxml2xml prints CR
// as a raw byte, which XML parsers read as a line feed.
func sameNoCR(t *testing.T, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if strings.ReplaceAll(string(g), `\r`, "") != strings.ReplaceAll(string(w), `\r`, "") {
		t.Fatalf("got\n%s\nwant\n%s", g, w)
	}
}
