package password

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// commonList holds the 10,000 most frequent passwords of zxcvbn 4.4.2 (MIT,
// Dropbox), lower case, one per line, after a '#' header. It was produced
// from the npm package, without any script in the repository, by:
//
//	npm pack zxcvbn@4.4.2 && tar xzf zxcvbn-4.4.2.tgz && node -e 'const p=require("./package/lib/frequency_lists.js").passwords; process.stdout.write("# source: zxcvbn 4.4.2 (MIT, Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.), first 10000 of the passwords frequency list\n"+p.slice(0,10000).join("\n")+"\n")' > common-passwords.txt
//
//go:embed common-passwords.txt
var commonList string

var (
	commonOnce sync.Once
	commonSet  map[string]struct{}
)

// common builds the set on first use so programs that never check a
// password (the CLI's other commands) do not pay for it.
func common() map[string]struct{} {
	commonOnce.Do(func() {
		commonSet = make(map[string]struct{}, 10000)
		for _, line := range strings.Split(commonList, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			commonSet[strings.ToLower(line)] = struct{}{}
		}
	})
	return commonSet
}

// leet undoes the usual character substitutions. '1' stands for both 'i'
// and 'l', so there are two tables rather than a guess.
var (
	leetI = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "9", "g", "8", "b")
	leetL = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "l", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "9", "g", "8", "b")
)

// minStripped keeps stripping from reducing a password to a short common
// fragment ("Xx-love-2024" is not "love").
const minStripped = 4

// IsCommon reports whether pw is in the common-password list, ignoring case
// and the disguises people believe make it safe: leet substitutions
// ("P@ssw0rd") and digits or symbols glued to either end ("Summer2024!").
func IsCommon(pw string) bool {
	set := common()
	lower := strings.ToLower(pw)
	for _, c := range variants(lower) {
		if _, ok := set[c]; ok {
			return true
		}
	}
	return false
}

// variants lists the lower-cased forms to look up. Stripping and undoing
// leet are tried in both orders: "p@ssw0rd1!" needs stripping first (else
// "1!" becomes "ii"), "4dmin" needs leet first (else the 'a' is stripped).
func variants(s string) []string {
	out := []string{s}
	addStripped := func(v string) {
		if t := strings.TrimFunc(v, notLetter); t != v && utf8.RuneCountInString(t) >= minStripped {
			out = append(out, t)
		}
	}
	addStripped(s)
	for _, r := range []*strings.Replacer{leetI, leetL} {
		l := r.Replace(s)
		out = append(out, l)
		addStripped(l)
		if t := strings.TrimFunc(s, notLetter); t != s && utf8.RuneCountInString(t) >= minStripped {
			out = append(out, r.Replace(t))
		}
	}
	return out
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }
