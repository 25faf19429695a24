# Lists the messages of an account's INBOX over IMAP with Python's imaplib, one JSON object a
# line: the security notice's event header, the decoded subject and the text body.
import email
import email.header
import email.policy
import imaplib
import json
import sys

host, port, user, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
m = imaplib.IMAP4(host, port)
m.login(user, secret)
typ, _ = m.select("INBOX", readonly=True)
assert typ == "OK"
typ, data = m.search(None, "ALL")
for num in data[0].split():
    typ, parts = m.fetch(num, "(BODY.PEEK[])")
    msg = email.message_from_bytes(parts[0][1], policy=email.policy.default)
    print(json.dumps({"event": msg.get("X-Tessera-Notice", ""), "subject": str(msg["Subject"]),
                      "from": str(msg["From"]), "body": msg.get_content()}))
m.logout()
