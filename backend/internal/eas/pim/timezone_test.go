package pim

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the machine's zoneinfo
)

// wEurope is the W. Europe Standard Time blob iPhones send for
// Europe/Berlin: empty names, bias -60, standard time from the last Sunday
// of October 03:00, daylight time (bias -60) from the last Sunday of March
// 02:00. The same string appears in the iPhone captures of Syncroton's and
// BlueMind's test suites; it is also what Windows' registry entry
// "W. Europe Standard Time" gives with the names left out.
const wEurope = "xP///wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAoAAAAFAAMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMAAAAFAAIAAAAAAAAAxP///w=="

// eastern is Eastern Standard Time without names: bias 300, standard time
// from the first Sunday of November 02:00, daylight time from the second
// Sunday of March 02:00.
const eastern = "LAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAsAAAABAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMAAAACAAIAAAAAAAAAxP///w=="

var (
	berlinRule = TimeZone{Bias: -60,
		StandardDate: SystemTime{Month: 10, DayOfWeek: 0, Day: 5, Hour: 3},
		DaylightDate: SystemTime{Month: 3, DayOfWeek: 0, Day: 5, Hour: 2}, DaylightBias: -60}
	easternRule = TimeZone{Bias: 300,
		StandardDate: SystemTime{Month: 11, DayOfWeek: 0, Day: 1, Hour: 2},
		DaylightDate: SystemTime{Month: 3, DayOfWeek: 0, Day: 2, Hour: 2}, DaylightBias: -60}
)

func TestParseDeviceBlob(t *testing.T) {
	for _, c := range []struct {
		blob string
		want TimeZone
	}{{wEurope, berlinRule}, {eastern, easternRule}} {
		z, err := ParseTimeZone(c.blob)
		if err != nil {
			t.Fatal(err)
		}
		same(t, *z, c.want)
		if z.Blob() != c.blob {
			t.Fatalf("Blob() = %s, want the device's %s", z.Blob(), c.blob)
		}
	}
}

func TestTimeZoneNames(t *testing.T) {
	z := berlinRule
	z.StandardName, z.DaylightName = "W. Europe Standard Time", "W. Europe Daylight Time"
	back, err := ParseTimeZone(z.Blob())
	if err != nil {
		t.Fatal(err)
	}
	same(t, *back, z)

	long := TimeZone{StandardName: "(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien"}
	if back, _ := ParseTimeZone(long.Blob()); back.StandardName != long.StandardName[:31] {
		t.Fatalf("long name came back as %q", back.StandardName)
	}
}

func TestParseTimeZoneErrors(t *testing.T) {
	// A blob cut short (159 bytes) is refused rather than read half.
	for _, bad := range []string{"not base64!", "AAAA", wEurope[:212]} {
		if _, err := ParseTimeZone(bad); err == nil {
			t.Errorf("ParseTimeZone(%q) succeeded", bad)
		}
	}
	// Unpadded base64 is accepted.
	if _, err := ParseTimeZone(wEurope[:len(wEurope)-2]); err != nil {
		t.Errorf("unpadded: %v", err)
	}
}

func TestZoneFromLocation(t *testing.T) {
	for _, c := range []struct {
		name string
		blob string
		want TimeZone
	}{
		{"Europe/Berlin", wEurope, berlinRule},
		{"America/New_York", eastern, easternRule},
	} {
		loc, err := time.LoadLocation(c.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, year := range []int{2026, 2027, 2030} {
			z := ZoneFromLocation(loc, year)
			if z.StandardName != c.name || z.DaylightName != c.name {
				t.Fatalf("%s names %q %q", c.name, z.StandardName, z.DaylightName)
			}
			z.StandardName, z.DaylightName = "", ""
			same(t, *z, c.want)
			if z.Blob() != c.blob {
				t.Fatalf("%s %d: blob differs from the device's", c.name, year)
			}
		}
	}
	if z := ZoneFromLocation(time.UTC, 2026); z.Blob() != func() string { u := UTCTimeZone(); u.StandardName, u.DaylightName = "UTC", "UTC"; return u.Blob() }() {
		t.Fatalf("UTC: %+v", z)
	}
}

// TestOffsetMatchesGo checks the rules hour by hour against Go's tzdata:
// ZoneFromLocation must find the switches and Offset must apply them the
// way Windows reads SYSTEMTIME rules, in both hemispheres, for half-hour
// daylight saving, for tzdata's negative DST (Dublin) and without DST.
func TestOffsetMatchesGo(t *testing.T) {
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago",
		"Australia/Lord_Howe", "Europe/Dublin", "Asia/Kolkata", "America/Sao_Paulo", "UTC"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		z := ZoneFromLocation(loc, 2026)
		for year := 2026; year <= 2027; year++ { // 2027 runs on 2026's rule
			start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
			for t0 := start; t0.Year() == year; t0 = t0.Add(30 * time.Minute) {
				_, off := t0.In(loc).Zone()
				if got := z.Offset(t0); got != time.Duration(off)*time.Second {
					t.Fatalf("%s at %v: Offset %v, tzdata %ds (%+v)", name, t0, got, off, z)
				}
			}
		}
	}
}

func TestOffsetOfDeviceBlob(t *testing.T) {
	z, _ := ParseTimeZone(wEurope)
	for _, c := range []struct {
		at   string
		want time.Duration
	}{
		{"20260329T005959Z", time.Hour},     // 01:59:59 CET
		{"20260329T010000Z", 2 * time.Hour}, // 03:00 CEST
		{"20261025T005959Z", 2 * time.Hour}, // 02:59:59 CEST
		{"20261025T010000Z", time.Hour},     // 02:00 CET
		{"20270328T010000Z", 2 * time.Hour}, // last Sunday of March 2027 is the 28th
	} {
		if got := z.Offset(utc(c.at)); got != c.want {
			t.Errorf("Offset(%s) = %v, want %v", c.at, got, c.want)
		}
	}
	if got := UTCTimeZone().Offset(utc("20260701T000000Z")); got != 0 {
		t.Errorf("UTC offset %v", got)
	}
}
