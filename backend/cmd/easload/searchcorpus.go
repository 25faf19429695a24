package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The generated mail: a Zipf-distributed vocabulary of made-up words, some German mail with
// umlauts and Japanese mail without spaces, 2,000 senders.
var (
	syllables = strings.Fields("ka ri to me sa no lu ven dor al ex mi pa ster on ig ul bra te cor fin gal hu jo")
	german    = strings.Fields("Grüße München Straße Äpfel Übersicht Besprechung Rechnung Größe Rückmeldung Termin Änderung Büro Gebühr schön")
	japanese  = strings.Fields("会議 東京 議事録 予定 確認 お願いします 資料 来週 担当 報告 見積 出張 連絡 大阪 品質")
)

func makeWord(r *rand.Rand) string {
	var b strings.Builder
	for n := 2 + r.IntN(3); n > 0; n-- {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	return b.String()
}

type searchCorpus struct {
	vocab []string
	zipf  *rand.Zipf
	r     *rand.Rand
}

func newSearchCorpus() *searchCorpus {
	r := rand.New(rand.NewPCG(17, 2026))
	seen := map[string]bool{}
	var vocab []string
	for len(vocab) < 30000 {
		if w := makeWord(r); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return &searchCorpus{vocab: vocab, r: r, zipf: rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))}
}

func (c *searchCorpus) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = c.vocab[c.zipf.Uint64()]
	}
	return strings.Join(w, " ")
}

func (c *searchCorpus) message(i int) []byte {
	subject, body := c.words(3+c.r.IntN(5)), c.words(40+c.r.IntN(160))
	switch i % 10 {
	case 3: // German
		subject = german[c.r.IntN(len(german))] + " " + subject
		body = german[c.r.IntN(len(german))] + " " + body + " " + german[c.r.IntN(len(german))]
	case 7: // Japanese: no spaces
		var b strings.Builder
		for n := 10 + c.r.IntN(30); n > 0; n-- {
			b.WriteString(japanese[c.r.IntN(len(japanese))])
		}
		subject, body = japanese[c.r.IntN(len(japanese))]+"の件", b.String()
	}
	s := c.r.IntN(2000)
	return []byte(fmt.Sprintf("From: Sender %d <sender%d@domain%d.example>\r\nTo: search@%s\r\nSubject: %s\r\nDate: %s\r\n"+
		"Message-ID: <search%d@load.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		s, s, s%50, loadDomain, subject, time.Now().Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), i, wrap(body)))
}

func wrap(s string) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+len(w) > 72 {
			b.WriteString("\r\n")
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// queries: what people search for: words from the frequent to the rare, a piece of a word,
// German, Japanese, a sender, a domain, nothing. A word in most messages ("the") is timed on
// its own (commonQueries): each of its matches must be confirmed, so it costs a scan.
func (c *searchCorpus) queries() []string {
	mid := c.vocab[1000]
	return []string{c.vocab[150], c.vocab[600], c.vocab[2000], c.vocab[8000], c.vocab[20000], mid[1 : len(mid)-1], "München", "grüße",
		"議事録", "東京", "sender1234", "domain7.example", "nosuchword"}
}

func (c *searchCorpus) commonQueries() []string { return []string{c.vocab[0], c.vocab[5]} }
