package store

import "testing"

// The set keeps at most two generations of max words: a word in use moves to the current one
// and stays; a word not met for two generations is forgotten (and asked about again).
func TestKnownWordsGenerations(t *testing.T) {
	k := newKnownWords(3)
	k.learn([]string{"alpha", "beta", "gamma"})
	k.learn([]string{"delta"}) // the current generation was full: alpha..gamma are the old one
	if !k.has("alpha") || !k.has("delta") {
		t.Fatal("a word of the old generation or the current one is not known")
	}
	k.learn([]string{"epsilon", "zeta"}) // full again (delta, alpha, epsilon): beta and gamma are dropped
	for w, want := range map[string]bool{"alpha": true, "delta": true, "epsilon": true, "zeta": true, "beta": false, "gamma": false, "eta": false} {
		if got := k.has(w); got != want {
			t.Errorf("%s known: %v, want %v", w, got, want)
		}
	}
	if len(k.cur)+len(k.old) > 2*3 {
		t.Errorf("%d words kept, more than two generations of 3", len(k.cur)+len(k.old))
	}
	var none *knownWords // a database opened without the set
	none.learn([]string{"x"})
	if none.has("x") {
		t.Error("no set knows a word")
	}
}
