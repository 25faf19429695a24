package wbxml

import "strings"

// libwbxmlNames maps our names to libwbxml 0.11.8's where they differ; the
// tokens agree everywhere. libwbxml keeps the r1.0 names of MS-ASWBXML
// (Attendee_Email, Recurrence_Type, UTCDueDate, MIME...), shortens the
// Contacts address tags, and has two typos of its own
// (ihsManagementInformation, RemoveRightsManagementDistribution). Its 0.11.8
// release also lacks the 16.1 tags (page 25 Find, MeetingResponse
// ProposedStartTime/ProposedEndTime, Provision AccountOnlyRemoteWipe), so the
// corpus avoids them; spec_test.go covers them.
var libwbxmlNames = map[string]string{
	"Contacts:AssistantPhoneNumber":                     "AssistantTelephoneNumber",
	"Contacts:BusinessAddressCity":                      "BusinessCity",
	"Contacts:BusinessAddressCountry":                   "BusinessCountry",
	"Contacts:BusinessAddressPostalCode":                "BusinessPostalCode",
	"Contacts:BusinessAddressState":                     "BusinessState",
	"Contacts:BusinessAddressStreet":                    "BusinessStreet",
	"Contacts:HomeAddressCity":                          "HomeCity",
	"Contacts:HomeAddressCountry":                       "HomeCountry",
	"Contacts:HomeAddressPostalCode":                    "HomePostalCode",
	"Contacts:HomeAddressState":                         "HomeState",
	"Contacts:HomeAddressStreet":                        "HomeStreet",
	"Contacts:OtherAddressCity":                         "OtherCity",
	"Contacts:OtherAddressCountry":                      "OtherCountry",
	"Contacts:OtherAddressPostalCode":                   "OtherPostalCode",
	"Contacts:OtherAddressState":                        "OtherState",
	"Contacts:OtherAddressStreet":                       "OtherStreet",
	"Email:ReplyTo":                                     "Reply-To",
	"Email:DtStamp":                                     "DTStamp",
	"Email:Type":                                        "Recurrence_Type",
	"Email:Until":                                       "Recurrence_Until",
	"Email:Occurrences":                                 "Recurrence_Occurrences",
	"Email:Interval":                                    "Recurrence_Interval",
	"Email:DayOfWeek":                                   "Recurrence_DayOfWeek",
	"Email:DayOfMonth":                                  "Recurrence_DayOfMonth",
	"Email:WeekOfMonth":                                 "Recurrence_WeekOfMonth",
	"Email:MonthOfYear":                                 "Recurrence_MonthOfYear",
	"Email:Status":                                      "FlagStatus",
	"Calendar:Timezone":                                 "TimeZone",
	"Calendar:Email":                                    "Attendee_Email",
	"Calendar:Name":                                     "Attendee_Name",
	"Calendar:CompressedRTF":                            "Compressed_RTF",
	"Calendar:DtStamp":                                  "DTStamp",
	"Calendar:Deleted":                                  "Exception_Deleted",
	"Calendar:ExceptionStartTime":                       "Exception_StartTime",
	"Calendar:OrganizerEmail":                           "Organizer_Email",
	"Calendar:OrganizerName":                            "Organizer_Name",
	"Calendar:Type":                                     "Recurrence_Type",
	"Calendar:Until":                                    "Recurrence_Until",
	"Calendar:Occurrences":                              "Recurrence_Occurrences",
	"Calendar:Interval":                                 "Recurrence_Interval",
	"Calendar:DayOfWeek":                                "Recurrence_DayOfWeek",
	"Calendar:DayOfMonth":                               "Recurrence_DayOfMonth",
	"Calendar:WeekOfMonth":                              "Recurrence_WeekOfMonth",
	"Calendar:MonthOfYear":                              "Recurrence_MonthOfYear",
	"Calendar:AttendeeStatus":                           "Attendee_Status",
	"Calendar:AttendeeType":                             "Attendee_Type",
	"Tasks:UtcDueDate":                                  "UTCDueDate",
	"Tasks:Type":                                        "Recurrence_Type",
	"Tasks:Start":                                       "Recurrence_Start",
	"Tasks:Until":                                       "Recurrence_Until",
	"Tasks:Occurrences":                                 "Recurrence_Occurrences",
	"Tasks:Interval":                                    "Recurrence_Interval",
	"Tasks:DayOfMonth":                                  "Recurrence_DayOfMonth",
	"Tasks:DayOfWeek":                                   "Recurrence_DayOfWeek",
	"Tasks:WeekOfMonth":                                 "Recurrence_WeekOfMonth",
	"Tasks:MonthOfYear":                                 "Recurrence_MonthOfYear",
	"Tasks:Regenerate":                                  "Recurrence_Regenerate",
	"Tasks:DeadOccur":                                   "Recurrence_DeadOccur",
	"Tasks:UtcStartDate":                                "UTCStartDate",
	"Settings:RightsManagementInformation":              "ihsManagementInformation",
	"ComposeMail:Mime":                                  "MIME",
	"RightsManagement:Owner":                            "RMOwner",
	"RightsManagement:RemoveRightsManagementProtection": "RemoveRightsManagementDistribution",
}

// renameKey keys a rename table by namespace (as declared, any case, with
// or without libwbxml's colon) and local name.
func renameKey(space, local string) string {
	return strings.ToLower(strings.TrimSuffix(space, ":")) + ":" + local
}

// toLibwbxml and fromLibwbxml are libwbxmlNames keyed for rename. libwbxml
// lists two names for Provision token 0x10 and decodes it as the first,
// DeviceEncryptionEnabled, while MS-ASWBXML calls it
// RequireStorageCardEncryption.
var toLibwbxml, fromLibwbxml = func() (to, from map[string]string) {
	to, from = map[string]string{}, map[string]string{"provision:DeviceEncryptionEnabled": "RequireStorageCardEncryption"}
	for ours, theirs := range libwbxmlNames {
		space, local := split(ours)
		to[renameKey(space, local)] = theirs
		from[renameKey(space, theirs)] = local
	}
	return to, from
}()
