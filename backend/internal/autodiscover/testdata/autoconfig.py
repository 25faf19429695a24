"""Reads Thunderbird's autoconfig file as Thunderbird's documented format has it, with
xml.etree (Python's standard library, not Tessera's code), and prints what it found, one
"key: value" line each. Usage: autoconfig.py URL"""
import sys
import urllib.request
import xml.etree.ElementTree as ET

with urllib.request.urlopen(sys.argv[1]) as r:
    print("status:", r.status)
    print("content_type:", r.headers.get("Content-Type"))
    root = ET.fromstring(r.read())

print("root:", root.tag, root.get("version"))
prov = root.find("emailProvider")
print("provider:", prov.get("id"), prov.findtext("domain"), prov.findtext("displayShortName"))
for kind in ("incomingServer", "outgoingServer"):
    for s in prov.findall(kind):
        print(kind + ":", s.get("type"), s.findtext("hostname"), s.findtext("port"), s.findtext("socketType"),
              s.findtext("username"), s.findtext("authentication"))
for kind in ("addressBook", "calendar"):
    for s in root.findall(kind):
        print(kind + ":", s.get("type"), s.findtext("serverURL"), s.findtext("username"), s.findtext("authentication"))
