package wbxml

// The code pages of MS-ASWBXML section 2.1.2.1, with Microsoft's tag names
// (those of the current specification and of Microsoft's protocol test
// suite; libwbxml still uses the r1.0 names such as Attendee_Email, see
// libwbxml_test.go). Tokens marked "legacy" were defined by earlier
// revisions for protocol 2.5 and dropped since; they stay so that a
// document from an old client decodes instead of failing on a token
// Microsoft once assigned.

type tag struct {
	token byte
	name  string
}

type codePage struct {
	name string // namespace, as MS-ASWBXML titles the page
	tags []tag
}

var pagesA = []codePage{
	{"AirSync", []tag{ // page 0
		{0x05, "Sync"},
		{0x06, "Responses"},
		{0x07, "Add"},
		{0x08, "Change"},
		{0x09, "Delete"},
		{0x0A, "Fetch"},
		{0x0B, "SyncKey"},
		{0x0C, "ClientId"},
		{0x0D, "ServerId"},
		{0x0E, "Status"},
		{0x0F, "Collection"},
		{0x10, "Class"},
		{0x11, "Version"}, // legacy
		{0x12, "CollectionId"},
		{0x13, "GetChanges"},
		{0x14, "MoreAvailable"},
		{0x15, "WindowSize"},
		{0x16, "Commands"},
		{0x17, "Options"},
		{0x18, "FilterType"},
		{0x19, "Truncation"},    // legacy
		{0x1A, "RTFTruncation"}, // legacy
		{0x1B, "Conflict"},
		{0x1C, "Collections"},
		{0x1D, "ApplicationData"},
		{0x1E, "DeletesAsMoves"},
		{0x1F, "NotifyGUID"}, // legacy
		{0x20, "Supported"},
		{0x21, "SoftDelete"},
		{0x22, "MIMESupport"},
		{0x23, "MIMETruncation"},
		{0x24, "Wait"},
		{0x25, "Limit"},
		{0x26, "Partial"},
		{0x27, "ConversationMode"},
		{0x28, "MaxItems"},
		{0x29, "HeartbeatInterval"},
	}},
	{"Contacts", []tag{ // page 1
		{0x05, "Anniversary"},
		{0x06, "AssistantName"},
		{0x07, "AssistantPhoneNumber"},
		{0x08, "Birthday"},
		{0x09, "Body"},          // legacy
		{0x0A, "BodySize"},      // legacy
		{0x0B, "BodyTruncated"}, // legacy
		{0x0C, "Business2PhoneNumber"},
		{0x0D, "BusinessAddressCity"},
		{0x0E, "BusinessAddressCountry"},
		{0x0F, "BusinessAddressPostalCode"},
		{0x10, "BusinessAddressState"},
		{0x11, "BusinessAddressStreet"},
		{0x12, "BusinessFaxNumber"},
		{0x13, "BusinessPhoneNumber"},
		{0x14, "CarPhoneNumber"},
		{0x15, "Categories"},
		{0x16, "Category"},
		{0x17, "Children"},
		{0x18, "Child"},
		{0x19, "CompanyName"},
		{0x1A, "Department"},
		{0x1B, "Email1Address"},
		{0x1C, "Email2Address"},
		{0x1D, "Email3Address"},
		{0x1E, "FileAs"},
		{0x1F, "FirstName"},
		{0x20, "Home2PhoneNumber"},
		{0x21, "HomeAddressCity"},
		{0x22, "HomeAddressCountry"},
		{0x23, "HomeAddressPostalCode"},
		{0x24, "HomeAddressState"},
		{0x25, "HomeAddressStreet"},
		{0x26, "HomeFaxNumber"},
		{0x27, "HomePhoneNumber"},
		{0x28, "JobTitle"},
		{0x29, "LastName"},
		{0x2A, "MiddleName"},
		{0x2B, "MobilePhoneNumber"},
		{0x2C, "OfficeLocation"},
		{0x2D, "OtherAddressCity"},
		{0x2E, "OtherAddressCountry"},
		{0x2F, "OtherAddressPostalCode"},
		{0x30, "OtherAddressState"},
		{0x31, "OtherAddressStreet"},
		{0x32, "PagerNumber"},
		{0x33, "RadioPhoneNumber"},
		{0x34, "Spouse"},
		{0x35, "Suffix"},
		{0x36, "Title"},
		{0x37, "WebPage"},
		{0x38, "YomiCompanyName"},
		{0x39, "YomiFirstName"},
		{0x3A, "YomiLastName"},
		{0x3B, "CompressedRTF"}, // legacy
		{0x3C, "Picture"},
		{0x3D, "Alias"},
		{0x3E, "WeightedRank"},
	}},
	{"Email", []tag{ // page 2
		{0x05, "Attachment"},    // legacy
		{0x06, "Attachments"},   // legacy
		{0x07, "AttName"},       // legacy
		{0x08, "AttSize"},       // legacy
		{0x09, "AttOId"},        // legacy
		{0x0A, "AttMethod"},     // legacy
		{0x0B, "AttRemoved"},    // legacy
		{0x0C, "Body"},          // legacy
		{0x0D, "BodySize"},      // legacy
		{0x0E, "BodyTruncated"}, // legacy
		{0x0F, "DateReceived"},
		{0x10, "DisplayName"}, // legacy
		{0x11, "DisplayTo"},
		{0x12, "Importance"},
		{0x13, "MessageClass"},
		{0x14, "Subject"},
		{0x15, "Read"},
		{0x16, "To"},
		{0x17, "Cc"},
		{0x18, "From"},
		{0x19, "ReplyTo"},
		{0x1A, "AllDayEvent"},
		{0x1B, "Categories"},
		{0x1C, "Category"},
		{0x1D, "DtStamp"},
		{0x1E, "EndTime"},
		{0x1F, "InstanceType"},
		{0x20, "BusyStatus"},
		{0x21, "Location"},
		{0x22, "MeetingRequest"},
		{0x23, "Organizer"},
		{0x24, "RecurrenceId"},
		{0x25, "Reminder"},
		{0x26, "ResponseRequested"},
		{0x27, "Recurrences"},
		{0x28, "Recurrence"},
		{0x29, "Type"},
		{0x2A, "Until"},
		{0x2B, "Occurrences"},
		{0x2C, "Interval"},
		{0x2D, "DayOfWeek"},
		{0x2E, "DayOfMonth"},
		{0x2F, "WeekOfMonth"},
		{0x30, "MonthOfYear"},
		{0x31, "StartTime"},
		{0x32, "Sensitivity"},
		{0x33, "TimeZone"},
		{0x34, "GlobalObjId"},
		{0x35, "ThreadTopic"},
		{0x36, "MIMEData"},      // legacy
		{0x37, "MIMETruncated"}, // legacy
		{0x38, "MIMESize"},      // legacy
		{0x39, "InternetCPID"},
		{0x3A, "Flag"},
		{0x3B, "Status"}, // the flag's status
		{0x3C, "ContentClass"},
		{0x3D, "FlagType"},
		{0x3E, "CompleteTime"},
		{0x3F, "DisallowNewTimeProposal"},
	}},
	{"AirNotify", []tag{ // page 3: no longer in use, all legacy
		{0x05, "Notify"},
		{0x06, "Notification"},
		{0x07, "Version"},
		{0x08, "LifeTime"},
		{0x09, "DeviceInfo"},
		{0x0A, "Enable"},
		{0x0B, "Folder"},
		{0x0C, "ServerId"},
		{0x0D, "DeviceAddress"},
		{0x0E, "ValidCarrierProfiles"},
		{0x0F, "CarrierProfile"},
		{0x10, "Status"},
		{0x11, "Responses"},
		{0x12, "Devices"},
		{0x13, "Device"},
		{0x14, "Id"},
		{0x15, "Expiry"},
		{0x16, "NotifyGUID"},
		{0x17, "DeviceFriendlyName"},
	}},
	{"Calendar", []tag{ // page 4
		{0x05, "Timezone"},
		{0x06, "AllDayEvent"},
		{0x07, "Attendees"},
		{0x08, "Attendee"},
		{0x09, "Email"},
		{0x0A, "Name"},
		{0x0B, "Body"},          // legacy
		{0x0C, "BodyTruncated"}, // legacy
		{0x0D, "BusyStatus"},
		{0x0E, "Categories"},
		{0x0F, "Category"},
		{0x10, "CompressedRTF"}, // legacy
		{0x11, "DtStamp"},
		{0x12, "EndTime"},
		{0x13, "Exception"},
		{0x14, "Exceptions"},
		{0x15, "Deleted"},
		{0x16, "ExceptionStartTime"},
		{0x17, "Location"},
		{0x18, "MeetingStatus"},
		{0x19, "OrganizerEmail"},
		{0x1A, "OrganizerName"},
		{0x1B, "Recurrence"},
		{0x1C, "Type"},
		{0x1D, "Until"},
		{0x1E, "Occurrences"},
		{0x1F, "Interval"},
		{0x20, "DayOfWeek"},
		{0x21, "DayOfMonth"},
		{0x22, "WeekOfMonth"},
		{0x23, "MonthOfYear"},
		{0x24, "Reminder"},
		{0x25, "Sensitivity"},
		{0x26, "Subject"},
		{0x27, "StartTime"},
		{0x28, "UID"},
		{0x29, "AttendeeStatus"},
		{0x2A, "AttendeeType"},
		{0x33, "DisallowNewTimeProposal"},
		{0x34, "ResponseRequested"},
		{0x35, "AppointmentReplyTime"},
		{0x36, "ResponseType"},
		{0x37, "CalendarType"},
		{0x38, "IsLeapMonth"},
		{0x39, "FirstDayOfWeek"},
		{0x3A, "OnlineMeetingConfLink"},
		{0x3B, "OnlineMeetingExternalLink"},
		{0x3C, "ClientUid"},
	}},
}
