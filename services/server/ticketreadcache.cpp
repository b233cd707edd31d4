#include "ticketreadcache.h"

#include <domain/slaclock.h>

#include <QMutexLocker>

namespace sb::server {

namespace {

// Lists take this share of the budget, tickets the rest.
constexpr qint64 kListShare = 8;

qsizetype costKb(const QByteArray &body)
{
    return 1 + body.size() / 1024;
}

} // namespace

TicketReadCache::TicketReadCache(qint64 maxBytes)
    : m_maxKb(std::max<qint64>(0, maxBytes / 1024))
{
    m_tickets.setMaxCost(m_maxKb - m_maxKb / kListShare);
    m_lists.setMaxCost(m_maxKb / kListShare);
}

quint64 TicketReadCache::generation() const
{
    QMutexLocker lock(&m_mutex);
    return m_generation;
}

bool TicketReadCache::fresh(const Entry &entry, const QDateTime &now)
{
    return now >= entry.renderedAt && (!entry.validUntil.isValid() || now <= entry.validUntil);
}

const TicketReadCache::Entry *TicketReadCache::lookup(QCache<QString, Entry> &cache,
                                                      const QString &key,
                                                      const QDateTime &now) const
{
    const Entry *entry = cache.object(key);
    if (!entry || !fresh(*entry, now)) {
        ++m_misses;
        return nullptr;
    }
    ++m_hits;
    return entry;
}

QString TicketReadCache::ticketKey(const QString &id, bool withInternalNotes)
{
    return (withInternalNotes ? u"a:" : u"c:") + id;
}

std::optional<TicketReadCache::TicketAnswer>
TicketReadCache::ticket(const QString &id, bool withInternalNotes, const QDateTime &now) const
{
    if (!enabled())
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    const Entry *entry = lookup(m_tickets, ticketKey(id, withInternalNotes), now);
    if (!entry)
        return std::nullopt;
    return TicketAnswer {entry->head, entry->body};
}

void TicketReadCache::storeTicket(quint64 generation, const Ticket &ticket, bool withInternalNotes,
                                  const QByteArray &body, const QDateTime &now)
{
    if (!enabled())
        return;
    // Only what authorization and the ETag read: a kept answer costs its body, not a second copy
    // of the ticket's texts.
    Ticket head;
    head.id = ticket.id;
    head.customerId = ticket.customerId;
    head.assignedTo = ticket.assignedTo;
    head.version = ticket.version;
    store(m_tickets, generation, ticketKey(ticket.id, withInternalNotes),
          Entry {std::move(head), body, now, nextBreachFlagChange(ticket.sla)});
}

std::optional<QByteArray> TicketReadCache::list(const QString &key, const QDateTime &now) const
{
    if (!enabled())
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    const Entry *entry = lookup(m_lists, key, now);
    if (!entry)
        return std::nullopt;
    return entry->body;
}

void TicketReadCache::storeList(quint64 generation, const QString &key, const QList<Ticket> &items,
                                const QByteArray &body, const QDateTime &now)
{
    if (!enabled())
        return;
    QDateTime until;
    for (const Ticket &t : items) {
        const QDateTime next = nextBreachFlagChange(t.sla);
        if (next.isValid() && (!until.isValid() || next < until))
            until = next;
    }
    store(m_lists, generation, key, Entry {Ticket(), body, now, until});
}

void TicketReadCache::store(QCache<QString, Entry> &cache, quint64 generation, const QString &key,
                            Entry entry)
{
    QMutexLocker lock(&m_mutex);
    if (generation != m_generation)
        return; // a change committed while this answer was read: it may predate it
    const qsizetype cost = costKb(entry.body);
    cache.insert(key, new Entry(std::move(entry)), cost);
}

void TicketReadCache::dropTicket(const QString &id)
{
    m_tickets.remove(ticketKey(id, true));
    m_tickets.remove(ticketKey(id, false));
}

void TicketReadCache::invalidate(const Change &change)
{
    if (!enabled())
        return;
    // Only tickets, their messages and attachments are rendered into these answers (users,
    // bookings and notifications appear by id only).
    QMutexLocker lock(&m_mutex);
    if (change.entity == u"ticket") {
        dropTicket(change.entityId);
    } else if (change.entity == u"message") {
        dropTicket(dataOf(change).value(u"ticketId").toString());
    } else if (change.entity == u"attachment") {
        m_tickets.clear();
    } else {
        return;
    }
    m_lists.clear();
    ++m_generation;
}

void TicketReadCache::clear()
{
    QMutexLocker lock(&m_mutex);
    m_tickets.clear();
    m_lists.clear();
    ++m_generation;
}

qint64 TicketReadCache::hits() const
{
    QMutexLocker lock(&m_mutex);
    return m_hits;
}

qint64 TicketReadCache::misses() const
{
    QMutexLocker lock(&m_mutex);
    return m_misses;
}

} // namespace sb::server
