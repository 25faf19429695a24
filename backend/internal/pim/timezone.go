package pim

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// TimeZone is the TIME_ZONE_INFORMATION structure behind Calendar:Timezone
// (MS-ASDTYPE 2.7.6): biases in minutes, UTC = local time + bias, and the
// yearly switches to standard and to daylight time.
type TimeZone struct {
	Bias         int32      `json:"bias"`
	StandardName string     `json:"standardName,omitempty"`
	StandardDate SystemTime `json:"standardDate"` // when daylight time ends, in daylight wall time
	StandardBias int32      `json:"standardBias"`
	DaylightName string     `json:"daylightName,omitempty"`
	DaylightDate SystemTime `json:"daylightDate"` // when daylight time starts, in standard wall time
	DaylightBias int32      `json:"daylightBias"`
}

// SystemTime is a Windows SYSTEMTIME used as a transition rule: with Year
// 0, Day is the week of the month (1-4, 5 = last) of weekday DayOfWeek
// (0 = Sunday) in Month; Month 0 means the zone has no daylight time.
type SystemTime struct {
	Year         uint16 `json:"year,omitempty"`
	Month        uint16 `json:"month"`
	DayOfWeek    uint16 `json:"dayOfWeek"`
	Day          uint16 `json:"day"`
	Hour         uint16 `json:"hour"`
	Minute       uint16 `json:"minute"`
	Second       uint16 `json:"second,omitempty"`
	Milliseconds uint16 `json:"milliseconds,omitempty"`
}

// tziSize is the structure's size: 3 LONGs, 2 WCHAR[32], 2 SYSTEMTIMEs.
const tziSize = 4 + 64 + 16 + 4 + 64 + 16 + 4

// ParseTimeZone reads the base64 blob a device sends in Calendar:Timezone.
// Bytes past the structure are ignored; a shorter blob is an error.
func ParseTimeZone(blob string) (*TimeZone, error) {
	blob = strings.Join(strings.Fields(blob), "")
	b, err := base64.StdEncoding.DecodeString(blob)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(blob); err != nil {
			return nil, fmt.Errorf("pim: time zone: %w", err)
		}
	}
	if len(b) < tziSize {
		return nil, fmt.Errorf("pim: time zone: %d bytes, want %d", len(b), tziSize)
	}
	le := binary.LittleEndian
	return &TimeZone{
		Bias:         int32(le.Uint32(b[0:])),
		StandardName: utf16String(b[4:68]),
		StandardDate: systemTime(b[68:84]),
		StandardBias: int32(le.Uint32(b[84:])),
		DaylightName: utf16String(b[88:152]),
		DaylightDate: systemTime(b[152:168]),
		DaylightBias: int32(le.Uint32(b[168:])),
	}, nil
}

// Blob returns the base64 form sent in Calendar:Timezone. Names longer than
// 31 UTF-16 units are cut so that the terminating NUL fits.
func (z *TimeZone) Blob() string {
	b := make([]byte, tziSize)
	le := binary.LittleEndian
	le.PutUint32(b[0:], uint32(z.Bias))
	putUTF16(b[4:68], z.StandardName)
	z.StandardDate.put(b[68:84])
	le.PutUint32(b[84:], uint32(z.StandardBias))
	putUTF16(b[88:152], z.DaylightName)
	z.DaylightDate.put(b[152:168])
	le.PutUint32(b[168:], uint32(z.DaylightBias))
	return base64.StdEncoding.EncodeToString(b)
}

// UTCTimeZone is UTC without daylight time: an all-zero structure, which is
// what phones send for UTC.
func UTCTimeZone() *TimeZone { return &TimeZone{} }

func systemTime(b []byte) SystemTime {
	w := func(i int) uint16 { return binary.LittleEndian.Uint16(b[2*i:]) }
	return SystemTime{w(0), w(1), w(2), w(3), w(4), w(5), w(6), w(7)}
}

func (s SystemTime) put(b []byte) {
	for i, v := range []uint16{s.Year, s.Month, s.DayOfWeek, s.Day, s.Hour, s.Minute, s.Second, s.Milliseconds} {
		binary.LittleEndian.PutUint16(b[2*i:], v)
	}
}

func utf16String(b []byte) string {
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u := binary.LittleEndian.Uint16(b[i:])
		if u == 0 {
			break
		}
		units = append(units, u)
	}
	return string(utf16.Decode(units))
}

func putUTF16(b []byte, s string) {
	units := utf16.Encode([]rune(s))
	if max := len(b)/2 - 1; len(units) > max {
		units = units[:max]
	}
	for i, u := range units {
		binary.LittleEndian.PutUint16(b[2*i:], u)
	}
}

// Offset returns the zone's UTC offset at t, applying the daylight rule of
// t's year; a device's blob carries one rule, so past years that had other
// rules come out as the rule says, as they do on the device.
func (z *TimeZone) Offset(t time.Time) time.Duration {
	std := -time.Duration(z.Bias+z.StandardBias) * time.Minute
	if z.DaylightDate.Month == 0 || z.StandardDate.Month == 0 {
		return std
	}
	dst := -time.Duration(z.Bias+z.DaylightBias) * time.Minute
	year := t.UTC().Add(std).Year()
	// DaylightDate is read on the standard-time clock, StandardDate on the
	// daylight-time clock, as Windows does.
	start := z.DaylightDate.in(year).Add(-std)
	end := z.StandardDate.in(year).Add(-dst)
	var inDST bool
	if start.Before(end) {
		inDST = !t.Before(start) && t.Before(end)
	} else { // southern hemisphere: daylight time spans the new year
		inDST = !t.Before(start) || t.Before(end)
	}
	if inDST {
		return dst
	}
	return std
}

// in gives the wall-clock moment of the rule in year, as a UTC-labelled time.
func (s SystemTime) in(year int) time.Time {
	clock := time.Duration(s.Hour)*time.Hour + time.Duration(s.Minute)*time.Minute +
		time.Duration(s.Second)*time.Second + time.Duration(s.Milliseconds)*time.Millisecond
	month := time.Month(s.Month)
	if s.Year != 0 { // an absolute date
		return time.Date(year, month, int(s.Day), 0, 0, 0, 0, time.UTC).Add(clock)
	}
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	day := 1 + (int(s.DayOfWeek)-int(first.Weekday())+7)%7 + 7*(int(s.Day)-1)
	for day > daysIn(year, month) {
		day -= 7 // week 5 is the last such weekday, which may be the 4th
	}
	return first.AddDate(0, 0, day-1).Add(clock)
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
