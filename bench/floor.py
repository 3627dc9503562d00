"""
The floor: the benchmark's endpoints as a bare WSGI function over psycopg and orjson.

Same authentication (a key lookup per request), same SQL, same JSON as the project; no
framework. What it serves is the fastest this design can be in Python on this machine,
and the project's figures are quoted as a ratio to it. Not part of the product.

    DATABASE_URL=postgres://... gunicorn -c gunicorn.conf.py bench.floor:application
"""

import datetime
import hashlib
import hmac
import os
import threading
from urllib.parse import parse_qs

import orjson
import psycopg

CANDIDATE = ("id, first_name, last_name, email, phone, position, phase, status, source, applied_date, "
             "last_updated, skills, experience, notes, resume_url, linkedin_url")  # fmt: skip
CANDIDATE_KEYS = ["id", "firstName", "lastName", "email", "phone", "position", "phase", "status", "source",
                  "appliedDate", "lastUpdated", "skills", "experience", "notes", "resumeUrl", "linkedinUrl"]  # fmt: skip
INTERVIEW = "id, candidate_id, type, scheduled_date, duration, interviewer, status, notes, rating"
INTERVIEW_KEYS = ["id", "candidateId", "type", "scheduledDate", "duration", "interviewer", "status", "notes", "rating"]
UNAUTHORIZED = orjson.dumps({"detail": "Invalid or missing authentication token"})
local = threading.local()


def db():
    if getattr(local, "connection", None) is None:
        url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
        local.connection = psycopg.connect(url, autocommit=True)
    return local.connection


def rows(sql, params, keys):
    with db().cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def scalar(sql, params=()):
    with db().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def candidates(query):
    where, params = [], []
    for name in ("phase", "status", "source"):
        if name in query:
            where.append(f"{name} = %s")
            params.append(query[name])
    search = query.get("search", "").strip()
    if search:
        like = f"%{search}%"
        where.append("(UPPER(COALESCE(first_name, '') || COALESCE(' ' || COALESCE(last_name, ''), '')) LIKE UPPER(%s) "
                     "OR UPPER(email::text) LIKE UPPER(%s) OR UPPER(position::text) LIKE UPPER(%s))")  # fmt: skip
        params += [like, like, like]
    clause = " WHERE " + " AND ".join(where) if where else ""
    limit, offset = int(query.get("limit", 50)), int(query.get("offset", 0))
    if search:  # as candidates.selectors.search_rows: the matches once, counted and sorted, with the page's rows
        columns = ", ".join(f"c.{column}" for column in CANDIDATE.split(", "))
        with db().cursor() as cursor:
            cursor.execute(f"WITH matches AS MATERIALIZED (SELECT id, applied_date FROM candidates_candidate{clause}) "
                           f"SELECT {columns}, total.n, page.id FROM (SELECT COUNT(*) AS n FROM matches) total LEFT JOIN ("
                           "SELECT id, applied_date FROM matches ORDER BY applied_date DESC, id DESC LIMIT %s OFFSET %s"
                           ") page ON 1 = 1 LEFT JOIN candidates_candidate c ON c.id = page.id "
                           "ORDER BY page.applied_date DESC, page.id DESC", [*params, limit, offset])  # fmt: skip
            found = cursor.fetchall()
        page = [dict(zip(CANDIDATE_KEYS, row[:-2], strict=True)) for row in found if row[-1] is not None]
        return page, found[0][-2]
    page = rows(f"SELECT {CANDIDATE} FROM candidates_candidate{clause} ORDER BY applied_date DESC, id DESC "
                "LIMIT %s OFFSET %s", [*params, limit, offset], CANDIDATE_KEYS)  # fmt: skip
    if len(page) < limit and (page or not offset):  # the last page: its length tells the total
        return page, offset + len(page)
    tally = clause.replace("(", "").replace(")", "")
    return page, scalar(f"SELECT COALESCE(SUM(count), 0)::bigint FROM candidates_candidatetally{tally}", params)


def interviews(query):
    where, params = [], []
    if "candidateId" in query:
        where.append("candidate_id = %s")
        params.append(int(query["candidateId"]))
    if "date" in query:
        day = datetime.date.fromisoformat(query["date"])
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
        where.append("scheduled_date >= %s AND scheduled_date < %s")
        params += [start, start + datetime.timedelta(days=1)]
    clause = " WHERE " + " AND ".join(where) if where else ""
    limit, offset = int(query.get("limit", 50)), int(query.get("offset", 0))
    page = rows(f"SELECT {INTERVIEW} FROM interviews_interview{clause} ORDER BY scheduled_date, id LIMIT %s OFFSET %s",
                [*params, limit, offset], INTERVIEW_KEYS)  # fmt: skip
    if len(page) < limit and (page or not offset):  # the last page: its length tells the total
        return page, offset + len(page)
    return page, scalar(f"SELECT COUNT(*) FROM interviews_interview{clause}", params)


def stats():
    today = datetime.datetime.combine(datetime.date.today(), datetime.time.min, tzinfo=datetime.UTC)
    with db().cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(count), 0)::bigint, COALESCE(SUM(count) FILTER (WHERE phase = 1), 0)::bigint, "
            "COALESCE(SUM(count) FILTER (WHERE phase = 2), 0)::bigint, COALESCE(SUM(count) FILTER (WHERE status = 'Hired'), 0)::bigint, "
            "(SELECT COUNT(*) FROM interviews_interview WHERE scheduled_date >= %s AND scheduled_date < %s "
            "AND status <> 'Cancelled'), (SELECT MAX(timestamp) FROM dashboard_activity) FROM candidates_candidatetally",
            [today, today + datetime.timedelta(days=1)],
        )
        total, phase1, phase2, hired, today_count, last = cursor.fetchone()
    return {"totalCandidates": total, "phase1Count": phase1, "phase2Count": phase2, "hiredCount": hired,
            "interviewsToday": today_count, "syncStatus": "synced", "lastSync": last}  # fmt: skip


def create(body):
    data = orjson.loads(body)
    with db().transaction(), db().cursor() as cursor:
        cursor.execute("SELECT 1 FROM candidates_candidate WHERE LOWER(email) = LOWER(%s)", [data["email"]])
        if cursor.fetchone():
            return "400 Bad Request", {"detail": "Validation error"}
        now = datetime.datetime.now(datetime.UTC)
        cursor.execute(
            "INSERT INTO candidates_candidate (first_name, last_name, email, position, phase, status, source, "
            f"applied_date, last_updated, skills) VALUES (%s, %s, %s, %s, 1, 'New', %s, %s, %s, %s) RETURNING {CANDIDATE}",
            [data["firstName"], data["lastName"], data["email"], data["position"], data.get("source", "LinkedIn"),
             now, now, data.get("skills")],
        )  # fmt: skip
        created = dict(zip(CANDIDATE_KEYS, cursor.fetchone(), strict=True))
        cursor.execute("INSERT INTO dashboard_activity (event, detail, candidate_id, candidate_name, timestamp) "
                       "VALUES ('applied', %s, %s, %s, %s)",
                       [created["position"], created["id"], f"{created['firstName']} {created['lastName']}", now])  # fmt: skip
    return "201 Created", created


def authorized(key: str) -> bool:
    """As the project checks a key: its row by prefix, with its user; the SHA-512 hash compared."""
    prefix, dot, _ = key.partition(".")
    found = rows("SELECT k.hashed_key, k.revoked, k.expiry_date, u.is_active FROM accounts_apikey k "
                 "JOIN auth_user u ON u.id = k.user_id WHERE k.prefix = %s", [prefix if dot else key[:8]],
                 ["hashed", "revoked", "expires", "active"])  # fmt: skip
    if not found:
        return False
    row = found[0]
    hashed = "sha512$$" + hashlib.sha512(key.encode()).hexdigest()
    fresh = row["expires"] is None or row["expires"] > datetime.datetime.now(datetime.UTC)
    return hmac.compare_digest(hashed, row["hashed"]) and not row["revoked"] and fresh and row["active"]


def application(environ, start_response):
    auth = environ.get("HTTP_AUTHORIZATION", "").split()
    key = auth[1] if len(auth) == 2 and auth[0].lower() == "bearer" else None
    if not key or not authorized(key):
        return respond(start_response, "401 Unauthorized", UNAUTHORIZED)
    path, method = environ["PATH_INFO"].rstrip("/"), environ["REQUEST_METHOD"]
    query = {name: values[0] for name, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    headers = []
    if path == "/api/candidates" and method == "POST":
        status, body = create(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    elif path == "/api/candidates":
        (body, total), status = candidates(query), "200 OK"
        headers.append(("X-Total-Count", str(total)))
    elif path.startswith("/api/candidates/"):
        found = rows(f"SELECT {CANDIDATE} FROM candidates_candidate WHERE id = %s", [int(path.rsplit("/", 1)[1])],
                     CANDIDATE_KEYS)  # fmt: skip
        status, body = ("200 OK", found[0]) if found else ("404 Not Found", {"detail": "Candidate not found"})
    elif path == "/api/interviews":
        (body, total), status = interviews(query), "200 OK"
        headers.append(("X-Total-Count", str(total)))
    elif path == "/api/dashboard/stats":
        status, body = "200 OK", stats()
    else:
        status, body = "404 Not Found", {"detail": "Not found."}
    return respond(start_response, status, orjson.dumps(body, option=orjson.OPT_UTC_Z), headers)


def respond(start_response, status, payload, headers=()):
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload))), *headers])
    return [payload]
