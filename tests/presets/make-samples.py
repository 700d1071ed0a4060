#!/usr/bin/env python3
"""Writes the sample export of each okra init --from preset (developer
tooling: the samples are checked in, tests never run this).

One small product history - 24 users in 4 accounts signing up every other
day from 2026-01-05, some creating a report within a week, half coming back
in their second week - written in each tool's documented export shape:

  posthog    CSV: uuid, event, properties (JSON text), timestamp (ISO 8601
             with microseconds), distinct_id, elements_chain
  segment    JSON Lines of track calls: userId, anonymousId, ISO timestamp,
             properties, context.groupId
  amplitude  JSON Lines of the Export API: event_type, event_time
             ("YYYY-MM-DD HH:MM:SS.ffffff"), amplitude_id, user_id,
             event_properties, groups
  mixpanel   JSON Lines of the Raw Event Export: event, properties.time in
             Unix seconds (January) and Unix milliseconds (February),
             properties.distinct_id, properties.company_id

Page views before a user joins an account have no group (the share of
events without an account in okra data).
"""
import datetime as dt
import json
import os

ACCOUNTS = ["acme", "globex", "initech", "umbrella"]
PLANS = {"acme": "pro", "globex": "free", "initech": "pro", "umbrella": "free"}
BROWSERS = ["Chrome", "Firefox", "Safari"]
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


def history():
    """Events as (time, name, user index, account or None, properties)."""
    out = []
    for i in range(24):
        acct = ACCOUNTS[i % 4]
        signup = START + dt.timedelta(days=2 * i, minutes=i)
        browser = BROWSERS[i % 3]
        props = {"plan": PLANS[acct], "browser": browser}
        out.append((signup - dt.timedelta(minutes=5), "page_viewed", i, None,
                    {"browser": browser, "path": "/pricing"}))
        out.append((signup, "signed_up", i, acct, dict(props, source="google" if i % 2 else "direct")))
        if i % 3:
            day = signup + dt.timedelta(days=i % 5, hours=1)
            out.append((day, "report_created", i, acct, dict(props, charts=1 + i % 4)))
        days = [1, 2, 3] + ([8, 10, 12] if i % 2 == 0 else [])
        for d in days:
            out.append((signup + dt.timedelta(days=d, hours=2), "report_viewed", i, acct, props))
    end = dt.datetime(2026, 2, 28, tzinfo=dt.timezone.utc)
    return sorted((e for e in out if e[0] < end), key=lambda e: (e[0], e[2]))


def user(i):
    return "user-%02d" % (i + 1)


def posthog(events, folder):
    with open(os.path.join(folder, "posthog-events.csv"), "w", newline="") as f:
        f.write("uuid,event,properties,timestamp,distinct_id,elements_chain\n")
        for n, (t, name, i, acct, props) in enumerate(events):
            p = dict(props)
            p["$browser"] = p.pop("browser")
            if acct:
                p["$group_0"] = acct
                p["$groups"] = {"company": acct}
            p["$lib"] = "web"
            text = json.dumps(p, separators=(", ", ": ")).replace('"', '""')
            ts = t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            f.write('0189a%07d-0000-0000-0000-000000000000,%s,"%s",%s,%s,\n'
                    % (n, name, text, ts, user(i)))


def segment(events, folder):
    with open(os.path.join(folder, "segment-2026.jsonl"), "w") as f:
        for n, (t, name, i, acct, props) in enumerate(events):
            call = {"type": "track", "event": name, "userId": user(i),
                    "anonymousId": "anon-%04d" % (i * 37 % 1000),
                    "timestamp": t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000),
                    "properties": props,
                    "context": {"library": {"name": "analytics.js"}},
                    "messageId": "msg-%05d" % n}
            if acct:
                call["context"]["groupId"] = acct
            f.write(json.dumps(call, separators=(",", ":")) + "\n")


def amplitude(events, folder):
    with open(os.path.join(folder, "amplitude-export.json"), "w") as f:
        for n, (t, name, i, acct, props) in enumerate(events):
            e = {"event_type": name,
                 "event_time": t.strftime("%Y-%m-%d %H:%M:%S.%f"),
                 "user_id": user(i), "device_id": "device-%02d" % i,
                 "amplitude_id": 900000 + i,
                 "event_properties": props,
                 "user_properties": {"plan": PLANS[ACCOUNTS[i % 4]]},
                 "groups": {"company": acct} if acct else {},
                 "uuid": "a%07d" % n}
            f.write(json.dumps(e, separators=(",", ":")) + "\n")


def mixpanel(events, folder):
    files = {}
    for n, (t, name, i, acct, props) in enumerate(events):
        secs = int(t.timestamp())
        ms = t.month == 2
        p = {"time": secs * 1000 + n % 1000 if ms else secs,
             "distinct_id": user(i), "$insert_id": "ins-%05d" % n}
        p.update(props)
        if acct:
            p["company_id"] = acct
        name_ = "mixpanel-2026-%02d.jsonl" % t.month
        files.setdefault(name_, []).append(json.dumps({"event": name, "properties": p},
                                                      separators=(",", ":")))
    for name_, lines in files.items():
        with open(os.path.join(folder, name_), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    events = history()
    for tool, write in [("posthog", posthog), ("segment", segment),
                        ("amplitude", amplitude), ("mixpanel", mixpanel)]:
        folder = os.path.join(here, tool, "data")
        os.makedirs(folder, exist_ok=True)
        write(events, folder)
