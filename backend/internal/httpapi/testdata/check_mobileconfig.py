"""Reads a downloaded .mobileconfig with Python's plistlib (not Tessera's code) and prints
one line per payload: its type and the fields a device uses. Exits non-zero when the file is
not a configuration profile."""
import plistlib
import sys

with open(sys.argv[1], "rb") as f:
    p = plistlib.load(f)
assert p["PayloadType"] == "Configuration", p["PayloadType"]
assert p["PayloadVersion"] == 1
assert p["PayloadOrganization"] == "Tessera"
print("profile", p["PayloadIdentifier"], p["PayloadUUID"])
fields = {
    "com.apple.eas.account": ["Host", "SSL", "EmailAddress", "UserName", "Password"],
    "com.apple.mail.managed": ["EmailAccountType", "EmailAddress", "IncomingMailServerHostName",
                               "IncomingMailServerPortNumber", "IncomingMailServerUseSSL",
                               "IncomingMailServerUsername", "IncomingPassword",
                               "OutgoingMailServerHostName", "OutgoingMailServerPortNumber",
                               "OutgoingMailServerUseSSL", "OutgoingPassword"],
    "com.apple.caldav.account": ["CalDAVHostName", "CalDAVPort", "CalDAVPrincipalURL", "CalDAVUseSSL",
                                 "CalDAVUsername", "CalDAVPassword"],
    "com.apple.carddav.account": ["CardDAVHostName", "CardDAVPort", "CardDAVPrincipalURL", "CardDAVUseSSL",
                                  "CardDAVUsername", "CardDAVPassword"],
}
for c in p["PayloadContent"]:
    t = c["PayloadType"]
    assert c["PayloadVersion"] == 1 and c["PayloadUUID"] and c["PayloadIdentifier"].startswith(p["PayloadIdentifier"] + ".")
    print(t, " ".join("%s=%s" % (k, c[k]) for k in fields[t]))
