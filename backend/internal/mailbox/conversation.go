package mailbox

import (
	"regexp"
	"strings"
)

// replyPrefix is one reply or forward marker of the languages mail clients write ("Re:",
// "Fwd:", "AW:", "SV:", "Re[2]:", ...).
var replyPrefix = regexp.MustCompile(`(?i)^(re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|ynt|odp)(\[\d+\])?\s*:\s*`)

// ConversationTopic is the subject without its reply and forward markers: the messages of a
// conversation share it ("Re: Fwd: Lunch" and "Lunch" are one conversation).
func ConversationTopic(subject string) string {
	t := strings.TrimSpace(subject)
	for {
		loc := replyPrefix.FindStringIndex(t)
		if loc == nil {
			return t
		}
		t = strings.TrimSpace(t[loc[1]:])
	}
}
