#pragma once

#include "caller.h"

#include <domain/result.h>
#include <domain/ticket.h>
#include <store/ticketfilter.h>

#include <QJsonObject>
#include <QSqlDatabase>
#include <QStringList>

#include <functional>
#include <optional>

namespace sb {
class SlaPolicy;
}

namespace sb::server {

struct ServerContext;

struct NewTicket
{
    QString subject;
    QString description;
    TicketCategory category = TicketCategory::Other;
    TicketPriority priority = TicketPriority::Medium;
    QString customerId; // read from agents only: the customer the ticket is opened for
    QString relatedBooking;
    QStringList attachments;
};

struct NewTicketMessage
{
    QString message;
    QStringList attachments;
    bool isInternal = false;
};

// Changes a loaded ticket in place; answers whether it changed anything (false: a no-op, not
// saved, no version bump). It runs inside the transaction of TicketService::modify.
using TicketEdit = std::function<Result<bool>(Ticket &ticket, QSqlDatabase &db)>;

// Support tickets and their messages: every write is one transaction that also appends its
// change-log rows. Who may see a ticket is decided by authz::canSeeTicket (404 otherwise).
// Every ticket answered carries breach flags evaluated at the business clock's now.
class TicketService
{
public:
    explicit TicketService(ServerContext &context)
        : m_context(context)
    { }

    Result<Ticket> create(const NewTicket &input, const Caller &caller);
    // A customer's list is always restricted to its own tickets.
    Result<store::TicketPage> list(store::TicketFilter filter, const Caller &caller) const;
    // With its messages, internal notes for agents only.
    Result<Ticket> find(const QString &id, const Caller &caller) const;
    Result<TicketMessage> addMessage(const QString &ticketId, const NewTicketMessage &input,
                                     const Caller &caller);

    // Loads the ticket the caller may see, checks If-Match (412 when stale), applies edit and,
    // when it changed something, saves it with refreshed breach flags and records the change,
    // all in one transaction. Without If-Match a race lost to another writer is retried.
    // Answers the ticket as find() does, or without its messages when answerMessages is false.
    Result<Ticket> modify(const QString &id, const Caller &caller,
                          std::optional<int> expectedVersion, const TicketEdit &edit,
                          bool answerMessages = true);

    // Helpers for the edits of TicketWorkflow, inside modify's transaction.
    // An active support agent or admin, else 400 naming `field`.
    Result<User> activeAgent(QSqlDatabase &db, const QString &id, const QString &field) const;
    // Stores an agent's internal note on the ticket and records it.
    Result<TicketMessage> addNote(QSqlDatabase &db, const Ticket &ticket, const QString &text,
                                  const Caller &caller);
    QDateTime now() const; // business time
    const SlaPolicy &slaPolicy() const;

private:
    Result<QList<Attachment>> ownAttachments(QSqlDatabase &db, const QStringList &ids,
                                             const Caller &caller) const;
    Status checkCreate(QSqlDatabase &db, const NewTicket &input, const QString &customerId,
                       const Caller &caller) const;
    Result<Ticket> save(QSqlDatabase &db, Ticket ticket, int expectedVersion);
    Result<TicketMessage> insertMessage(QSqlDatabase &db, const Ticket &ticket,
                                        TicketMessage message);
    Result<TicketMessage> postMessage(QSqlDatabase &db, const Ticket &ticket,
                                      const NewTicketMessage &input, const Caller &caller);
    Result<Ticket> withMessages(QSqlDatabase &db, Ticket ticket, const Caller &caller) const;
    Status recordTicket(QSqlDatabase &db, const Ticket &ticket, ChangeOp op);

    ServerContext &m_context;
};

} // namespace sb::server
