package pim

import "github.com/tessera-mail/tessera/backend/internal/eas/wbxml"

// Ghost returns the ApplicationData a device's Change stands for once its
// ghosted properties are put back: the Change's own children, then each
// top-level element of stored (the item as Encode writes it for the same
// protocol version, with no body truncation) that the Change leaves out
// and ghosted reports true for. Decode the result to get the whole item.
//
// A Change otherwise carries the whole item and an absent property is a
// deleted one. Ghosting is the exception: in 12.1-14.1 a client that lists
// AirSync:Supported elements when it first syncs a Contacts or Calendar
// folder has every element it did not list kept by the server
// (GhostedUnlessSupported); in 16.x every top-level Calendar element a
// Change leaves out is kept (GhostAll).
func Ghost(change *wbxml.Node, stored []*wbxml.Node, ghosted func(name string) bool) *wbxml.Node {
	merged := &wbxml.Node{Name: change.Name, Children: append([]*wbxml.Node(nil), change.Children...)}
	present := make(map[string]bool, len(change.Children))
	for _, c := range change.Children {
		present[c.Name] = true
	}
	for _, s := range stored {
		if s != nil && !present[s.Name] && ghosted(s.Name) {
			merged.Children = append(merged.Children, s)
		}
	}
	return merged
}

// GhostAll ghosts every element: the 16.x rule for calendar items.
func GhostAll(string) bool { return true }

// GhostedUnlessSupported is the 12.1-14.1 rule for a folder whose client
// sent the given AirSync:Supported element names ("Contacts:FirstName"...):
// what it does not list is ghosted. Calendar:Location is never ghosted
// (MS-ASCAL 2.2.2.27). A client that sent no Supported element ghosts
// nothing, and then Ghost is not needed.
func GhostedUnlessSupported(supported []string) func(name string) bool {
	listed := make(map[string]bool, len(supported))
	for _, s := range supported {
		listed[s] = true
	}
	return func(name string) bool {
		return !listed[name] && name != "Calendar:Location"
	}
}
