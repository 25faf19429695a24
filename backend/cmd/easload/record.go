package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// recordOptions let every measurement append its figure to a file that `easload report`
// turns into one markdown table: a row per measurement, a column per configuration.
type recordOptions struct {
	File  string // tab-separated: configuration, measurement, figure; empty: print only
	Label string // the configuration, e.g. "SQLite, 1 instance"
	Note  string // added to the measurement's name: how this run differs from the usual one
}

// add prints the figure and appends it to the record file.
func (r recordOptions) add(what, figure string) error {
	if r.Note != "" {
		what += ", " + r.Note
	}
	fmt.Printf("%s: %s\n", what, figure)
	if r.File == "" {
		return nil
	}
	f, err := os.OpenFile(r.File, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "|", "/").Replace(s) }
	_, err = fmt.Fprintf(f, "%s\t%s\t%s\n", clean(r.Label), clean(what), clean(figure))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeReport reads records and writes the markdown table; measurements and configurations
// keep the order in which they first appear.
func writeReport(records io.Reader, out io.Writer) error {
	var configs, rows []string
	seenC, seenR := map[string]bool{}, map[string]bool{}
	cell := map[[2]string]string{}
	sc := bufio.NewScanner(records)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			continue
		}
		c, r := parts[0], parts[1]
		if !seenC[c] {
			seenC[c] = true
			configs = append(configs, c)
		}
		if !seenR[r] {
			seenR[r] = true
			rows = append(rows, r)
		}
		cell[[2]string{r, c}] = parts[2]
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("no records")
	}
	fmt.Fprintf(out, "| measurement | %s |\n|---|%s\n", strings.Join(configs, " | "), strings.Repeat("---|", len(configs)))
	for _, r := range rows {
		cells := make([]string, len(configs))
		for i, c := range configs {
			if cells[i] = cell[[2]string{r, c}]; cells[i] == "" {
				cells[i] = "—"
			}
		}
		fmt.Fprintf(out, "| %s | %s |\n", r, strings.Join(cells, " | "))
	}
	return nil
}

// addWakes records the wakes of held connections after deliveries (from the start of each
// delivery request to the held connection's answer) and, apart, the delivery requests alone
// (until their 201: stored, indexed, committed, published), so that a slow wake can be told
// to be the delivery or what follows it. Both lists are sorted in place.
func (r recordOptions) addWakes(what string, wake, deliver []time.Duration) error {
	if len(wake) == 0 {
		return nil
	}
	for _, l := range []struct {
		what string
		lat  []time.Duration
	}{{what, wake}, {what + ": of it, the delivery request", deliver}} {
		sort.Slice(l.lat, func(a, b int) bool { return l.lat[a] < l.lat[b] })
		if err := r.add(l.what, fmt.Sprintf("p50 %s, p90 %s, p99 %s, max %s",
			ms(quantile(l.lat, 0.5)), ms(quantile(l.lat, 0.9)), ms(quantile(l.lat, 0.99)), ms(l.lat[len(l.lat)-1]))); err != nil {
			return err
		}
	}
	return nil
}
