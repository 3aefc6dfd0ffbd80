"""Parse an iCalendar feed from stdin with python3-icalendar and print what it read as JSON.

Run with Debian's /usr/bin/python3: the feed tests compare this reading with golang-ical's
and with what was stored, so a feed that only one parser accepts fails.
"""
import datetime
import json
import sys

import icalendar


def text(v):
    return None if v is None else str(v)


def when(comp, name):
    if name not in comp:
        return None, False
    v = comp.decoded(name)
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            raise SystemExit("%s has no time zone: %r" % (name, comp[name].to_ical()))
        return v.isoformat(), False
    return v.isoformat(), True


def cats(comp):
    v = comp.get("categories")
    if v is None:
        return []
    out = []
    for item in v if isinstance(v, list) else [v]:
        vals = getattr(item, "cats", None)
        if vals is None:
            vals = str(item.to_ical().decode("utf-8")).split(",")
        out.extend(str(c) for c in vals)
    return out


def main():
    cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
    if cal.name != "VCALENDAR":
        raise SystemExit("not a VCALENDAR: " + cal.name)
    props = {}
    for k in ("VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "NAME",
              "X-WR-TIMEZONE", "X-PUBLISHED-TTL"):
        if k in cal:
            props[k] = text(cal[k])
    if "REFRESH-INTERVAL" in cal:
        p = cal["REFRESH-INTERVAL"]
        props["REFRESH-INTERVAL"] = p.to_ical().decode("ascii") if hasattr(p, "to_ical") else str(p)
    tzids = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    events = []
    for ev in cal.walk("VEVENT"):
        start, all_day = when(ev, "DTSTART")
        end, _ = when(ev, "DTEND")
        tzid = ev["DTSTART"].params.get("TZID") if "DTSTART" in ev else None
        alarms = []
        for a in ev.walk("VALARM"):
            trig = a.decoded("TRIGGER")
            alarms.append({"action": text(a.get("ACTION")), "description": text(a.get("DESCRIPTION")),
                           "trigger_seconds": int(trig.total_seconds())})
        events.append({
            "uid": text(ev.get("UID")),
            "summary": text(ev.get("SUMMARY")),
            "location": text(ev.get("LOCATION")) or "",
            "description": text(ev.get("DESCRIPTION")) or "",
            "url": text(ev.get("URL")) or "",
            "status": text(ev.get("STATUS")),
            "sequence": int(ev.decoded("SEQUENCE")) if "SEQUENCE" in ev else -1,
            "categories": cats(ev),
            "start": start, "end": end or "", "all_day": all_day, "tzid": tzid or "",
            "stamp": ev.decoded("DTSTAMP").astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "alarms": alarms,
        })
    json.dump({"props": props, "tzids": tzids, "events": events}, sys.stdout, ensure_ascii=False)


main()
