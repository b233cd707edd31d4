#pragma once

// Steps the ticket API tests share: open a ticket over HTTP, drive it through the workflow,
// read fields of the answers. Every step is a real HTTP call; a failing step answers its reply,
// so that the test's QCOMPARE on the status shows which one failed.
#include <support/testserver.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace sb::test {

inline QString ticketPath(const QString &id, const QString &tail = {})
{
    return QStringLiteral("/support/tickets/") + id + tail;
}

inline QJsonObject ticketBody(const QString &priority = {}, const QString &subject = {})
{
    QJsonObject body {{QStringLiteral("subject"),
                       subject.isEmpty() ? QStringLiteral("Cannot pay for my booking") : subject},
                      {QStringLiteral("description"), QStringLiteral("The payment page fails.")},
                      {QStringLiteral("category"), QStringLiteral("payment")}};
    if (!priority.isEmpty())
        body.insert(QStringLiteral("priority"), priority);
    return body;
}

inline TestClient::Reply openTicket(TestClient &customer, const QString &priority = {},
                                    const QString &subject = {})
{
    return customer.post(QStringLiteral("/support/tickets"), ticketBody(priority, subject));
}

inline TestClient::Reply putStatus(TestClient &agent, const QString &id, const QString &status)
{
    return agent.put(ticketPath(id, QStringLiteral("/status")),
                     {{QStringLiteral("status"), status}});
}

// Moves an open ticket to `status` by the shortest path of the workflow (assign, then status
// moves), as `agent` (who is also the assignee). Answers the last reply.
inline TestClient::Reply driveTo(TestClient &agent, const QString &agentId, const QString &id,
                                 const QString &status)
{
    static const QHash<QString, QStringList> paths = {
        {QStringLiteral("open"), {}},
        {QStringLiteral("assigned"), {QStringLiteral("assign")}},
        {QStringLiteral("in_progress"), {QStringLiteral("assign"), QStringLiteral("in_progress")}},
        {QStringLiteral("pending"),
         {QStringLiteral("assign"), QStringLiteral("in_progress"), QStringLiteral("pending")}},
        {QStringLiteral("resolved"),
         {QStringLiteral("assign"), QStringLiteral("in_progress"), QStringLiteral("resolved")}},
        {QStringLiteral("closed"),
         {QStringLiteral("assign"), QStringLiteral("in_progress"), QStringLiteral("resolved"),
          QStringLiteral("closed")}},
    };
    TestClient::Reply last = agent.get(ticketPath(id));
    for (const QString &step : paths.value(status)) {
        last = step == u"assign" ? agent.put(ticketPath(id, QStringLiteral("/assign")),
                                             {{QStringLiteral("agentId"), agentId}})
                                 : putStatus(agent, id, step);
        if (last.status != 200)
            return last;
    }
    return last;
}

inline QDateTime timeOf(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

inline QJsonObject slaOf(const TestClient::Reply &reply)
{
    return reply.json.value(u"sla").toObject();
}

inline QStringList idsOf(const QJsonArray &items)
{
    QStringList ids;
    for (const QJsonValue &item : items)
        ids << item.toObject().value(u"id").toString();
    return ids;
}

inline QStringList stringsOf(const QJsonArray &values)
{
    QStringList out;
    for (const QJsonValue &v : values)
        out << v.toString();
    return out;
}

} // namespace sb::test
