#pragma once

#include <domain/enums.h>

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

namespace sb::server {

// Who is viewing and who is typing in a ticket or a conversation, for collision detection in
// the console and "is typing" in a chat. Live state of the connected sockets only: it is not
// in the change log and carries no seq. A typing entry lasts typingTtlMs unless refreshed
// (real time, not the business clock: it is about people at keyboards now).
class Presence : public QObject
{
    Q_OBJECT

public:
    enum class Kind { Ticket, Conversation };
    struct Room
    {
        Kind kind = Kind::Ticket;
        QString id;
        bool operator==(const Room &) const = default;
    };
    struct Person
    {
        QString id;
        QString name;
        Role role = Role::Support;
    };
    using Member = const void *; // one connection; a person may hold several

    explicit Presence(int typingTtlMs = 5000, QObject *parent = nullptr);

    // Each answers whether the room's presence frame changed (then the caller broadcasts it).
    bool view(const Room &room, Member member, const Person &person);
    bool stopViewing(const Room &room, Member member); // also ends its typing there
    bool typing(const Room &room, Member member, const Person &person);
    bool stopTyping(const Room &room, Member member);
    // A connection went away: the rooms whose frame changed.
    QList<Room> leaveAll(Member member);

    // {"type":"presence","ticketId"|"conversationId":id,"viewers":[{id,name,role}],
    //  "typing":[{id,name,role}]}; each person once, whatever number of connections it holds.
    QJsonObject frame(const Room &room) const;
    QList<Room> rooms(Kind kind) const; // the rooms someone is in
    bool isIn(const Room &room, Member member) const;
    qsizetype roomCount(Member member) const { return m_memberRooms.value(member).size(); }

signals:
    // Typing entries ran out in this room without a refresh; its frame changed.
    void expired(const sb::server::Presence::Room &room);

private:
    struct Entry
    {
        Person person;
        bool viewing = false;
        qint64 typingUntilMs = 0; // 0: not typing
    };
    using Members = QHash<Member, Entry>;

    // Runs change on the room's entry of member, drops empty entries and rooms, and answers
    // whether the frame changed.
    template<typename Change>
    bool update(const Room &room, Member member, const Person *person, Change change);
    void scheduleExpiry();
    void expire();

    const int m_typingTtlMs;
    QElapsedTimer m_now;
    QTimer m_expiry;
    QHash<Room, Members> m_rooms;
    QHash<Member, QSet<Room>> m_memberRooms;
};

size_t qHash(const Presence::Room &room, size_t seed = 0);

} // namespace sb::server
