"""County-wide activities (巡回展览, 典型巡讲, 现场观摩, 集中轮训) on the web.

The rule for where a stop counts: every stop or class is a study session of a *host unit*, a
study unit in the village, community or enterprise where it happened, picked by the organiser
when the stop is added. The coverage report counts a session for the area of its unit
(DESIGN.md), so the stop counts for its own village, never for the organiser's county. A
stop in a place with no study unit cannot be added: register a unit there first (or pick the
unit whose members the stop served); the form offers only units inside the activity's area.

An on-site visit (现场观摩) is a session of the host unit; the visiting units are listed with
it, and their members' check-ins at the host's session count for the host's area, like every
attendance at that session (one session, one area).
"""
