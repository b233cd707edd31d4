#include "ticketservice.h"

#include "apierrors.h"
#include "authorizer.h"
#include "servercontext.h"
#include "ticketmutations.h"

#include <domain/jsoncodec.h>
#include <domain/slaclock.h>
#include <domain/ticketjsonwriter.h>
#include <store/attachmentrepository.h>
#include <store/bookingrepository.h>
#include <store/messagetarget.h>
#include <store/ticketrepository.h>
#include <store/userrepository.h>

#include <QJsonArray>

namespace sb::server {

namespace {

constexpr int kMaxRetries = 3; // of a write that lost a race and has no If-Match

Error ticketNotFound()
{
    return errors::notFound(QStringLiteral("ticket"));
}

Error staleVersion(int expected, int current)
{
    return Error::make(QStringLiteral("version_conflict"),
                       QStringLiteral("The ticket was changed by someone else; reload it."),
                       {{QStringLiteral("expectedVersion"), expected},
                        {QStringLiteral("currentVersion"), current}});
}

// closed is final: no more messages either (409).
Status refuseClosed(const Ticket &ticket)
{
    if (ticket.status != TicketStatus::Closed)
        return {};
    return Error::make(QStringLiteral("ticket_closed"),
                       QStringLiteral("The ticket is closed, and a closed ticket is final. Open "
                                      "a new ticket instead."));
}

} // namespace

QDateTime TicketService::now() const
{
    return m_context.clock.now();
}

const SlaPolicy &TicketService::slaPolicy() const
{
    return m_context.slaPolicy;
}

Status TicketService::recordTicket(QSqlDatabase &db, const Ticket &ticket, ChangeOp op)
{
    const auto seq = m_context.changes.record(db, ticketChange(ticket, op));
    return seq ? Status() : Status(seq.error());
}

// Only the caller's own uploads: an id seen elsewhere must not let anyone else's file be
// attached (and so downloaded through this ticket).
Result<QList<Attachment>> TicketService::ownAttachments(QSqlDatabase &db, const QStringList &ids,
                                                        const Caller &caller) const
{
    store::AttachmentRepository attachments(db);
    QList<Attachment> found;
    QJsonArray unknown;
    for (const QString &id : ids) {
        const auto a = attachments.findById(id);
        if (!a)
            return a.error();
        if (*a && (*a)->uploadedBy == caller.id())
            found << **a;
        else
            unknown.append(id);
    }
    if (!unknown.isEmpty()) {
        Error e = errors::invalidField(QStringLiteral("attachments"),
                                       QStringLiteral("names no file you uploaded"));
        e.details.insert(QStringLiteral("ids"), unknown);
        return e;
    }
    return found;
}

Result<User> TicketService::activeAgent(QSqlDatabase &db, const QString &id,
                                        const QString &field) const
{
    const auto user = store::UserRepository(db).findById(id);
    if (!user)
        return user.error();
    if (!*user || !(*user)->active || !(*user)->isAgent()) {
        return errors::invalidField(field,
                                    QStringLiteral("must name an active support agent or admin"));
    }
    return **user;
}

Status TicketService::checkCreate(QSqlDatabase &db, const NewTicket &input,
                                  const QString &customerId, const Caller &caller) const
{
    if (caller.isAgent()) {
        const auto customer = store::UserRepository(db).findById(customerId);
        if (!customer)
            return customer.error();
        if (!*customer || !(*customer)->active || (*customer)->role != Role::Customer) {
            return errors::invalidField(QStringLiteral("customerId"),
                                        QStringLiteral("must name an active customer"));
        }
    }
    if (!input.relatedBooking.isEmpty()) {
        // The ticket's customer must own the booking, whoever opens the ticket.
        const auto booking = store::BookingRepository(db).findById(input.relatedBooking);
        if (!booking)
            return booking.error();
        if (!*booking || (*booking)->customerId != customerId) {
            return errors::invalidField(QStringLiteral("relatedBooking"),
                                        QStringLiteral("must name a booking of the customer"));
        }
    }
    return {};
}

Result<Ticket> TicketService::create(const NewTicket &input, const Caller &caller)
{
    const QString customerId = caller.isAgent() ? input.customerId : caller.id();
    if (customerId.isEmpty())
        return errors::missingField(QStringLiteral("customerId"));
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<Ticket> {
        if (Status s = checkCreate(db, input, customerId, caller); !s)
            return s.error();
        const auto attachments = ownAttachments(db, input.attachments, caller);
        if (!attachments)
            return attachments.error();
        Ticket t;
        t.subject = input.subject;
        t.description = input.description;
        t.category = input.category;
        t.priority = input.priority;
        t.status = TicketStatus::Open;
        t.customerId = customerId;
        t.relatedBooking = input.relatedBooking;
        t.attachments = *attachments;
        t.createdAt = now();
        t.updatedAt = t.createdAt;
        t.sla = startSla(m_context.slaPolicy, t.priority, t.createdAt);
        auto created = store::TicketRepository(db).insert(t);
        if (!created)
            return created;
        if (Status s = recordTicket(db, *created, ChangeOp::Created); !s)
            return s.error();
        return created;
    });
}

Result<store::TicketPage> TicketService::list(store::TicketFilter filter,
                                              const Caller &caller) const
{
    if (!caller.isAgent()) {
        if (!filter.customerId.isEmpty() && filter.customerId != caller.id()) {
            return errors::invalidField(QStringLiteral("customer"),
                                        QStringLiteral("may only name yourself"));
        }
        filter.customerId = caller.id();
    }
    // One read: the total and the page from one snapshot.
    auto found = m_context.db.read(
        [&](QSqlDatabase &db) { return store::TicketRepository(db).list(filter); });
    if (!found)
        return found;
    const QDateTime at = now();
    for (Ticket &t : found->items)
        refreshBreachFlags(t.sla, at);
    return found;
}

Result<Ticket> TicketService::withMessages(QSqlDatabase &db, Ticket ticket,
                                           const Caller &caller) const
{
    const auto messages
        = store::TicketRepository(db).messages(ticket.id, authz::canSeeInternalNotes(caller));
    if (!messages)
        return messages.error();
    ticket.messages = *messages;
    refreshBreachFlags(ticket.sla, now());
    return ticket;
}

Result<Ticket> TicketService::find(const QString &id, const Caller &caller) const
{
    // One read: the ticket and its messages from one snapshot.
    return m_context.db.read([&](QSqlDatabase &db) -> Result<Ticket> {
        const auto found = store::TicketRepository(db).findById(id);
        if (!found)
            return found.error();
        if (!*found || !authz::canSeeTicket(caller, **found))
            return ticketNotFound();
        return withMessages(db, **found, caller);
    });
}

Result<Ticket> TicketService::save(QSqlDatabase &db, Ticket ticket, int expectedVersion)
{
    ticket.updatedAt = now();
    refreshBreachFlags(ticket.sla, ticket.updatedAt);
    auto saved = store::TicketRepository(db).update(ticket, expectedVersion);
    if (!saved)
        return saved;
    if (Status s = recordTicket(db, *saved, ChangeOp::Updated); !s)
        return s.error();
    return saved;
}

Result<Ticket> TicketService::modify(const QString &id, const Caller &caller,
                                     std::optional<int> expectedVersion, const TicketEdit &edit,
                                     bool answerMessages)
{
    for (int attempt = 1;; ++attempt) {
        auto result = m_context.db.transaction([&](QSqlDatabase &db) -> Result<Ticket> {
            const auto found = store::TicketRepository(db).findById(id);
            if (!found)
                return found.error();
            if (!*found || !authz::canSeeTicket(caller, **found))
                return ticketNotFound();
            Ticket ticket = **found;
            // Breaches earned by now stay on record whatever the edit moves (priority, pause).
            refreshBreachFlags(ticket.sla, now());
            if (expectedVersion && *expectedVersion != ticket.version)
                return staleVersion(*expectedVersion, ticket.version);
            const int version = ticket.version;
            const auto changed = edit(ticket, db);
            if (!changed)
                return changed.error();
            if (*changed) {
                auto saved = save(db, ticket, version);
                if (!saved)
                    return saved;
                ticket = *saved;
            }
            if (!answerMessages) {
                refreshBreachFlags(ticket.sla, now());
                return ticket;
            }
            return withMessages(db, ticket, caller);
        });
        // Without If-Match the caller asked for no precondition: a concurrent writer that
        // committed first is not its conflict, so the edit runs again on the new version.
        if (result || expectedVersion || attempt >= kMaxRetries
            || result.error().code != u"version_conflict")
            return result;
    }
}

Result<TicketMessage> TicketService::insertMessage(QSqlDatabase &db, const Ticket &ticket,
                                                   TicketMessage message)
{
    message.ticketId = ticket.id;
    message.createdAt = now();
    auto stored = store::TicketRepository(db).addMessage(message);
    if (!stored)
        return stored;
    Change change;
    change.entity = QStringLiteral("message");
    change.entityId = stored->id;
    change.op = ChangeOp::Created;
    JsonWriter out(512 + 2 * stored->message.size());
    writeJson(out, *stored);
    change.dataJson = out.take();
    change.customerId = ticket.customerId;
    change.internal = stored->isInternal;
    change.createdAt = message.createdAt;
    if (const auto seq = m_context.changes.record(db, change); !seq)
        return seq.error();
    return stored;
}

Result<TicketMessage> TicketService::addNote(QSqlDatabase &db, const Ticket &ticket,
                                             const QString &text, const Caller &caller)
{
    TicketMessage note;
    note.senderId = caller.id();
    note.senderRole = caller.role();
    note.message = text;
    note.isInternal = true;
    return insertMessage(db, ticket, note);
}

// A caller's message on a ticket it may see: refused on a closed ticket, with the caller's own
// uploads only.
Result<TicketMessage> TicketService::postMessage(QSqlDatabase &db, const Ticket &ticket,
                                                 const NewTicketMessage &input,
                                                 const Caller &caller)
{
    if (Status s = refuseClosed(ticket); !s)
        return s.error();
    const auto attachments = ownAttachments(db, input.attachments, caller);
    if (!attachments)
        return attachments.error();
    TicketMessage m;
    m.senderId = caller.id();
    m.senderRole = caller.role();
    m.message = input.message;
    m.isInternal = input.isInternal;
    m.attachments = *attachments;
    return insertMessage(db, ticket, m);
}

Result<TicketMessage> TicketService::addMessage(const QString &ticketId,
                                                const NewTicketMessage &input, const Caller &caller)
{
    if (input.isInternal && !authz::canSeeInternalNotes(caller)) {
        return Error::make(QStringLiteral("forbidden"),
                           QStringLiteral("Only support agents can write internal notes."),
                           {{QStringLiteral("field"), QStringLiteral("isInternal")}});
    }
    // Most messages leave the ticket as it is: those are written after a narrow read of the
    // ticket (MessageTarget). Only the others load the whole ticket through modify(), which
    // saves it with the message.
    const auto quick
        = m_context.db.transaction([&](QSqlDatabase &db) -> Result<std::optional<TicketMessage>> {
              const auto target = store::MessageTarget::find(db, ticketId);
              if (!target)
                  return target.error();
              if (!*target)
                  return ticketNotFound();
              Ticket ticket; // what canSeeTicket, refuseClosed and insertMessage read
              ticket.id = ticketId;
              ticket.customerId = (*target)->customerId;
              ticket.status = (*target)->status;
              if (!authz::canSeeTicket(caller, ticket))
                  return ticketNotFound();
              const bool firstResponse
                  = caller.isAgent() && !input.isInternal && !(*target)->hasFirstResponse;
              const bool reopens = !caller.isAgent() && ticket.status == TicketStatus::Resolved;
              if (firstResponse || reopens)
                  return std::optional<TicketMessage>();
              auto stored = postMessage(db, ticket, input, caller);
              if (!stored)
                  return stored.error();
              return std::optional<TicketMessage>(std::move(*stored));
          });
    if (!quick)
        return quick.error();
    if (*quick)
        return **quick;

    std::optional<TicketMessage> added;
    const auto done = modify(
        ticketId, caller, std::nullopt,
        [&](Ticket &ticket, QSqlDatabase &db) -> Result<bool> {
            auto stored = postMessage(db, ticket, input, caller);
            if (!stored)
                return stored.error();
            added = *stored;
            bool changed = false;
            if (caller.isAgent() && !input.isInternal && !ticket.sla.firstResponseAt.isValid()) {
                recordFirstResponse(ticket.sla, stored->createdAt);
                changed = true;
            }
            // A customer answering a resolved ticket reopens it (DESIGN.md "REST conventions").
            if (!caller.isAgent() && ticket.status == TicketStatus::Resolved) {
                const auto reopened = applyStatus(ticket, TicketStatus::InProgress,
                                                  m_context.slaPolicy, stored->createdAt);
                if (!reopened)
                    return reopened;
                changed = true;
            }
            return changed;
        },
        false);
    if (!done)
        return done.error();
    return *added;
}

} // namespace sb::server
