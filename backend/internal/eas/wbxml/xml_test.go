package wbxml

import (
	"strings"
	"testing"
)

func TestXMLForm(t *testing.T) {
	n := New("AirSync:Sync", New("Collections", New("Collection",
		NewText("SyncKey", "1"), New("GetChanges"),
		New("Commands", New("Add", New("ApplicationData",
			NewText("Email:Subject", "a < b & \"c\"\r\n"),
			New("AirSyncBase:Body", NewText("Type", "1"))))))))
	want := `<Sync xmlns="AirSync:">
  <Collections>
    <Collection>
      <SyncKey>1</SyncKey>
      <GetChanges/>
      <Commands>
        <Add>
          <ApplicationData>
            <Subject xmlns="Email:">a &lt; b &amp; &quot;c&quot;&#xD;
</Subject>
            <Body xmlns="AirSyncBase:">
              <Type>1</Type>
            </Body>
          </ApplicationData>
        </Add>
      </Commands>
    </Collection>
  </Collections>
</Sync>
`
	if got := n.XML(); got != want {
		t.Fatalf("XML:\n%s\nwant\n%s", got, want)
	}
	back, err := ParseXML([]byte(n.XML()))
	if err != nil || !back.Equal(n) {
		t.Fatalf("ParseXML(XML()) = %v, %v", back, err)
	}
}

func TestXMLOpaqueMarkers(t *testing.T) {
	cases := []struct {
		n    *Node
		want string
	}{
		{NewOpaque("ComposeMail:Mime", []byte("hi")), `<Mime xmlns="ComposeMail:">aGk=</Mime>`},
		{NewOpaque("ComposeMail:Mime", nil), `<Mime xmlns="ComposeMail:" opaque="true"/>`},
		{NewText("ComposeMail:Mime", "hi"), `<Mime xmlns="ComposeMail:" opaque="false">hi</Mime>`},
		{NewOpaque("AirSyncBase:Data", []byte("hi")), `<Data xmlns="AirSyncBase:" opaque="true">aGk=</Data>`},
		{NewText("AirSyncBase:Data", "x\x01y"), `<Data xmlns="AirSyncBase:">x` + "\uFFFD" + `y</Data>`},
	}
	for _, c := range cases {
		got := strings.TrimSpace(c.n.XML())
		if got != c.want {
			t.Errorf("XML = %s, want %s", got, c.want)
			continue
		}
		if strings.ContainsRune(got, '\uFFFD') {
			continue // shown for people, not for the round trip
		}
		back, err := ParseXML([]byte(got))
		if err != nil || !back.Equal(c.n) {
			t.Errorf("ParseXML(%s) = %v, %v", got, back, err)
		}
	}
}

func TestParseXMLNamespaceForms(t *testing.T) {
	want := New("AirSync:Sync", New("Collections", New("Collection", NewText("GetItemEstimate:Estimate", "1"),
		NewText("GAL:Data", ""), NewText("Email:Subject", " spaced "))))
	docs := []string{
		// libwbxml's form
		`<?xml version="1.0"?><!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">
<Sync xmlns="AirSync:"><Collections><Collection><Estimate xmlns="GetItemEstimate:">1</Estimate>
<Data xmlns="Gal:"/><Subject xmlns="Email:"> spaced </Subject></Collection></Collections></Sync>`,
		// Microsoft's form: prefixes, no colon
		`<Sync xmlns="AirSync" xmlns:gie="GetItemEstimate" xmlns:gal="GAL" xmlns:email="Email">
  <Collections> <Collection> <gie:Estimate>1</gie:Estimate> <gal:Data></gal:Data>
  <email:Subject> spaced </email:Subject> </Collection> </Collections> </Sync>`,
		// undeclared prefixes naming pages, SynCE URIs
		`<airsync:Sync xmlns:ie="http://synce.org/formats/airsync_wm5/itemestimate"><Collections><Collection>
<ie:Estimate>1</ie:Estimate><gal:Data/><email:Subject> spaced </email:Subject></Collection></Collections></airsync:Sync>`,
	}
	for i, d := range docs {
		got, err := ParseXML([]byte(d))
		if err != nil {
			t.Errorf("doc %d: %v", i, err)
			continue
		}
		if !got.Equal(want) {
			t.Errorf("doc %d:\n%s\nwant\n%s", i, got, want)
		}
	}
}

func TestParseXMLRejects(t *testing.T) {
	cases := map[string]string{
		"":                               "no root",
		`<Sync/>`:                        "no namespace",
		`<Sync xmlns="Nope:"/>`:          "unknown namespace",
		`<Nope xmlns="AirSync:"/>`:       "unknown element",
		`<Sync xmlns="AirSync:" a="1"/>`: "attribute",
		`<Sync xmlns="AirSync:">x<Status/></Sync>`:         "mixes",
		`<Sync xmlns="AirSync:"><Status/>x</Sync>`:         "mixes",
		`<Sync xmlns="AirSync:"/><Sync xmlns="AirSync:"/>`: "second root",
		`<Mime xmlns="ComposeMail:">not base64!</Mime>`:    "opaque content",
		`<Sync xmlns="AirSync:">`:                          "XML",
		`x<Sync xmlns="AirSync:"/>`:                        "outside",
	}
	for in, msg := range cases {
		if n, err := ParseXML([]byte(in)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseXML(%q) = %v, %v; want error with %q", in, n, err, msg)
		}
	}
	deep := strings.Repeat(`<Sync xmlns="AirSync:">`, DefaultMaxDepth+1)
	if _, err := ParseXML([]byte(deep)); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("deep XML: %v", err)
	}
}

func TestSpecExamplesThroughXML(t *testing.T) {
	for _, c := range specCases {
		back, err := ParseXML([]byte(c.tree.XML()))
		if err != nil || !back.Equal(c.tree) {
			t.Errorf("%s: ParseXML(XML()) = %v, %v", c.name, back, err)
		}
	}
}
