package dav

import (
	"fmt"
	"strings"

	"github.com/emersion/go-vcard"
	"github.com/emersion/go-webdav/carddav"
)

// addressbook-query filters (RFC 6352 10.5): prop-filters joined by anyof/allof, each true when
// one of the card's fields of that name passes its text-matches. Matching is case-insensitive,
// the default collation i;unicode-casemap (go-webdav's own Filter compares case-sensitively and
// only the first field).

func matchCard(q *carddav.AddressBookQuery, card vcard.Card) (bool, error) {
	if q == nil || len(q.PropFilters) == 0 {
		return true, nil
	}
	all := q.FilterTest == carddav.FilterAllOf
	if q.FilterTest != "" && q.FilterTest != carddav.FilterAnyOf && !all {
		return false, fmt.Errorf("unknown test %q", q.FilterTest)
	}
	for _, pf := range q.PropFilters {
		ok, err := matchCardProp(pf, card)
		if err != nil {
			return false, err
		}
		if ok && !all {
			return true, nil
		}
		if !ok && all {
			return false, nil
		}
	}
	return all, nil
}

func matchCardProp(pf carddav.PropFilter, card vcard.Card) (bool, error) {
	fields := card[strings.ToUpper(pf.Name)]
	if pf.IsNotDefined {
		return len(fields) == 0, nil
	}
	if len(fields) == 0 {
		return false, nil
	}
	if len(pf.TextMatches) == 0 {
		return true, nil
	}
	all := pf.Test == carddav.FilterAllOf
	for _, f := range fields {
		fieldOK := all
		for _, tm := range pf.TextMatches {
			ok, err := matchCardText(tm, f.Value)
			if err != nil {
				return false, err
			}
			if all {
				fieldOK = fieldOK && ok
			} else {
				fieldOK = fieldOK || ok
			}
		}
		if fieldOK {
			return true, nil
		}
	}
	return false, nil
}

func matchCardText(tm carddav.TextMatch, value string) (bool, error) {
	v, t := strings.ToLower(value), strings.ToLower(tm.Text)
	var ok bool
	switch tm.MatchType {
	case carddav.MatchEquals:
		ok = v == t
	case carddav.MatchContains, "":
		ok = strings.Contains(v, t)
	case carddav.MatchStartsWith:
		ok = strings.HasPrefix(v, t)
	case carddav.MatchEndsWith:
		ok = strings.HasSuffix(v, t)
	default:
		return false, fmt.Errorf("unknown match-type %q", tm.MatchType)
	}
	return ok != tm.NegateCondition, nil
}
