"""Seed 002 as a desktop mail app does it, with Python's standard library only (clients nobody
here wrote): mail delivered by LMTP is read over IMAPS with the application passcode the SPA
showed, after checking that the certificate the door presents has the SHA-256 fingerprint the
page showed; a reply goes out through submission (STARTTLS, AUTH with the same passcode) to
another local account, and arrives in that account's Inbox (read over IMAPS as the recipient).

Run by mailsettings.test.mjs; prints one JSON object with what it saw, exits non-zero on a
mismatch. Arguments are passed as one JSON object (argv[1]) so that no secret needs quoting.
"""
import email
import email.policy
import hashlib
import imaplib
import json
import smtplib
import ssl
import sys
import time
import uuid

args = json.loads(sys.argv[1])
HOST = '127.0.0.1'
token = uuid.uuid4().hex[:12]
seen = {}


def fail(msg):
    print(json.dumps(seen), file=sys.stderr)
    sys.exit(msg)


def fingerprint(sock):
    der = sock.getpeercert(binary_form=True)
    return ':'.join('%02X' % b for b in hashlib.sha256(der).digest())


def context():
    ctx = ssl.create_default_context()
    # Self-signed: the fingerprint the page showed is the check, as a user does it by eye.
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def find(imap, subject):
    """The messages of the selected folder with subject, as parsed messages."""
    typ, data = imap.uid('SEARCH', None, 'SUBJECT', '"%s"' % subject)
    if typ != 'OK':
        fail('SEARCH: %s %r' % (typ, data))
    out = []
    for uid in data[0].split():
        typ, parts = imap.uid('FETCH', uid, '(BODY.PEEK[] FLAGS)')
        if typ != 'OK':
            fail('FETCH %s: %s %r' % (uid, typ, parts))
        out.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
    return out


def imaps_login(user, password):
    imap = imaplib.IMAP4_SSL(HOST, args['imaps'], ssl_context=context())
    got = fingerprint(imap.sock)
    if got != args['fingerprint']:
        fail('IMAPS certificate fingerprint %s, the page showed %s' % (got, args['fingerprint']))
    imap.login(user, password)
    return imap


# 1. Mail arrives by LMTP, as from the MTA in front of Tessera.
welcome = email.message.EmailMessage()
welcome['From'] = 'Postmaster <postmaster@elsewhere.example>'
welcome['To'] = args['user']
welcome['Subject'] = 'Welcome %s' % token
welcome['Message-ID'] = '<welcome-%s@elsewhere.example>' % token
welcome.set_content('Hello from far away, %s.\n' % token)
with smtplib.LMTP(HOST, args['lmtp']) as lmtp:
    refused = lmtp.send_message(welcome, 'postmaster@elsewhere.example', [args['user']])
    if refused:
        fail('LMTP refused %r' % refused)

# 2. The user reads it over IMAPS with the passcode.
imap = imaps_login(args['user'], args['passcode'])
typ, data = imap.select('INBOX')
seen['inboxExists'] = int(data[0])
got = find(imap, 'Welcome %s' % token)
if len(got) != 1:
    fail('INBOX has %d messages "Welcome %s", want 1' % (len(got), token))
seen['read'] = {'subject': got[0]['Subject'], 'body': got[0].get_content().strip()}
imap.logout()

# 3. A reply through submission: STARTTLS on the plain port, then AUTH with the same passcode.
reply = email.message.EmailMessage()
reply['From'] = args['user']
reply['To'] = args['to']
reply['Subject'] = 'Re: Welcome %s' % token
reply['Message-ID'] = '<reply-%s@example.com>' % token
reply.set_content('Thanks, %s.\n' % token)
with smtplib.SMTP(HOST, args['submission'], timeout=20) as smtp:
    smtp.ehlo()
    seen['authBeforeTLS'] = smtp.has_extn('auth')
    smtp.starttls(context=context())
    got = fingerprint(smtp.sock)
    if got != args['fingerprint']:
        fail('submission certificate fingerprint %s, the page showed %s' % (got, args['fingerprint']))
    smtp.ehlo()
    smtp.login(args['user'], args['passcode'])
    refused = smtp.send_message(reply)
    if refused:
        fail('submission refused %r' % refused)

# 4. It arrives: the recipient logs in over IMAPS and finds it in the Inbox.
deadline = time.time() + 15
while True:
    imap = imaps_login(args['to'], args['toPassword'])
    imap.select('INBOX', readonly=True)
    got = find(imap, 'Re: Welcome %s' % token)
    imap.logout()
    if got or time.time() > deadline:
        break
    time.sleep(0.5)
if len(got) != 1:
    fail('%s has %d messages "Re: Welcome %s", want 1' % (args['to'], len(got), token))
seen['arrived'] = {'from': got[0]['From'], 'subject': got[0]['Subject'], 'body': got[0].get_content().strip()}
seen['token'] = token
print(json.dumps(seen))
