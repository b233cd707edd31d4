#include "presence.h"

#include <domain/enumcodec.h>

#include <QJsonArray>

#include <algorithm>

namespace sb::server {

size_t qHash(const Presence::Room &room, size_t seed)
{
    return qHashMulti(seed, int(room.kind), room.id);
}

Presence::Presence(int typingTtlMs, QObject *parent)
    : QObject(parent)
    , m_typingTtlMs(typingTtlMs)
{
    m_now.start();
    m_expiry.setSingleShot(true);
    m_expiry.setTimerType(Qt::PreciseTimer);
    connect(&m_expiry, &QTimer::timeout, this, &Presence::expire);
}

template<typename Change>
bool Presence::update(const Room &room, Member member, const Person *person, Change change)
{
    const QJsonObject before = frame(room);
    auto roomIt = m_rooms.find(room);
    if (roomIt == m_rooms.end()) {
        if (!person)
            return false;
        roomIt = m_rooms.insert(room, {});
    }
    Members &members = *roomIt;
    auto it = members.find(member);
    if (it == members.end()) {
        if (!person)
            return false;
        it = members.insert(member, Entry {*person});
        m_memberRooms[member].insert(room);
    }
    change(*it);
    if (!it->viewing && it->typingUntilMs == 0) {
        members.erase(it);
        if (auto rooms = m_memberRooms.find(member); rooms != m_memberRooms.end()) {
            rooms->remove(room);
            if (rooms->isEmpty())
                m_memberRooms.erase(rooms);
        }
        if (members.isEmpty())
            m_rooms.remove(room);
    }
    return frame(room) != before;
}

bool Presence::view(const Room &room, Member member, const Person &person)
{
    return update(room, member, &person, [](Entry &e) { e.viewing = true; });
}

bool Presence::stopViewing(const Room &room, Member member)
{
    return update(room, member, nullptr, [](Entry &e) {
        e.viewing = false;
        e.typingUntilMs = 0;
    });
}

bool Presence::typing(const Room &room, Member member, const Person &person)
{
    const qint64 until = m_now.elapsed() + m_typingTtlMs;
    const bool changed
        = update(room, member, &person, [until](Entry &e) { e.typingUntilMs = until; });
    scheduleExpiry();
    return changed;
}

bool Presence::stopTyping(const Room &room, Member member)
{
    return update(room, member, nullptr, [](Entry &e) { e.typingUntilMs = 0; });
}

QList<Presence::Room> Presence::leaveAll(Member member)
{
    QList<Room> changed;
    const QSet<Room> rooms = m_memberRooms.value(member);
    for (const Room &room : rooms) {
        if (update(room, member, nullptr, [](Entry &e) { e = Entry {e.person}; }))
            changed << room;
    }
    return changed;
}

QJsonObject Presence::frame(const Room &room) const
{
    QList<const Person *> viewers;
    QList<const Person *> typists;
    const auto addOnce = [](QList<const Person *> &list, const Person &p) {
        if (std::none_of(list.cbegin(), list.cend(),
                         [&](const Person *q) { return q->id == p.id; }))
            list << &p;
    };
    const auto found = m_rooms.constFind(room);
    if (found != m_rooms.cend()) {
        for (const Entry &e : *found) {
            if (e.viewing)
                addOnce(viewers, e.person);
            // Typing until expire() ends it: the timer, not this read, decides the moment.
            if (e.typingUntilMs != 0)
                addOnce(typists, e.person);
        }
    }
    // A stable order, so that equal states give equal frames.
    const auto toArray = [](QList<const Person *> &people) {
        std::sort(people.begin(), people.end(), [](const Person *a, const Person *b) {
            return std::tie(a->name, a->id) < std::tie(b->name, b->id);
        });
        QJsonArray array;
        for (const Person *p : std::as_const(people)) {
            array.append(QJsonObject {{QStringLiteral("id"), p->id},
                                      {QStringLiteral("name"), p->name},
                                      {QStringLiteral("role"), toString(p->role)}});
        }
        return array;
    };
    return {
        {QStringLiteral("type"), QStringLiteral("presence")},
        {room.kind == Kind::Ticket ? QStringLiteral("ticketId") : QStringLiteral("conversationId"),
         room.id},
        {QStringLiteral("viewers"), toArray(viewers)},
        {QStringLiteral("typing"), toArray(typists)}};
}

QList<Presence::Room> Presence::rooms(Kind kind) const
{
    QList<Room> out;
    for (auto it = m_rooms.cbegin(); it != m_rooms.cend(); ++it) {
        if (it.key().kind == kind)
            out << it.key();
    }
    return out;
}

bool Presence::isIn(const Room &room, Member member) const
{
    const auto found = m_rooms.constFind(room);
    return found != m_rooms.cend() && found->contains(member);
}

void Presence::scheduleExpiry()
{
    qint64 earliest = 0;
    for (const Members &members : std::as_const(m_rooms)) {
        for (const Entry &e : members) {
            if (e.typingUntilMs != 0 && (earliest == 0 || e.typingUntilMs < earliest))
                earliest = e.typingUntilMs;
        }
    }
    if (earliest == 0)
        m_expiry.stop();
    else
        m_expiry.start(int(std::max<qint64>(0, earliest - m_now.elapsed())));
}

void Presence::expire()
{
    const qint64 now = m_now.elapsed();
    QList<std::pair<Room, Member>> due;
    for (auto room = m_rooms.cbegin(); room != m_rooms.cend(); ++room) {
        for (auto e = room->cbegin(); e != room->cend(); ++e) {
            if (e->typingUntilMs != 0 && e->typingUntilMs <= now)
                due.append({room.key(), e.key()});
        }
    }
    QList<Room> changed;
    for (const auto &[room, member] : std::as_const(due)) {
        if (stopTyping(room, member) && !changed.contains(room))
            changed << room;
    }
    scheduleExpiry();
    for (const Room &room : std::as_const(changed))
        emit expired(room);
}

} // namespace sb::server
