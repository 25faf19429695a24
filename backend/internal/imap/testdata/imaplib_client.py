"""A desktop-client session with Python's imaplib against Tessera's IMAP door.

Usage: imaplib_client.py HOST PORT USER PASSCODE
Prints one line per check ("name: value"); exits non-zero on any IMAP error.
"""
import imaplib
import socket
import sys
import time

host, port, user, passcode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def ok(res):
    typ, data = res
    if typ != "OK":
        raise SystemExit("error: %r %r" % (typ, data))
    return data


M = imaplib.IMAP4(host, port)
ok(M.login(user, passcode))
print("login: ok")
boxes = ok(M.list())
print("list:", " | ".join(b.decode() for b in boxes))
data = ok(M.select("INBOX"))
print("exists:", data[0].decode())
data = ok(M.fetch("1", "(FLAGS ENVELOPE RFC822.SIZE)"))
print("fetch1:", data[0].decode() if isinstance(data[0], bytes) else data[0][0].decode())
data = ok(M.fetch("1", "(BODY.PEEK[])"))
print("body1:", data[0][1].decode().replace("\r\n", "\\n"))
ok(M.store("1", "+FLAGS", "(\\Seen \\Flagged)"))
print("search_seen:", ok(M.search(None, "SEEN"))[0].decode())
print("search_from:", ok(M.search(None, "FROM", "bob"))[0].decode())
print("search_or:", ok(M.search(None, "OR", "FLAGGED", "SUBJECT", "lunch"))[0].decode())
print("search_text:", ok(M.search(None, "TEXT", "QUARTER"))[0].decode())
print("search_body:", ok(M.search(None, "BODY", "pizz"))[0].decode())
print("search_subject_not_body:", ok(M.search(None, "SUBJECT", "pizza"))[0].decode())
print("search_utf8:", ok(M.search("UTF-8", "TEXT", "numbers"))[0].decode())
msg = b"From: user@example.com\r\nTo: x@example.org\r\nSubject: saved by imaplib\r\n\r\nDraft body\r\n"
typ, data = M.append("Drafts", "(\\Draft)", imaplib.Time2Internaldate(time.time()), msg)
print("append:", typ, data[0].decode())
ok(M.create("Archive"))
typ, data = M.copy("1", "Archive")
print("copy:", typ, data[0].decode())
typ, data = M._simple_command("MOVE", "2", "Archive")
print("move:", typ, M.untagged_responses.get("OK", [b""])[-1].decode() if M.untagged_responses.get("OK") else "")
M.untagged_responses.clear()
ok(M.store("1", "+FLAGS", "(\\Deleted)"))
typ, data = M.expunge()
print("expunge:", typ, [d.decode() for d in data if d])
print("exists_after:", ok(M.select("INBOX"))[0].decode())
print("archive:", ok(M.select("Archive"))[0].decode())

# IDLE: imaplib of Python 3.11 has no idle(); the command is sent by hand.
ok(M.select("INBOX"))
tag = M._new_tag()
M.send(tag + b" IDLE\r\n")
print("idle_start:", M.readline().decode().strip())
sys.stdout.flush()
# The Go test delivers a message now; wait for the EXISTS.
M.sock.settimeout(10)
line = M.readline().decode().strip()
print("idle_update:", line)
M.send(b"DONE\r\n")
while True:
    line = M.readline().decode().strip()
    if line.startswith(tag.decode()):
        print("idle_done:", line.split(" ", 1)[1])
        break
M.logout()
print("logout: ok")
