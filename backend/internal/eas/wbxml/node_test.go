package wbxml

import (
	"strings"
	"testing"
)

func TestBuildersQualifyNames(t *testing.T) {
	// Inner nodes are built before their parents know a namespace; New
	// fills it in down to the first node that has its own.
	body := New("AirSyncBase:Body", NewText("Type", "2"))
	app := New("ApplicationData", NewText("Email:Subject", "s"), body, New("Email:Flag", NewText("Status", "2")))
	n := New("AirSync:Add", NewText("ServerId", "1:1"), app)
	want := []string{"AirSync:Add", "AirSync:ServerId", "AirSync:ApplicationData", "Email:Subject",
		"AirSyncBase:Body", "AirSyncBase:Type", "Email:Flag", "Email:Status"}
	var got []string
	var walk func(*Node)
	walk = func(n *Node) {
		got = append(got, n.Name)
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(n)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("names %v, want %v", got, want)
	}
}

func TestAddAndLookups(t *testing.T) {
	coll := New("AirSync:Collection", NewText("SyncKey", "3"), New("GetChanges"), nil)
	coll.Add(New("Commands", New("Add", NewText("ServerId", "a")), New("Add", NewText("ServerId", "b")),
		New("Delete", NewText("ServerId", "c"))))
	if coll.TextOf("SyncKey") != "3" || coll.TextOf("AirSync:SyncKey") != "3" {
		t.Error("TextOf SyncKey")
	}
	if !coll.Has("GetChanges") || coll.Has("DeletesAsMoves") || coll.Has("Email:GetChanges") {
		t.Error("Has")
	}
	adds := coll.Child("Commands").All("Add")
	if len(adds) != 2 || adds[1].TextOf("ServerId") != "b" {
		t.Errorf("All(Add) = %v", adds)
	}
	var nilNode *Node
	if nilNode.Child("x").Child("y") != nil || nilNode.TextOf("x") != "" || nilNode.All("x") != nil {
		t.Error("lookups on nil must be nil")
	}
	if coll.Namespace() != "AirSync" || coll.Local() != "Collection" {
		t.Errorf("Namespace/Local = %q %q", coll.Namespace(), coll.Local())
	}
	if v := NewOpaque("AirSyncBase:Data", []byte("x")).Value(); v != "x" {
		t.Errorf("Value of opaque = %q", v)
	}
}

func TestUnqualifiedChildrenInheritWhenEncoded(t *testing.T) {
	// A node appended by hand, bypassing Add, still takes its parent's page.
	n := New("Ping:Ping")
	n.Children = append(n.Children, &Node{Name: "HeartbeatInterval", Text: "60"})
	b, err := Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Unmarshal(b)
	if err != nil || back.Children[0].Name != "Ping:HeartbeatInterval" || !back.Equal(n) {
		t.Fatalf("%v %v", back, err)
	}
}

func TestEqual(t *testing.T) {
	a := New("Email:Subject")
	cases := []struct {
		x, y *Node
		eq   bool
	}{
		{NewText("AirSync:SyncKey", "1"), NewText("AirSync:SyncKey", "1"), true},
		{NewText("AirSync:SyncKey", "1"), NewText("AirSync:SyncKey", "2"), false},
		{NewText("AirSync:SyncKey", "1"), NewText("FolderHierarchy:SyncKey", "1"), false},
		{NewText("ComposeMail:Mime", "x"), NewOpaque("ComposeMail:Mime", []byte("x")), false},
		{NewOpaque("ComposeMail:Mime", nil), New("ComposeMail:Mime"), false},
		{New("AirSync:Sync", a), New("AirSync:Sync"), false},
		{nil, nil, true},
		{a, nil, false},
	}
	for i, c := range cases {
		if c.x.Equal(c.y) != c.eq || c.y.Equal(c.x) != c.eq {
			t.Errorf("case %d: Equal = %v", i, !c.eq)
		}
	}
}

func TestMarshalRejects(t *testing.T) {
	cycle := New("AirSync:Sync")
	cycle.Children = append(cycle.Children, cycle)
	cases := []struct {
		name string
		n    *Node
		msg  string
	}{
		{"nil", nil, "nil element"},
		{"nil child", &Node{Name: "AirSync:Sync", Children: []*Node{nil}}, "nil element"},
		{"unknown tag", New("AirSync:Nope"), "unknown element AirSync:Nope"},
		{"unknown page", New("Nope:Sync"), "unknown element"},
		{"no namespace", New("Sync"), "no namespace"},
		{"NUL in text", NewText("AirSync:SyncKey", "a\x00b"), "NUL"},
		{"bad UTF-8", NewText("AirSync:SyncKey", "a\xffb"), "UTF-8"},
		{"text and children", &Node{Name: "AirSync:Sync", Text: "x", Children: []*Node{New("Status")}}, "mixes"},
		{"text and opaque", &Node{Name: "ComposeMail:Mime", Text: "x", Opaque: []byte("y")}, "mixes"},
		{"cycle", cycle, "deeper than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Marshal(c.n)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want %q", err, c.msg)
			}
		})
	}
}

func TestKnown(t *testing.T) {
	for name, want := range map[string]bool{
		"AirSync:Sync": true, "GAL:Data": true, "Find:Picture": true, "GetItemEstimate:Estimate": true,
		"AirSync:Nope": false, "Sync": false, "Gal:Data": false,
	} {
		if Known(name) != want {
			t.Errorf("Known(%q) = %v", name, !want)
		}
	}
}
