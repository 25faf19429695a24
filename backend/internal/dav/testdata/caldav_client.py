"""Debian's python3-caldav against Tessera: discovery from the well-known URL, events with a
recurrence and an exception (create, modify, delete), a task, a time-range search, a new
calendar, sync tokens. Prints one "name: value" line per check for the Go test to assert."""
import datetime
import sys

import caldav

base, user, password = sys.argv[1], sys.argv[2], sys.argv[3]

WEEKLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python-caldav test//EN
BEGIN:VEVENT
UID:py-weekly@test
DTSTAMP:20260901T100000Z
DTSTART:20261103T090000Z
DTEND:20261103T100000Z
SUMMARY:Standup
RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU
EXDATE:20261110T090000Z
X-PY-EXTRA:kept
END:VEVENT
BEGIN:VEVENT
UID:py-weekly@test
DTSTAMP:20260901T100000Z
RECURRENCE-ID:20261117T090000Z
DTSTART:20261118T130000Z
DTEND:20261118T140000Z
SUMMARY:Standup (moved)
END:VEVENT
END:VCALENDAR
"""

ONCE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python-caldav test//EN
BEGIN:VEVENT
UID:py-once@test
DTSTAMP:20260901T100000Z
DTSTART:20270301T120000Z
DTEND:20270301T130000Z
SUMMARY:Lunch
END:VEVENT
END:VCALENDAR
"""

TODO = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//python-caldav test//EN
BEGIN:VTODO
UID:py-todo@test
DTSTAMP:20260901T100000Z
SUMMARY:File the report
DUE:20261201T170000Z
PRIORITY:1
STATUS:NEEDS-ACTION
END:VTODO
END:VCALENDAR
"""

client = caldav.DAVClient(url=base + "/.well-known/caldav", username=user, password=password)
principal = client.principal()
print("principal:", principal.url)
cals = {c.name: c for c in principal.calendars()}
print("calendars:", ",".join(sorted(cals)))
cal, tasks = cals["Calendar"], cals["Tasks"]

token = cal.objects_by_sync_token().sync_token
ev = cal.save_event(WEEKLY)
once = cal.save_event(ONCE)
print("created:", ev.url)

changed = cal.objects_by_sync_token(token)
print("sync-changed:", len(list(changed)))

found = cal.date_search(datetime.datetime(2026, 11, 24, tzinfo=datetime.timezone.utc),
                        datetime.datetime(2026, 11, 25, tzinfo=datetime.timezone.utc))
print("search-nov24:", ",".join(sorted(str(e.icalendar_instance.walk("VEVENT")[0]["SUMMARY"]) for e in found)))
found = cal.date_search(datetime.datetime(2027, 3, 1, tzinfo=datetime.timezone.utc),
                        datetime.datetime(2027, 3, 2, tzinfo=datetime.timezone.utc))
print("search-mar1:", ",".join(sorted(str(e.icalendar_instance.walk("VEVENT")[0]["SUMMARY"]) for e in found)))

ev = cal.event_by_uid("py-weekly@test")
ev.load()
ical = ev.icalendar_instance
master = [c for c in ical.walk("VEVENT") if "RECURRENCE-ID" not in c][0]
moved = [c for c in ical.walk("VEVENT") if "RECURRENCE-ID" in c][0]
print("rrule:", master["RRULE"].to_ical().decode())
print("exdate:", master["EXDATE"].to_ical().decode() if not isinstance(master["EXDATE"], list) else master["EXDATE"][0].to_ical().decode())
print("moved:", moved["SUMMARY"], moved["DTSTART"].dt.isoformat())
print("extra:", master.get("X-PY-EXTRA"))

master["SUMMARY"] = "Standup (renamed)"
ev.save()
ev2 = cal.event_by_uid("py-weekly@test")
ev2.load()
print("modified:", [str(c["SUMMARY"]) for c in ev2.icalendar_instance.walk("VEVENT") if "RECURRENCE-ID" not in c][0])

todo = tasks.save_todo(TODO)
todos = tasks.todos()
print("todos:", ",".join(str(t.icalendar_instance.walk("VTODO")[0]["SUMMARY"]) for t in todos))
todo.complete()
print("todos-open-after-complete:", len(tasks.todos()))

once.delete()
after = cal.objects_by_sync_token(token, load_objects=True)
print("events-left:", ",".join(sorted(o.url.path.rsplit("/", 1)[-1] for o in cal.events())))

newcal = principal.make_calendar(name="Projects", cal_id="Projects")
newcal.save_event(ONCE)
print("new-calendar-events:", len(newcal.events()))
print("calendars-after-make:", ",".join(sorted(c.name for c in principal.calendars())))
newcal.delete()
print("calendars-after-delete:", ",".join(sorted(c.name for c in principal.calendars())))

# Without cal_id the library makes the calendar at a fresh uuid segment, displayed as "Work";
# the client keeps using that URL.
work = principal.make_calendar(name="Work")
seg = work.url.path.rstrip("/").rsplit("/", 1)[-1]
print("uuid-segment-is-name:", seg == "Work")
work.save_event(ONCE)
print("uuid-calendar-events:", len(work.events()))
print("uuid-calendar-name:", work.get_display_name())
found = [c for c in principal.calendars() if c.name == "Work"]
print("uuid-calendar-href-kept:", len(found) == 1 and found[0].url.path.rstrip("/").endswith("/" + seg))
work.delete()
print("calendars-after-uuid-delete:", ",".join(sorted(c.name for c in principal.calendars())))
