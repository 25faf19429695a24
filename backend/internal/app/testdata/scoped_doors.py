#!/usr/bin/env python3
"""Tries one passcode on Tessera's IMAP, POP3 and submission doors with Python's own clients.

Usage: scoped_doors.py HOST IMAP_PORT POP3_PORT SMTP_PORT USER PASSCODE [hold]
Prints "imap: ok" or "imap: refused ..." and the same for pop3 and smtp. With "hold", the IMAP
session stays logged in: it prints "imap_held: ok", waits for a line on stdin, then sends NOOP
and prints "imap_after: ok" or "imap_after: closed ...".
"""
import imaplib
import poplib
import smtplib
import sys

host, imap_port, pop3_port, smtp_port, user, secret = sys.argv[1:7]
hold = len(sys.argv) > 7 and sys.argv[7] == "hold"


def report(door, fn):
    try:
        fn()
        print(f"{door}: ok", flush=True)
    except Exception as e:  # the refusal's text is part of the report
        print(f"{door}: refused {type(e).__name__} {e}", flush=True)


def imap():
    c = imaplib.IMAP4(host, int(imap_port), timeout=10)
    c.login(user, secret)
    if not hold:
        c.logout()
        return
    print("imap_held: ok", flush=True)
    sys.stdin.readline()
    try:
        c.noop()
        c.noop()
        print("imap_after: ok", flush=True)
    except Exception as e:
        print(f"imap_after: closed {type(e).__name__} {e}", flush=True)


def pop3():
    c = poplib.POP3(host, int(pop3_port), timeout=10)
    c.user(user)
    c.pass_(secret)
    c.quit()


def smtp():
    c = smtplib.SMTP(host, int(smtp_port), timeout=10)
    c.ehlo("client.test")
    c.login(user, secret)
    c.quit()


if hold:
    report("imap", imap)
else:
    report("imap", imap)
    report("pop3", pop3)
    report("smtp", smtp)
