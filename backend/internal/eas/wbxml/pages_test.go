package wbxml

import "testing"

// TestCodePages pins page numbers and a few tokens per page to MS-ASWBXML
// section 2.1.2.1, so that a table moved or reordered fails here by name.
func TestCodePages(t *testing.T) {
	want := []string{"AirSync", "Contacts", "Email", "AirNotify", "Calendar", "Move", "GetItemEstimate",
		"FolderHierarchy", "MeetingResponse", "Tasks", "ResolveRecipients", "ValidateCert", "Contacts2",
		"Ping", "Provision", "Search", "GAL", "AirSyncBase", "Settings", "DocumentLibrary",
		"ItemOperations", "ComposeMail", "Email2", "Notes", "RightsManagement", "Find"}
	for p, name := range want {
		if pageNames[p] != name {
			t.Errorf("page %d is %q, want %q", p, pageNames[p], name)
		}
	}
	tokens := map[string][2]int{
		"AirSync:Sync": {0, 0x05}, "AirSync:HeartbeatInterval": {0, 0x29},
		"Contacts:WeightedRank": {1, 0x3E}, "Email:DisallowNewTimeProposal": {2, 0x3F},
		"Calendar:ClientUid": {4, 0x3C}, "Move:DstMsgId": {5, 0x0C},
		"GetItemEstimate:Estimate": {6, 0x0C}, "FolderHierarchy:Count": {7, 0x17},
		"MeetingResponse:SendResponse": {8, 0x12}, "Tasks:FirstDayOfWeek": {9, 0x26},
		"ResolveRecipients:MaxPictures": {10, 0x1D}, "ValidateCert:Status": {11, 0x0A},
		"Contacts2:MMS": {12, 0x0E}, "Ping:MaxFolders": {13, 0x0D},
		"Provision:AccountOnlyRemoteWipe": {14, 0x3B}, "Search:MaxPictures": {15, 0x23},
		"GAL:Data": {16, 0x12}, "AirSyncBase:InstanceId": {17, 0x2D},
		"Settings:RightsManagementInformation": {18, 0x2B}, "DocumentLibrary:ContentType": {19, 0x0C},
		"ItemOperations:MoveAlways": {20, 0x19}, "ComposeMail:ForwardeeEmail": {21, 0x18},
		"Email2:Send": {22, 0x17}, "Notes:Category": {23, 0x09},
		"RightsManagement:RemoveRightsManagementProtection": {24, 0x18},
		"Find:GalSearchCriterion":                           {25, 0x19}, "Find:MaxPictures": {25, 0x20}, "Find:Picture": {25, 0x22},
	}
	for name, pt := range tokens {
		space, local := split(name)
		page, token, ok := lookup(space, local)
		if !ok || page != pt[0] || int(token) != pt[1] {
			t.Errorf("%s = page %d token %#x (%v), want page %d token %#x", name, page, token, ok, pt[0], pt[1])
		}
		if fullNames[pt[0]][pt[1]] != name {
			t.Errorf("token %d/%#x decodes as %q, want %q", pt[0], pt[1], fullNames[pt[0]][pt[1]], name)
		}
	}
}
