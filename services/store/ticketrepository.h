#pragma once

#include "ticketfilter.h"

#include <domain/result.h>
#include <domain/ticket.h>
#include <domain/ticketmessage.h>

#include <QSqlDatabase>

#include <optional>

namespace sb::store {

class SqlFilter;

// Tickets, their messages, and the dashboard figures over them. Attachments of tickets and
// messages are stored by AttachmentRepository and read back here.
class TicketRepository
{
public:
    explicit TicketRepository(const QSqlDatabase &db);

    // Assigns id (when empty) and the ticket number from the database's counter; version 1.
    Result<Ticket> insert(const Ticket &ticket);
    // The same for many tickets without attachments, in a few multi-row statements.
    Status insertAll(QList<Ticket> &tickets);
    // With the ticket's attachments, without its messages.
    Result<std::optional<Ticket>> findById(const QString &id) const;
    // Writes every mutable column in one statement, only if the stored version is still
    // expectedVersion: Error "version_conflict" otherwise, "not_found" when there is no such
    // ticket. Answers the ticket with its new version.
    Result<Ticket> update(const Ticket &ticket, int expectedVersion);
    Result<TicketPage> list(const TicketFilter &filter) const;
    // The plan of list(filter)'s page query, for tests and diagnostics.
    Result<QString> explainList(const TicketFilter &filter) const;

    // Inserts the message (id assigned when empty) and links message.attachments by id; an
    // unknown attachment id answers Error "unknown_attachment" and the caller rolls back.
    Result<TicketMessage> addMessage(const TicketMessage &message);
    // Oldest first, with attachments; internal notes only when includeInternal.
    Result<QList<TicketMessage>> messages(const QString &ticketId, bool includeInternal) const;

    Result<TicketStats> stats(const TicketStatsFilter &filter) const;

    // markSlaBreaches: the tickets whose stored flags refreshBreachFlags(sla, now) would change
    // (a target missed or met late, the clock not paused before its due time), at most limit,
    // without attachments.
    Result<QList<Ticket>> dueForBreachFlags(const QDateTime &now, int limit) const;
    // autoCloseResolvedTickets: resolved tickets whose last activity was at or before `before`,
    // least recently active first, without attachments.
    Result<QList<Ticket>> resolvedInactiveSince(const QDateTime &before, int limit) const;

    static QString formatTicketNumber(qint64 number); // TKT-000042
    // 42 for "TKT-000042", "tkt-42" or "42"; nothing for anything else.
    static std::optional<qint64> parseTicketNumber(const QString &text);

private:
    SqlFilter listFilter(const TicketFilter &filter) const;
    QString listSql(const TicketFilter &filter, const SqlFilter &where) const;

    QSqlDatabase m_db;
};

} // namespace sb::store
