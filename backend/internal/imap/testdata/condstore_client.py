"""Python's imaplib driving STARTTLS, ID and CONDSTORE (RFC 7162) raw: prints key: value lines.

argv: host port user password. The test makes a change elsewhere when it reads "changed_wait"
and answers on stdin.
"""
import imaplib
import ssl
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = lambda k, v: print(f"{k}: {v}", flush=True)
text = lambda d: " ".join(x.decode() if isinstance(x, bytes) else str(x) for x in d if x is not None)

m = imaplib.IMAP4(host, port)
out("caps_plain", " ".join(m.capabilities))
try:
    m.login(user, password)
    out("login_plain", "ok")
except imaplib.IMAP4.error as e:
    out("login_plain", str(e))
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
m.starttls(ssl_context=ctx)
out("caps_tls", " ".join(m.capabilities))
m.login(user, password)
out("login", "ok")
typ, _ = m.xatom("ID", '("name" "imaplib")')
out("id", text(m.response("ID")[1]))
typ, dat = m._simple_command("ENABLE", "CONDSTORE")
out("enabled", text(m.response("ENABLED")[1]))
typ, dat = m._simple_command("SELECT", "INBOX", "(CONDSTORE)")
m.state = "SELECTED"
high = int(m.response("HIGHESTMODSEQ")[1][0])
out("select", typ)
out("highest", high)
typ, dat = m.fetch("1:*", "(MODSEQ FLAGS)")
out("fetch_all", text(dat))
out("changed_wait", high)
sys.stdin.readline()
typ, dat = m.noop()  # the session learns of the new message (EXISTS) and the flag
typ, dat = m.fetch("1:*", f"(FLAGS) (CHANGEDSINCE {high})")
out("changed", text(dat))
typ, dat = m.status("INBOX", "(MESSAGES HIGHESTMODSEQ)")
out("status", text(dat))
typ, dat = m.store("1", f"(UNCHANGEDSINCE {high}) +FLAGS", "(\\Seen)")
out("store_stale", f"{typ} {text(dat)}")
out("modified", text(m.response("MODIFIED")[1]))
typ, dat = m.search(None, "MODSEQ", str(high + 1))
out("search", text(dat))
m.logout()
out("logout", "ok")
