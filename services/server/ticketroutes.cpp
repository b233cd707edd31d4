#include "ticketroutes.h"

#include "authorizer.h"
#include "bodyreader.h"
#include "changelogpoller.h"
#include "replies.h"
#include "servercontext.h"
#include "ticketquery.h"
#include "ticketservice.h"
#include "ticketworkflow.h"

#include <domain/ticketjsonwriter.h>

namespace sb::server {

namespace {

constexpr int kMaxSubject = 200;
constexpr int kMaxText = 10000; // description, message, notes
constexpr int kMaxShortText = 2000; // summary, reason, comment
constexpr int kMaxAttachments = 10;

using namespace Qt::StringLiterals;

// Tickets and messages are written straight to bytes (TicketJsonWriter), the same body as
// answer()/answerVersioned() would build through QJsonObject, at a fraction of the cost.
QByteArray ticketBytes(const Ticket &ticket)
{
    JsonWriter out(2048 + 1024 * ticket.messages.size());
    writeJson(out, ticket);
    return out.take();
}

QHttpServerResponse versionedBytes(const QByteArray &body, int version,
                                   StatusCode ok = StatusCode::Ok)
{
    QHttpServerResponse response = jsonBytesResponse(body, ok);
    response.setHeader(QByteArrayLiteral("ETag"), '"' + QByteArray::number(version) + '"');
    return response;
}

QHttpServerResponse ticketAnswer(const Result<Ticket> &result, StatusCode ok = StatusCode::Ok)
{
    if (!result)
        return failure(result.error());
    return versionedBytes(ticketBytes(*result), result->version, ok);
}

QHttpServerResponse messageAnswer(const Result<TicketMessage> &result, StatusCode ok)
{
    if (!result)
        return failure(result.error());
    JsonWriter out;
    writeJson(out, *result);
    return jsonBytesResponse(out.take(), ok);
}

// {items, limit, offset, total}: replies.h's page(), keys in the same (sorted) order.
QByteArray ticketPageBytes(const store::TicketPage &found, int limit, int offset)
{
    JsonWriter out(1024 + 1536 * found.items.size());
    out.beginObject().key("items"_L1).beginArray();
    for (const Ticket &t : found.items)
        writeJson(out, t, TicketJsonParts::WithoutMessagesAndAttachments);
    out.endArray();
    out.key("limit"_L1).integer(limit);
    out.key("offset"_L1).integer(offset);
    out.key("total"_L1).integer(found.total);
    out.endObject();
    return out.take();
}

// Whether the read cache has seen every change committed so far: always on SQLite, where this
// instance writes alone and drops what it changes at each commit; on PostgreSQL once the poller
// has caught up with the other instances' changes.
bool cacheIsCurrent(ServerContext &context)
{
    return !context.changeFeed || context.changeFeed->catchUp();
}

// GET /support/tickets/:id through the read cache: a hit is authorized like a read (the cached
// ticket decides), a miss reads the store and keeps what it rendered.
QHttpServerResponse cachedTicket(ApiRequest &r, const TicketService &tickets,
                                 ServerContext &context)
{
    TicketReadCache &cache = context.readCache;
    const bool withInternalNotes = authz::canSeeInternalNotes(r.caller());
    const QDateTime now = context.clock.now();
    if (cache.enabled() && cacheIsCurrent(context)) {
        if (const auto hit = cache.ticket(r.arg(0), withInternalNotes, now);
            hit && authz::canSeeTicket(r.caller(), hit->head))
            return versionedBytes(hit->body, hit->head.version);
    }
    const quint64 generation = cache.generation();
    const auto found = tickets.find(r.arg(0), r.caller());
    if (!found)
        return failure(found.error());
    const QByteArray body = ticketBytes(*found);
    cache.storeTicket(generation, *found, withInternalNotes, body, now);
    return versionedBytes(body, found->version);
}

// GET /support/tickets: one cached page per caller, role and query (what a caller may see and
// assignedTo=me depend on who asks).
QHttpServerResponse cachedTicketList(ApiRequest &r, const TicketService &tickets,
                                     ServerContext &context)
{
    const auto filter = ticketFilterFrom(r);
    if (!filter)
        return failure(filter.error());
    TicketReadCache &cache = context.readCache;
    const QString key
        = toString(r.caller().role()) + u' ' + r.caller().id() + u'?' + r.canonicalQuery();
    const QDateTime now = context.clock.now();
    if (cache.enabled() && cacheIsCurrent(context)) {
        if (const auto hit = cache.list(key, now))
            return jsonBytesResponse(*hit);
    }
    const quint64 generation = cache.generation();
    const auto found = tickets.list(*filter, r.caller());
    if (!found)
        return failure(found.error());
    const QByteArray body = ticketPageBytes(*found, filter->limit, filter->offset);
    cache.storeList(generation, key, found->items, body, now);
    return jsonBytesResponse(body);
}

using VersionedAction = std::function<Result<Ticket>(BodyReader &, std::optional<int>)>;

// A PUT on one ticket: If-Match, then the body, then the action; 200 with the whole ticket.
QHttpServerResponse versionedPut(ApiRequest &r, const VersionedAction &action)
{
    const auto version = r.ifMatch();
    if (!version)
        return failure(version.error());
    BodyReader body(r.body());
    return ticketAnswer(action(body, *version));
}

} // namespace

void registerTicketRoutes(ApiRouter &router, ServerContext &context)
{
    auto tickets = std::make_shared<TicketService>(context);
    auto workflow = std::make_shared<TicketWorkflow>(*tickets);
    const QString one = QStringLiteral("/support/tickets/:id");

    router.postGrouped(QStringLiteral("/support/tickets"), ticketUsers(), [tickets](ApiRequest &r) {
        BodyReader body(r.body());
        NewTicket t;
        t.subject = body.text("subject", kMaxSubject);
        t.description = body.text("description", kMaxText);
        t.category = body.enumeration<TicketCategory>("category").value_or(TicketCategory::Other);
        t.priority
            = body.enumeration<TicketPriority>("priority", false).value_or(TicketPriority::Medium);
        t.relatedBooking = body.id("relatedBooking", false);
        t.attachments = body.idList("attachments", kMaxAttachments);
        // A customer always opens its own ticket, whatever the body says (as /auth/register).
        if (r.caller().isAgent())
            t.customerId = body.id("customerId");
        if (!body.ok())
            return failure(body.error());
        return ticketAnswer(tickets->create(t, r.caller()), StatusCode::Created);
    });

    router.get(
        QStringLiteral("/support/tickets"), ticketUsers(),
        [tickets, &context](ApiRequest &r) { return cachedTicketList(r, *tickets, context); });

    router.get(one, ticketUsers(),
               [tickets, &context](ApiRequest &r) { return cachedTicket(r, *tickets, context); });

    router.postGrouped(one + u"/messages", ticketUsers(), [tickets](ApiRequest &r) {
        BodyReader body(r.body());
        NewTicketMessage m;
        m.message = body.text("message", kMaxText);
        m.attachments = body.idList("attachments", kMaxAttachments);
        m.isInternal = body.boolean("isInternal", false).value_or(false);
        if (!body.ok())
            return failure(body.error());
        return messageAnswer(tickets->addMessage(r.arg(0), m, r.caller()), StatusCode::Created);
    });

    router.put(one + u"/assign", Access::agents(), [workflow](ApiRequest &r) {
        return versionedPut(r, [&](BodyReader &body, std::optional<int> version) -> Result<Ticket> {
            const QString agentId = body.id("agentId");
            if (!body.ok())
                return body.error();
            return workflow->assign(r.arg(0), agentId, r.caller(), version);
        });
    });

    router.put(one + u"/status", Access::agents(), [workflow](ApiRequest &r) {
        return versionedPut(r, [&](BodyReader &body, std::optional<int> version) -> Result<Ticket> {
            const auto status = body.enumeration<TicketStatus>("status");
            const QString notes = body.text("notes", kMaxText, false);
            if (!body.ok())
                return body.error();
            return workflow->setStatus(r.arg(0), *status, notes.trimmed(), r.caller(), version);
        });
    });

    router.put(one + u"/priority", Access::agents(), [workflow](ApiRequest &r) {
        return versionedPut(r, [&](BodyReader &body, std::optional<int> version) -> Result<Ticket> {
            const auto priority = body.enumeration<TicketPriority>("priority");
            if (!body.ok())
                return body.error();
            return workflow->setPriority(r.arg(0), *priority, r.caller(), version);
        });
    });

    router.put(one + u"/close", Access::agents(), [workflow](ApiRequest &r) {
        return versionedPut(r, [&](BodyReader &body, std::optional<int> version) -> Result<Ticket> {
            TicketClosing closing;
            closing.summary = body.text("summary", kMaxShortText);
            closing.resolutionType = body.enumeration<ResolutionType>("resolutionType", false)
                                         .value_or(ResolutionType::Solved);
            closing.resolutionNotes = body.text("resolutionNotes", kMaxText, false);
            if (!body.ok())
                return body.error();
            return workflow->close(r.arg(0), closing, r.caller(), version);
        });
    });

    router.put(one + u"/escalate", Access::agents(), [workflow](ApiRequest &r) {
        return versionedPut(r, [&](BodyReader &body, std::optional<int> version) -> Result<Ticket> {
            TicketEscalationRequest request;
            request.escalatedTo = body.id("escalatedTo");
            request.reason = body.text("reason", kMaxShortText);
            if (!body.ok())
                return body.error();
            return workflow->escalate(r.arg(0), request, r.caller(), version);
        });
    });

    // Only the ticket's customer rates it: agents and technicians get 403.
    router.post(one + u"/satisfaction", Access::only({Role::Customer}), [workflow](ApiRequest &r) {
        BodyReader body(r.body());
        const auto rating = body.integer("rating", 1, 5);
        const QString comment = body.text("comment", kMaxShortText, false);
        if (!body.ok())
            return failure(body.error());
        return ticketAnswer(workflow->rate(r.arg(0), *rating, comment, r.caller()));
    });
}

} // namespace sb::server
