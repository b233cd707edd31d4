#!/usr/bin/env python3
"""Writes resources/openapi.json, the API description served at GET /api/v1/openapi.json.

Edit the routes here, then: python3 resources/openapi.py resources/openapi.json
tst_openapi fails when a route the server registers is missing here, or one described here is not
registered."""
import json
S = lambda ref: {"$ref": "#/components/schemas/" + ref}
def obj(props, required=()):
    o = {"type": "object", "properties": props}
    if required: o["required"] = list(required)
    return o
s = lambda **kw: dict(type="string", **kw)
ts = {"type": "string", "format": "date-time"}
ref = {"type": "string", "nullable": True, "description": "id of the target, null when unset"}
i = {"type": "integer"}
b = {"type": "boolean"}
enum = lambda *v: {"type": "string", "enum": list(v)}
TSTAT = enum("open","assigned","in_progress","pending","resolved","closed")
PRIO = enum("low","medium","high","urgent")
CAT = enum("account","booking","payment","technical","billing","complaint","service_quality","other")
BSTAT = enum("pending","confirmed","in_progress","completed","verified","disputed","cancelled")
schemas = {
 "Error": obj({"error": obj({"code": s(), "message": s(), "details": {"type":"object"}}, ["code","message"])}, ["error"]),
 "User": obj({"id": s(), "name": s(), "email": s(), "role": enum("customer","technician","support","admin"),
              "availability": {**enum("online","away","offline"), "description": "agents only"},
              "phone": {"type": "string", "description": "for SMS notifications (set by an admin); present when set"},
              "active": b, "createdAt": ts, "version": i}),
 "Attachment": obj({"id": s(), "fileName": s(), "contentType": s(), "size": i, "sha256": s()}),
 "TicketMessage": obj({"id": s(), "senderId": s(), "senderRole": s(), "message": s(),
                       "attachments": {"type":"array","items":S("Attachment")}, "isInternal": b, "createdAt": ts}),
 "Sla": obj({"firstResponseDueAt": ts, "resolutionDueAt": ts, "firstResponseAt": ts, "resolvedAt": ts,
             "firstResponseBreached": b, "resolutionBreached": b, "pausedSeconds": i}),
 "Ticket": obj({"id": s(), "ticketNumber": s(example="TKT-000042"), "subject": s(), "description": s(),
                "category": CAT, "priority": PRIO, "status": TSTAT, "customerId": s(), "assignedTo": ref,
                "relatedBooking": ref, "conversationId": ref,
                "messages": {"type":"array","items":S("TicketMessage"), "description":"GET /support/tickets/{id} only; internal notes for agents only"},
                "attachments": {"type":"array","items":S("Attachment")},
                "sla": S("Sla"), "satisfaction": {"type":"object","nullable":True},
                "escalation": {"type":"object","nullable":True,"properties":{"escalatedTo":ref,"escalatedBy":ref,"reason":s(),"escalatedAt":ts}},
                "resolution": {"type":"object","nullable":True}, "createdAt": ts, "updatedAt": ts, "version": i}),
 "Conversation": obj({"id": s(), "customerId": s(), "agentId": ref, "ticketId": ref, "status": enum("open","closed"),
                      "messages": {"type":"array","items":{"type":"object"}}, "createdAt": ts}),
 "CompletionRequest": obj({"requestedBy": ref, "requestedAt": ts,
        "status": enum("pending","approved","rejected","escalated","auto_approved"),
        "customerResponse": obj({"respondedAt": ts, "approved": {"type":"boolean","nullable":True}, "feedback": s(), "issues": s()}),
        "supportFollowUp": obj({"initiated": b, "initiatedAt": ts, "supportAgent": ref,
             "contactAttempts": {"type":"array","items":obj({"method": enum("call","sms","email","in_app"), "attemptedAt": ts, "reached": b, "notes": s()})},
             "outcome": {**enum("customer_confirmed","customer_disputed","unreachable","auto_completed"), "nullable": True},
             "completedBy": ref, "completedAt": ts, "notes": s()}),
        "escalationDeadline": ts, "autoEscalated": b}),
 "Booking": obj({"id": s(), "customerId": s(), "technicianId": ref, "service": s(), "description": s(), "address": s(),
                 "scheduledAt": ts, "status": BSTAT, "completionRequest": {"allOf":[S("CompletionRequest")],"nullable":True},
                 "review": {"type":"object","nullable":True}, "version": i}),
 "Review": obj({"id": s(), "bookingId": s(), "customerId": s(), "technicianId": ref, "rating": i, "comment": s(), "createdAt": ts}),
 "Notification": obj({"id": s(), "userId": s(), "type": s(), "title": s(), "body": s(), "entity": s(), "entityId": s(), "read": b, "createdAt": ts}),
 "Change": obj({"seq": i, "entity": s(), "id": s(), "op": enum("created","updated"), "data": {"type":"object"}, "createdAt": ts}),
 "Page": obj({"items": {"type":"array","items":{}}, "total": i, "limit": i, "offset": i}),
}
def resp(code, desc, schema=None):
    r = {"description": desc}
    if schema: r["content"] = {"application/json": {"schema": schema}}
    return {str(code): r}
ERR = lambda *codes: {str(c): {"$ref": "#/components/responses/Error"} for c in codes}
def op(summary, ok, body=None, errs=(400,401,403,404), security=True, params=(), tag=None):
    o = {"summary": summary, "responses": {**ok, **ERR(*errs)}}
    if body: o["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if not security: o["security"] = []
    if params: o["parameters"] = [{"$ref": "#/components/parameters/" + p} if isinstance(p, str) else p for p in params]
    if tag: o["tags"] = [tag]
    return o
q = lambda name, desc, schema=None: {"name": name, "in": "query", "required": False, "description": desc, "schema": schema or {"type":"string"}}
idp = lambda name="id": {"name": name, "in": "path", "required": True, "schema": {"type":"string"}}
P = {}
def add(path, method, o, path_params=()):
    if path_params: o.setdefault("parameters", []); o["parameters"] = [idp(p) for p in path_params] + o["parameters"]
    P.setdefault(path, {})[method] = o
add("/health", "get", op("Readiness: the store answers", resp(200, "ok"), errs=(503,), security=False, tag="server"))
add("/ping", "get", op("Liveness: the process answers (no store access)", resp(200, "pong"), errs=(), security=False, tag="server"))
add("/openapi.json", "get", op("This document", resp(200, "OpenAPI 3 document"), errs=(), security=False, tag="server"))
add("/metrics", "get", op("Prometheus text format (admin)", {"200": {"description": "metrics", "content": {"text/plain": {}}}}, errs=(401,403), tag="server"))
add("/auth/register", "post", op("Register a customer (whatever role the body names)", resp(201, "the User", S("User")),
    obj({"name": s(maxLength=100), "email": s(), "password": s(minLength=8)}, ["name","email","password"]), errs=(400,409), security=False, tag="auth"))
add("/auth/login", "post", op("Sign in", resp(200, "{token, user}", obj({"token": s(), "user": S("User")})),
    obj({"email": s(), "password": s()}, ["email","password"]), errs=(400,401,429), security=False, tag="auth"))
add("/auth/logout", "post", op("End this session", {"204": {"description": "signed out"}}, errs=(401,), tag="auth"))
add("/auth/me", "get", op("The signed-in user", resp(200, "the User", S("User")), errs=(401,), tag="auth"))
add("/auth/password", "put", op("Change password; ends every other session", {"204": {"description": "changed"}},
    obj({"currentPassword": s(), "newPassword": s(minLength=8)}, ["currentPassword","newPassword"]), errs=(400,401), tag="auth"))
add("/users", "get", op("List users (admin)", resp(200, "page of Users", S("Page")), errs=(400,401,403),
    params=(q("role","customer|technician|support|admin"), q("active","true|false"), q("q","name or e-mail contains"), "limit", "offset"), tag="users"))
add("/users", "post", op("Create a user (admin)", resp(201, "the User", S("User")),
    obj({"name": s(), "email": s(), "password": s(), "role": s(), "phone": s()}, ["name","email","password","role"]), errs=(400,401,403,409), tag="users"))
add("/users/{id}", "get", op("One user (admin)", resp(200, "the User", S("User")), tag="users"), ["id"])
add("/users/{id}", "put", op("Change a user (admin); active:false revokes its sessions", resp(200, "the User", S("User")),
    obj({"name": s(), "email": s(), "role": s(), "active": b, "phone": s()}), errs=(400,401,403,404,409,412), params=("IfMatch",), tag="users"), ["id"])
add("/admin/clock", "post", op("Move the fake business clock and run the jobs that fell due (--fake-clock only)",
    resp(200, "{now, advancedSeconds}"), obj({"advanceSeconds": i}, ["advanceSeconds"]), errs=(400,401,403,409), tag="admin"))
add("/admin/jobs", "get", op("The scheduler's jobs: schedule, next run, last run and its result (admin)", resp(200, "{items:[{name, schedule, nextRunAt, runs, lastRun}]}"), errs=(401,403), tag="admin"))
add("/admin/jobs/{name}/run", "post", op("Run a job now (admin)", resp(200, "{job, changed, ranAt}"), errs=(401,403,404), tag="admin"), ["name"])
T = "tickets"
add("/support/tickets", "get", op("List tickets (customers: their own)", resp(200, "page of Tickets (without messages)", S("Page")), errs=(400,401,403),
    params=(q("status","comma-separated statuses"), q("priority","comma-separated"), q("category","comma-separated"),
            q("assignedTo","me | unassigned | <agent id>"), q("customer","customer id"), q("booking","booking id"),
            q("q","text search (words as prefixes) or a ticket number"), q("from","created at or after (ISO-8601)"),
            q("to","created before (ISO-8601)"), q("sort","createdAt|updatedAt|priority|status|ticketNumber, '-' for descending"), "limit", "offset"), tag=T))
add("/support/tickets", "post", op("Create a ticket", resp(201, "the Ticket", S("Ticket")),
    obj({"subject": s(maxLength=200), "description": s(), "category": CAT, "priority": PRIO, "relatedBooking": s(),
         "attachments": {"type":"array","items":s()}, "customerId": {"type":"string","description":"agents creating on behalf of a customer"}},
        ["subject","description","category"]), errs=(400,401,403), params=("IdempotencyKey",), tag=T))
add("/support/tickets/bulk", "post", op("Assign, move or reprioritise many tickets (agents)", resp(200, "{results:[{id, status, error?}]}"),
    obj({"ids": {"type":"array","items":s(),"maxItems":100}, "assign": s(), "status": TSTAT, "priority": PRIO}, ["ids"]), errs=(400,401,403), tag=T))
add("/support/tickets/{id}", "get", op("One ticket with its messages", resp(200, "the Ticket", S("Ticket")), tag=T), ["id"])
add("/support/tickets/{id}/messages", "post", op("Reply or add an internal note (agents); a customer reply reopens a resolved ticket",
    resp(201, "the message", S("TicketMessage")), obj({"message": s(maxLength=10000), "attachments": {"type":"array","items":s()}, "isInternal": b}, ["message"]),
    errs=(400,401,403,404,409), params=("IdempotencyKey",), tag=T), ["id"])
for name, body, summary in [
    ("assign", obj({"agentId": s()}, ["agentId"]), "Assign to an agent"),
    ("status", obj({"status": TSTAT, "notes": s()}, ["status"]), "Move through the status workflow (409 names the allowed moves)"),
    ("priority", obj({"priority": PRIO}, ["priority"]), "Change priority (SLA due times follow)"),
    ("close", obj({"summary": s(), "resolutionType": enum("solved","workaround","duplicate","no_response","wont_fix","other"), "resolutionNotes": s()}, ["summary","resolutionType"]), "Resolve or close with a resolution"),
    ("escalate", obj({"escalatedTo": s(), "reason": s()}, ["escalatedTo","reason"]), "Escalate to another agent"),
]:
    add(f"/support/tickets/{{id}}/{name}", "put", op(summary + " (agents)", resp(200, "the Ticket", S("Ticket")), body,
        errs=(400,401,403,404,409,412), params=("IfMatch",), tag=T), ["id"])
add("/support/tickets/{id}/satisfaction", "post", op("Rate a resolved ticket once (its customer)", resp(200, "the Ticket", S("Ticket")),
    obj({"rating": {"type":"integer","minimum":1,"maximum":5}, "comment": s()}, ["rating"]), errs=(400,401,403,404,409), tag=T), ["id"])
C = "conversations"
add("/support/conversation", "post", op("Start (or continue) a conversation with support; auto-assigns the least busy online agent",
    resp(201, "the Conversation", S("Conversation")), obj({"ticketId": s(), "message": s()}, ["message"]), errs=(400,401,403,404), params=("IdempotencyKey",), tag=C))
add("/support/conversation/{id}", "get", op("One conversation with its messages", resp(200, "the Conversation", S("Conversation")), tag=C), ["id"])
add("/support/conversation/{id}/messages", "post", op("Send a message in a conversation", resp(201, "the message"),
    obj({"message": s()}, ["message"]), params=("IdempotencyKey",), tag=C), ["id"])
add("/support/conversations", "get", op("List conversations", resp(200, "page of Conversations", S("Page")), errs=(400,401,403),
    params=(q("status","open|closed"), q("assignedTo","me | unassigned | <agent id>"), "limit", "offset"), tag=C))
A = "agents"
add("/support/agents", "get", op("Agents with availability and active tickets", resp(200, "{items:[{id,name,email,availability,activeTickets}]}"), errs=(401,403), tag=A))
add("/support/agents/me/availability", "put", op("Set my availability", resp(200, "the User", S("User")),
    obj({"status": enum("online","away","offline")}, ["status"]), errs=(400,401,403), tag=A))
add("/support/dashboard", "get", op("Queue and SLA figures", resp(200, "dashboard"), errs=(400,401,403),
    params=(q("from","ISO-8601"), q("to","ISO-8601")), tag=A))
add("/attachments", "post", {"summary": "Upload a file (the body is the file)", "tags": ["attachments"],
    "parameters": [{"name":"X-File-Name","in":"header","required":True,"schema":{"type":"string"}}],
    "requestBody": {"required": True, "content": {"*/*": {"schema": {"type":"string","format":"binary"}}}},
    "responses": {**resp(201, "the Attachment", S("Attachment")), **ERR(400,401,413)}})
add("/attachments/{id}", "get", {"summary": "Download a file (only who may see its ticket or message)", "tags": ["attachments"],
    "responses": {"200": {"description": "the file", "content": {"application/octet-stream": {}}}, **ERR(401,404)}}, ["id"])
N = "notifications"
add("/notifications", "get", op("My notifications", resp(200, "page of Notifications", S("Page")), errs=(400,401),
    params=(q("unread","true for unread only"), "limit", "offset"), tag=N))
add("/notifications/{id}/read", "post", op("Mark one read", resp(200, "the Notification", S("Notification")), errs=(401,404), tag=N), ["id"])
add("/sync/changes", "get", op("Changes since a sequence number, filtered to what I may see", resp(200, "{changes:[Change], next, hasMore}"), errs=(400,401),
    params=(q("since","last seq seen", {"type":"integer"}), q("limit","1-1000", {"type":"integer"})), tag="sync"))
add("/ws", "get", {"summary": "WebSocket: first frame {type:auth, token}; then events {type:event, seq, entity, op, data}", "tags": ["sync"],
    "security": [], "responses": {"101": {"description": "upgraded"}, "426": {"$ref": "#/components/responses/Error"}}})
B = "bookings"
add("/bookings", "get", op("List bookings (customers: own; technicians: assigned)", resp(200, "page of Bookings", S("Page")), errs=(400,401),
    params=(q("status","booking status"), q("customer","id"), q("technician","id"), "limit", "offset"), tag=B))
add("/bookings", "post", op("Book a service (customers)", resp(201, "the Booking", S("Booking")),
    obj({"service": s(), "description": s(), "address": s(), "scheduledAt": ts}, ["service","scheduledAt"]), errs=(400,401,403), params=("IdempotencyKey",), tag=B))
add("/bookings/pending-completion", "get", op("Completion requests past their deadline and not settled (agents)", resp(200, "page of Bookings", S("Page")), errs=(400,401,403),
    params=("limit","offset"), tag=B))
add("/bookings/{id}", "get", op("One booking", resp(200, "the Booking", S("Booking")), tag=B), ["id"])
add("/bookings/{id}/assign", "put", op("Assign a technician; confirms a pending booking (agents)", resp(200, "the Booking", S("Booking")),
    obj({"technicianId": s()}, ["technicianId"]), errs=(400,401,403,404,409,412), params=("IfMatch",), tag=B), ["id"])
for name, body, summary, who in [
    ("start", None, "Start the job: confirmed → in_progress", "assigned technician"),
    ("request-completion", None, "Ask the customer to confirm the job is done; escalates after COMPLETION_ESCALATION_HOURS", "assigned technician"),
    ("respond-completion", obj({"approved": b, "feedback": s(), "issues": s()}, ["approved"]), "Approve (→ verified) or reject with issues (→ in_progress + high-priority ticket)", "the booking's customer"),
    ("initiate-followup", None, "Take over the follow-up of an overdue completion request", "agents"),
    ("log-contact", obj({"method": enum("call","sms","email","in_app"), "reached": b, "notes": s()}, ["method","reached"]), "Log an attempt to reach the customer", "agents"),
    ("complete-by-support", obj({"outcome": enum("customer_confirmed","customer_disputed","unreachable","auto_completed"), "notes": s()}, ["outcome"]), "Settle the follow-up", "agents"),
]:
    add(f"/bookings/{{id}}/{name}", "post", op(f"{summary} ({who})", resp(200, "the Booking", S("Booking")), body,
        errs=(400,401,403,404,409), params=("IdempotencyKey",), tag=B), ["id"])
add("/bookings/{id}/reviews", "post", op("Review a verified booking, once (its customer)", resp(201, "the Review", S("Review")),
    obj({"rating": {"type":"integer","minimum":1,"maximum":5}, "comment": s()}, ["rating"]), errs=(400,401,403,404,409), tag=B), ["id"])

doc = {"openapi": "3.0.3",
  "info": {"title": "Switchboard API", "version": "0.1.0",
           "description": "Support messaging and job completion. JSON in and out; errors are {error:{code,message,details}}. Writes accept Idempotency-Key; tickets, bookings and users carry a version used with If-Match."},
  "servers": [{"url": "/api/v1"}],
  "security": [{"bearer": []}],
  "paths": P,
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "parameters": {
      "limit": {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":100,"default":50}},
      "offset": {"name":"offset","in":"query","schema":{"type":"integer","minimum":0,"default":0}},
      "IfMatch": {"name":"If-Match","in":"header","required":False,"description":"the version as an entity tag, \"7\"; a stale one answers 412","schema":{"type":"string"}},
      "IdempotencyKey": {"name":"Idempotency-Key","in":"header","required":False,"description":"same key + same caller + same body → the same answer, once (24 h)","schema":{"type":"string","maxLength":200}}},
    "responses": {"Error": {"description": "the uniform error", "content": {"application/json": {"schema": S("Error")}}}},
    "schemas": schemas}}
import sys
json.dump(doc, open(sys.argv[1], "w"), indent=1, sort_keys=False)
print(len(P), "paths", sum(len(v) for v in P.values()), "operations")
