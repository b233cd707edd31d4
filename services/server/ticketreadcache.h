#pragma once

#include <domain/change.h>
#include <domain/ticket.h>

#include <QByteArray>
#include <QCache>
#include <QDateTime>
#include <QMutex>
#include <QString>

#include <optional>

namespace sb::server {

// Rendered answers of GET /support/tickets/:id (one per ticket and view: with or without internal
// notes) and of ticket lists (one per caller and query), kept until a committed change touches
// them (invalidate(), called for every change this instance commits) or until the business clock
// reaches the first instant at which a breach flag in them would turn (nextBreachFlagChange).
//
// Other instances write the same tables on PostgreSQL: there the change-log poller drops what
// their changes touch, and a kept answer is served only after the latest seq in the store has
// been through the poller (ticketroutes.cpp, cacheIsCurrent). Thread-safe (a mutex), although
// the server reads and commits on its one thread, jobs included.
class TicketReadCache
{
public:
    explicit TicketReadCache(qint64 maxBytes);

    bool enabled() const { return m_maxKb > 0; }

    struct TicketAnswer
    {
        Ticket head; // id, customer, assignee and version: what authorization and the ETag read
        QByteArray body;
    };

    // A reader notes the generation before it reads the store and hands it back to store*():
    // an answer read across an invalidation is not kept (it may predate the change).
    quint64 generation() const;

    std::optional<TicketAnswer> ticket(const QString &id, bool withInternalNotes,
                                       const QDateTime &now) const;
    void storeTicket(quint64 generation, const Ticket &ticket, bool withInternalNotes,
                     const QByteArray &body, const QDateTime &now);

    std::optional<QByteArray> list(const QString &key, const QDateTime &now) const;
    void storeList(quint64 generation, const QString &key, const QList<Ticket> &items,
                   const QByteArray &body, const QDateTime &now);

    void invalidate(const Change &change);
    void clear();

    qint64 hits() const;
    qint64 misses() const;

private:
    struct Entry
    {
        Ticket head;
        QByteArray body;
        QDateTime renderedAt; // business time; a clock moved back before it misses
        QDateTime validUntil; // invalid: until a change
    };
    static bool fresh(const Entry &entry, const QDateTime &now);
    // A fresh entry of `cache`, counted as a hit, or null, counted as a miss. Under m_mutex.
    const Entry *lookup(QCache<QString, Entry> &cache, const QString &key,
                        const QDateTime &now) const;
    static QString ticketKey(const QString &id, bool withInternalNotes);
    void store(QCache<QString, Entry> &cache, quint64 generation, const QString &key, Entry entry);
    void dropTicket(const QString &id);

    mutable QMutex m_mutex;
    qint64 m_maxKb;
    mutable QCache<QString, Entry> m_tickets; // object() marks an entry as recently used
    mutable QCache<QString, Entry> m_lists;
    quint64 m_generation = 0;
    mutable qint64 m_hits = 0;
    mutable qint64 m_misses = 0;
};

} // namespace sb::server
