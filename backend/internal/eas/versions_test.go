package eas_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-mail/tessera/backend/internal/app/apptest"
	"github.com/tessera-mail/tessera/backend/internal/eas/easclient"
	"github.com/tessera-mail/tessera/backend/internal/eas/eastest"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml"
	"github.com/tessera-mail/tessera/backend/internal/eas/wbxml/libwbxmltest"
	"github.com/tessera-mail/tessera/backend/internal/store/storetest"
)

// exchange is one request and its answer as the phone saw them.
type exchange struct {
	cmd, version string
	status       int
	contentType  string
	body         []byte
}

// recorder keeps every answer a client gets, so a test can check all of them at the end.
type recorder struct {
	mu  sync.Mutex
	all []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.all = append(r.all, exchange{cmd: req.URL.Query().Get("Cmd"), version: req.Header.Get("MS-ASProtocolVersion"),
		status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: body})
	r.mu.Unlock()
	return resp, nil
}

// pimData is the ApplicationData of the first Add or Change in a captured device request.
func pimData(t *testing.T, file string) *wbxml.Node {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("pim", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := wbxml.ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	cmds := tree.Child("Collections").Child("Collection").Child("Commands")
	for _, c := range cmds.Children {
		if ad := c.Child("ApplicationData"); ad != nil {
			ad.Name = "AirSync:ApplicationData"
			return ad
		}
	}
	t.Fatalf("%s: no ApplicationData", file)
	return nil
}

const withAttachment = "From: Anna Berg <anna@example.org>\r\nTo: admin@example.com\r\nSubject: Report with figures\r\n" +
	"Message-ID: <att1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\n" +
	"Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the figures.\r\n" +
	"--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See the <b>figures</b>.</p>\r\n--a--\r\n--m\r\n" +
	"Content-Type: application/pdf; name=\"figures.pdf\"\r\nContent-Disposition: attachment; filename=\"figures.pdf\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCg==\r\n--m--\r\n"

// Every command, at every protocol version, answers without a 5xx, and every WBXML answer is
// one that libwbxml (a decoder nobody here wrote) reads. An encoding mistake in any response
// builder — a tag misspelt for one version only — fails here instead of at a phone, after the
// command already wrote to the database.
func TestEASEveryCommandEveryVersion(t *testing.T) {
	libwbxmltest.Need(t)
	storetest.EachRaw(t, func(t *testing.T, b storetest.Backend) {
		s := apptest.Start(t, b)
		acct, _ := s.App.Accounts.Get(t.Context(), admin)
		for _, raw := range [][]byte{eastest.Mail(1), eastest.Mail(2), []byte(withAttachment), []byte(invitation)} {
			if _, err := s.App.Mailbox.Deliver(t.Context(), acct.ID, raw); err != nil {
				t.Fatal(err)
			}
		}
		// Contacts, an event with attendees, recurrence and exceptions, a task and a note, as
		// phones create them, so that every version's device gets each class back from the server.
		seed, _ := eastest.Provisioned(t, s, "seed")
		fs := eastest.OK(t)(seed.FolderSync("0")).Body
		for typ, file := range map[string]string{"9": "ios-contact.xml", "8": "android-event-weekly.xml", "7": "ios-task.xml", "10": "ios-note.xml"} {
			d := &eastest.Syncer{T: t, P: seed, Coll: eastest.FolderOfType(fs, typ), Key: "0"}
			d.Sync()
			col := d.Sync(wbxml.New("AirSync:Commands", wbxml.New("Add", wbxml.NewText("ClientId", "seed-"+typ), pimData(t, file))))
			if col.Child("AirSync:Responses").Child("AirSync:Add").TextOf("AirSync:Status") != "1" {
				t.Fatalf("seeding %s: %s", file, col)
			}
		}
		for _, version := range []string{"12.1", "14.0", "14.1", "16.0", "16.1"} {
			t.Run(version, func(t *testing.T) { everyCommand(t, s, version) })
		}
	})
}

func everyCommand(t *testing.T, s *apptest.Server, version string) {
	rec := &recorder{}
	p := eastest.NewPhone(t, s, version, "v"+strings.ReplaceAll(version, ".", ""))
	p.HTTP = &http.Client{Transport: rec}
	send := func(cmd string, body *wbxml.Node) *easclient.Response {
		t.Helper()
		r, err := p.Do(cmd, body)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		return r
	}
	wbxmlMail := version != "12.1" // 12.1 sends mail as raw MIME

	// Unprovisioned, every command is sent to Provision (449 or Status 142), never a 5xx.
	for _, cmd := range []string{"FolderSync", "Sync", "GetItemEstimate", "Ping", "ItemOperations", "MoveItems", "Settings",
		"SendMail", "SmartReply", "SmartForward", "FolderCreate", "FolderUpdate", "FolderDelete", "Search",
		"ResolveRecipients", "GetAttachment", "MeetingResponse", "ValidateCert", "Find"} {
		p.Params = url.Values{"AttachmentName": {"1:0"}}
		send(cmd, nil)
		p.Params = nil
	}
	if _, err := p.Provision(); err != nil {
		t.Fatal(err)
	}

	// Settings: UserInformation Get and DeviceInformation Set in one request, then Oof.
	r := send("Settings", wbxml.New("Settings:Settings",
		wbxml.New("UserInformation", wbxml.New("Get")),
		wbxml.New("DeviceInformation", wbxml.New("Set", wbxml.NewText("Model", "Test "+version), wbxml.NewText("OS", "TestOS 1"),
			wbxml.NewText("FriendlyName", "Phone "+version)))))
	if r.Body == nil || !strings.Contains(r.Body.String(), ">"+admin+"<") || r.Body.Child("DeviceInformation").TextOf("Status") != "1" {
		t.Fatalf("Settings: HTTP %d %s", r.HTTPStatus, r.Raw)
	}
	send("Settings", wbxml.New("Settings:Settings", wbxml.New("Oof", wbxml.New("Set", wbxml.NewText("OofState", "1"),
		wbxml.New("OofMessage", wbxml.New("AppliesToInternal"), wbxml.NewText("Enabled", "1"),
			wbxml.NewText("ReplyMessage", "Away"), wbxml.NewText("BodyType", "Text"))))))
	send("Settings", wbxml.New("Settings:Settings", wbxml.New("Oof", wbxml.New("Get", wbxml.NewText("BodyType", "Text")))))
	send("Settings", wbxml.New("Settings:Settings", wbxml.New("Oof", wbxml.New("Set", wbxml.NewText("OofState", "0")))))
	send("Settings", wbxml.New("Settings:Oof"))
	// A model name longer than the column, in two-byte letters: cut on a letter, not inside one.
	send("Settings", wbxml.New("Settings:Settings", wbxml.New("DeviceInformation", wbxml.New("Set",
		wbxml.NewText("Model", strings.Repeat("é", 150)), wbxml.NewText("FriendlyName", "x"+strings.Repeat("ü", 200))))))

	// The hierarchy, and the folder commands.
	fs := send("FolderSync", wbxml.New("FolderHierarchy:FolderSync", wbxml.NewText("SyncKey", "0"))).Body
	hkey := fs.TextOf("FolderHierarchy:SyncKey")
	inbox, drafts := eastest.FolderOfType(fs, "2"), eastest.FolderOfType(fs, "3")
	send("FolderSync", wbxml.New("FolderHierarchy:FolderSync", wbxml.NewText("SyncKey", hkey)))
	created := send("FolderCreate", wbxml.New("FolderHierarchy:FolderCreate", wbxml.NewText("SyncKey", hkey),
		wbxml.NewText("ParentId", "0"), wbxml.NewText("DisplayName", "Projects "+version), wbxml.NewText("Type", "12"))).Body
	hkey = created.TextOf("FolderHierarchy:SyncKey")
	folder := created.TextOf("FolderHierarchy:ServerId")
	send("FolderCreate", wbxml.New("FolderHierarchy:FolderCreate", wbxml.NewText("SyncKey", hkey),
		wbxml.NewText("ParentId", "0"), wbxml.NewText("DisplayName", "Projects "+version), wbxml.NewText("Type", "12")))
	updated := send("FolderUpdate", wbxml.New("FolderHierarchy:FolderUpdate", wbxml.NewText("SyncKey", hkey),
		wbxml.NewText("ServerId", folder), wbxml.NewText("ParentId", "0"), wbxml.NewText("DisplayName", "Renamed "+version))).Body
	hkey = updated.TextOf("FolderHierarchy:SyncKey")
	send("FolderSync", wbxml.New("FolderHierarchy:FolderSync", wbxml.NewText("SyncKey", "7-bogus")))

	// Sync of every class, with bodies in every form, a window, client commands and a Fetch.
	bodyPref := func(typ string) *wbxml.Node {
		return wbxml.New("AirSync:Options", wbxml.NewText("AirSync:MIMESupport", "2"), wbxml.New("AirSyncBase:BodyPreference",
			wbxml.NewText("AirSyncBase:Type", typ), wbxml.NewText("AirSyncBase:TruncationSize", "5000")))
	}
	in := &eastest.Syncer{T: t, P: p, Coll: inbox, Key: "0"}
	in.Sync()
	col := in.Sync(wbxml.NewText("AirSync:WindowSize", "2"), bodyPref("2"))
	first := col.Child("AirSync:Commands").Child("AirSync:Add").TextOf("AirSync:ServerId")
	adds := col.Child("AirSync:Commands").All("AirSync:Add")
	col = in.Sync(bodyPref("4"))
	adds = append(adds, col.Child("AirSync:Commands").All("AirSync:Add")...)
	in.Sync(bodyPref("1"), wbxml.New("AirSync:Commands",
		wbxml.New("Change", wbxml.NewText("ServerId", first), wbxml.New("ApplicationData", wbxml.NewText("Email:Read", "1"),
			wbxml.New("Email:Flag", wbxml.NewText("Email:Status", "2"), wbxml.NewText("Email:FlagType", "Follow up")))),
		wbxml.New("Fetch", wbxml.NewText("ServerId", first)),
		wbxml.New("Fetch", wbxml.NewText("ServerId", "999999")),
		wbxml.New("Change", wbxml.NewText("ServerId", "999999"), wbxml.New("ApplicationData", wbxml.NewText("Email:Read", "1")))))
	var attachment, invite string
	for _, a := range adds {
		ad := a.Child("AirSync:ApplicationData")
		if ref := ad.Child("AirSyncBase:Attachments").Child("AirSyncBase:Attachment").TextOf("AirSyncBase:FileReference"); ref != "" {
			attachment = ref
		}
		if ad.Has("Email:MeetingRequest") {
			invite = a.TextOf("AirSync:ServerId")
		}
	}
	if attachment == "" || invite == "" {
		t.Fatalf("no attachment or invitation among %d mails", len(adds))
	}
	for _, typ := range []string{"9", "8", "7", "10"} {
		if typ == "10" && version == "12.1" {
			continue // no Notes before 14.0
		}
		d := &eastest.Syncer{T: t, P: p, Coll: eastest.FolderOfType(fs, typ), Key: "0"}
		d.Sync()
		d.Sync(bodyPref("1"))
		d.Sync(bodyPref("2"))
	}
	send("Sync", wbxml.New("AirSync:Sync", wbxml.New("Collections")))
	send("Sync", wbxml.New("AirSync:Sync", wbxml.NewText("Wait", "90"), wbxml.New("Collections",
		wbxml.New("Collection", wbxml.NewText("SyncKey", in.Key), wbxml.NewText("CollectionId", inbox)))))
	send("Sync", wbxml.New("AirSync:Sync", wbxml.New("Collections",
		wbxml.New("Collection", wbxml.NewText("SyncKey", "3-bogus"), wbxml.NewText("CollectionId", inbox)),
		wbxml.New("Collection", wbxml.NewText("SyncKey", "0"), wbxml.NewText("CollectionId", "999999")))))

	send("GetItemEstimate", wbxml.New("GetItemEstimate:GetItemEstimate", wbxml.New("Collections",
		wbxml.New("Collection", wbxml.NewText("AirSync:SyncKey", in.Key), wbxml.NewText("CollectionId", inbox),
			wbxml.New("AirSync:Options", wbxml.NewText("AirSync:FilterType", "0"))),
		wbxml.New("Collection", wbxml.NewText("AirSync:SyncKey", "0"), wbxml.NewText("CollectionId", "999999")))))
	send("Ping", eastest.PingBody("1", inbox)) // below the minimum heartbeat: Status 5 with the limit
	send("Ping", wbxml.New("Ping:Folders"))    // Status 4
	// A held Ping of two folders, woken by a delivery.
	acct, _ := s.App.Accounts.Get(t.Context(), admin)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Do("Ping", eastest.PingBody("120", inbox, drafts))
	}()
	eastest.WaitFor(t, func() bool { return s.App.EAS.HeldPings() >= 1 })
	s.App.Mailbox.Deliver(t.Context(), acct.ID, eastest.Mail(3))
	<-done

	// ItemOperations: a whole message (MIME and not), an attachment, and bad references, each
	// with its own status (15: no such attachment, 6: no such item, 2: no document libraries).
	fetched := send("ItemOperations", wbxml.New("ItemOperations:ItemOperations",
		wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"), wbxml.NewText("AirSync:ServerId", first),
			wbxml.NewText("AirSync:CollectionId", inbox), wbxml.New("Options", wbxml.NewText("AirSync:MIMESupport", "2"),
				wbxml.New("AirSyncBase:BodyPreference", wbxml.NewText("AirSyncBase:Type", "4")))),
		wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"), wbxml.NewText("AirSync:ServerId", first),
			wbxml.New("Options", wbxml.New("AirSyncBase:BodyPreference", wbxml.NewText("AirSyncBase:Type", "2")))),
		wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"), wbxml.NewText("AirSyncBase:FileReference", attachment)),
		wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"), wbxml.NewText("AirSyncBase:FileReference", "garbage")),
		wbxml.New("Fetch", wbxml.NewText("Store", "Mailbox"), wbxml.NewText("AirSync:ServerId", "999999")),
		wbxml.New("Fetch", wbxml.NewText("Store", "DocumentLibrary"), wbxml.NewText("DocumentLibrary:LinkId", "\\\\x\\y")))).Body
	var statuses []string
	for _, f := range fetched.Child("Response").All("Fetch") {
		statuses = append(statuses, f.TextOf("Status"))
	}
	if strings.Join(statuses, ",") != "1,1,1,15,6,2" {
		t.Fatalf("ItemOperations statuses %v: %s", statuses, fetched)
	}
	send("ItemOperations", wbxml.New("ItemOperations:Fetch"))
	for _, name := range []string{attachment, "garbage", "999999:0", ""} {
		p.Params = url.Values{"AttachmentName": {name}}
		send("GetAttachment", nil)
	}
	p.Params = nil

	moved := send("MoveItems", wbxml.New("Move:MoveItems",
		wbxml.New("Move", wbxml.NewText("SrcMsgId", first), wbxml.NewText("SrcFldId", inbox), wbxml.NewText("DstFldId", folder)),
		wbxml.New("Move", wbxml.NewText("SrcMsgId", "999999"), wbxml.NewText("SrcFldId", inbox), wbxml.NewText("DstFldId", folder)),
		wbxml.New("Move", wbxml.NewText("SrcMsgId", first), wbxml.NewText("SrcFldId", folder), wbxml.NewText("DstFldId", "999999")))).Body
	// ...and back, so that the next version finds the Inbox as it was.
	back := send("MoveItems", wbxml.New("Move:MoveItems", wbxml.New("Move", wbxml.NewText("SrcMsgId", moved.Child("Response").TextOf("DstMsgId")),
		wbxml.NewText("SrcFldId", folder), wbxml.NewText("DstFldId", inbox)))).Body
	first = back.Child("Response").TextOf("DstMsgId")
	send("FolderDelete", wbxml.New("FolderHierarchy:FolderDelete", wbxml.NewText("SyncKey", hkey), wbxml.NewText("ServerId", folder)))
	send("FolderDelete", wbxml.New("FolderHierarchy:FolderDelete", wbxml.NewText("SyncKey", hkey), wbxml.NewText("ServerId", inbox)))

	send("Search", wbxml.New("Search:Search", wbxml.New("Store", wbxml.NewText("Name", "Mailbox"),
		wbxml.New("Query", wbxml.New("And", wbxml.NewText("AirSync:Class", "Email"), wbxml.NewText("AirSync:CollectionId", inbox),
			wbxml.NewText("FreeText", "message"))), wbxml.New("Options", wbxml.NewText("Range", "0-9"), wbxml.New("RebuildResults"),
			wbxml.New("DeepTraversal"), wbxml.New("AirSyncBase:BodyPreference", wbxml.NewText("AirSyncBase:Type", "1"))))))
	send("Search", wbxml.New("Search:Search", wbxml.New("Store", wbxml.NewText("Name", "GAL"), wbxml.NewText("Query", "admin"),
		wbxml.New("Options", wbxml.NewText("Range", "0-9")))))
	send("Search", wbxml.New("Search:Search", wbxml.New("Store", wbxml.NewText("Name", "DocumentLibrary"), wbxml.NewText("Query", "x"))))
	// Find: a 16.x command, HTTP 400 before (find_test.go checks the answers).
	send("Find", wbxml.New("Find:Find", wbxml.NewText("SearchId", "1"), wbxml.New("ExecuteSearch", wbxml.New("MailBoxSearchCriterion",
		wbxml.New("Query", wbxml.NewText("AirSync:Class", "Email"), wbxml.NewText("FreeText", "message")),
		wbxml.New("Options", wbxml.NewText("Range", "0-4"), wbxml.New("DeepTraversal"))))))
	send("Find", wbxml.New("Find:Find", wbxml.NewText("SearchId", "2"), wbxml.New("ExecuteSearch",
		wbxml.New("GalSearchCriterion", wbxml.NewText("Query", "admin")))))
	send("ResolveRecipients", wbxml.New("ResolveRecipients:ResolveRecipients", wbxml.NewText("To", admin), wbxml.NewText("To", "nobody"),
		wbxml.New("Options", wbxml.NewText("MaxAmbiguousRecipients", "5"))))

	// Sending: SendMail, SmartReply, SmartForward, in the version's form; then a duplicate ClientId.
	message := outgoing(admin, "Sent at "+version, "Hello")
	for i, cmd := range []string{"SendMail", "SmartReply", "SmartForward", "SendMail"} {
		clientID := "c" + strings.ReplaceAll(version, ".", "") + "-" + string(rune('a'+i%3))
		if wbxmlMail {
			body := wbxml.New("ComposeMail:"+cmd, wbxml.NewText("ClientId", clientID), wbxml.New("SaveInSentItems"))
			if cmd != "SendMail" {
				body.Add(wbxml.New("Source", wbxml.NewText("FolderId", inbox), wbxml.NewText("ItemId", first)))
			}
			send(cmd, body.Add(wbxml.NewOpaque("Mime", message)))
			continue
		}
		p.ContentType, p.Params = "message/rfc822", url.Values{"SaveInSent": {"T"}, "ItemId": {first}, "CollectionId": {inbox}}
		if _, err := p.DoRaw(cmd, message); err != nil {
			t.Fatal(err)
		}
		p.ContentType, p.Params = "", nil
	}
	send("SendMail", wbxml.New("ComposeMail:SendMail", wbxml.NewText("ClientId", "empty"), wbxml.NewOpaque("Mime", []byte("not mime"))))

	send("MeetingResponse", wbxml.New("MeetingResponse:MeetingResponse", wbxml.New("Request",
		wbxml.NewText("UserResponse", "1"), wbxml.NewText("CollectionId", inbox), wbxml.NewText("RequestId", invite))))
	send("MeetingResponse", wbxml.New("MeetingResponse:MeetingResponse", wbxml.New("Request",
		wbxml.NewText("UserResponse", "1"), wbxml.NewText("CollectionId", inbox), wbxml.NewText("RequestId", "999999"))))

	send("ValidateCert", wbxml.New("ValidateCert:ValidateCert", wbxml.New("Certificates", wbxml.NewText("Certificate", "Z2FyYmFnZQ=="))))
	send("ValidateCert", wbxml.New("ValidateCert:ValidateCert"))

	// Every answer: no 5xx; a WBXML one decodes with libwbxml.
	if len(rec.all) < 60 {
		t.Fatalf("only %d exchanges recorded", len(rec.all))
	}
	dir := t.TempDir()
	for i, x := range rec.all {
		if x.status >= 500 {
			t.Errorf("%s at %s: HTTP %d %s", x.cmd, x.version, x.status, x.body)
			continue
		}
		if len(x.body) == 0 || x.contentType != "application/vnd.ms-sync.wbxml" {
			continue
		}
		in, out := filepath.Join(dir, "r.wbxml"), filepath.Join(dir, "r.xml")
		if err := os.WriteFile(in, x.body, 0o600); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command("wbxml2xml", "-l", "ACTIVESYNC", "-m", "0", "-o", out, in).CombinedOutput(); err != nil {
			t.Errorf("exchange %d, %s at %s: wbxml2xml refused the answer: %v %s", i, x.cmd, x.version, err, msg)
		}
	}
}
