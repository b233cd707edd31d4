#include "bookingflow.h"

#include <domain/timeformat.h>

#include <QTest>

namespace sb::test {

namespace {

QJsonObject failed(const QString &what, const TestClient::Reply &reply)
{
    QTest::qFail(qPrintable(QStringLiteral("%1 answered %2: %3")
                                .arg(what)
                                .arg(reply.status)
                                .arg(QString::fromUtf8(reply.body))),
                 __FILE__, __LINE__);
    return {};
}

} // namespace

BookingFlow::BookingFlow(TestServer &server)
    : server(server)
    , customer(server.account(Role::Customer))
    , technician(server.account(Role::Technician))
    , agent(server.account(Role::Support))
    , asCustomer(server.client(customer))
    , asTechnician(server.client(technician))
    , asAgent(server.client(agent))
{ }

QString BookingFlow::id(const QJsonObject &booking)
{
    return booking.value(u"id").toString();
}

QJsonObject BookingFlow::completionOf(const QJsonObject &booking)
{
    return booking.value(u"completionRequest").toObject();
}

QJsonObject BookingFlow::followUpOf(const QJsonObject &booking)
{
    return completionOf(booking).value(u"supportFollowUp").toObject();
}

QJsonObject BookingFlow::step(TestClient &client, const QString &path, const QJsonObject &body,
                              int status)
{
    const auto r = client.post(path, body);
    if (r.status != status)
        return failed(u"POST " + path, r);
    return r.json;
}

QJsonObject BookingFlow::created(const QString &service)
{
    const QDateTime when = server.clock().now().addDays(2);
    const auto r = asCustomer->post(QStringLiteral("/bookings"),
                                    {{QStringLiteral("service"), service},
                                     {QStringLiteral("description"), QStringLiteral("It leaks")},
                                     {QStringLiteral("address"), QStringLiteral("1 Main St")},
                                     {QStringLiteral("scheduledAt"), toIsoUtc(when)}});
    if (r.status != 201)
        return failed(QStringLiteral("POST /bookings"), r);
    return r.json;
}

QJsonObject BookingFlow::confirmed()
{
    const QString bookingId = id(created());
    if (bookingId.isEmpty())
        return {};
    const auto r = asAgent->put(u"/bookings/" + bookingId + u"/assign",
                                {{QStringLiteral("technicianId"), technician.user.id}});
    if (r.status != 200)
        return failed(QStringLiteral("PUT assign"), r);
    return r.json;
}

QJsonObject BookingFlow::inProgress()
{
    const QString bookingId = id(confirmed());
    if (bookingId.isEmpty())
        return {};
    return step(*asTechnician, u"/bookings/" + bookingId + u"/start");
}

QJsonObject BookingFlow::completed()
{
    const QString bookingId = id(inProgress());
    if (bookingId.isEmpty())
        return {};
    return step(*asTechnician, u"/bookings/" + bookingId + u"/request-completion");
}

void BookingFlow::moveToDeadline(const QJsonObject &booking, qint64 offsetMs)
{
    const auto deadline
        = parseIsoUtc(completionOf(booking).value(u"escalationDeadline").toString());
    if (!deadline) {
        QTest::qFail("the booking has no escalation deadline", __FILE__, __LINE__);
        return;
    }
    server.clock().set(deadline->addMSecs(offsetMs));
}

QJsonObject BookingFlow::pastDeadline()
{
    const QJsonObject booking = completed();
    if (booking.isEmpty())
        return {};
    moveToDeadline(booking, 1000);
    return booking;
}

QJsonObject BookingFlow::followedUp()
{
    const QString bookingId = id(pastDeadline());
    if (bookingId.isEmpty())
        return {};
    return step(*asAgent, u"/bookings/" + bookingId + u"/initiate-followup");
}

QJsonObject BookingFlow::verified()
{
    const QString bookingId = id(completed());
    if (bookingId.isEmpty())
        return {};
    return step(*asCustomer, u"/bookings/" + bookingId + u"/respond-completion",
                {{QStringLiteral("approved"), true},
                 {QStringLiteral("feedback"), QStringLiteral("Great work")}});
}

QJsonObject BookingFlow::rejected()
{
    const QString bookingId = id(completed());
    if (bookingId.isEmpty())
        return {};
    return step(*asCustomer, u"/bookings/" + bookingId + u"/respond-completion",
                {{QStringLiteral("approved"), false},
                 {QStringLiteral("issues"), QStringLiteral("Still leaking")}});
}

QJsonObject BookingFlow::logContact(const QString &bookingId, bool reached, const QString &method)
{
    return step(*asAgent, u"/bookings/" + bookingId + u"/log-contact",
                {{QStringLiteral("method"), method},
                 {QStringLiteral("reached"), reached},
                 {QStringLiteral("notes"), QStringLiteral("tried")}});
}

QJsonObject BookingFlow::get(const QString &bookingId)
{
    const auto r = asAgent->get(u"/bookings/" + bookingId);
    if (r.status != 200)
        return failed(QStringLiteral("GET /bookings/:id"), r);
    return r.json;
}

QJsonArray BookingFlow::ticketsOf(const QString &bookingId)
{
    const auto r = asAgent->get(u"/support/tickets?booking=" + bookingId);
    if (r.status != 200) {
        failed(QStringLiteral("GET /support/tickets"), r);
        return {};
    }
    return r.json.value(u"items").toArray();
}

QStringList BookingFlow::pendingIds()
{
    const auto r = asAgent->get(QStringLiteral("/bookings/pending-completion?limit=100"));
    if (r.status != 200) {
        failed(QStringLiteral("GET /bookings/pending-completion"), r);
        return {};
    }
    QStringList ids;
    for (const QJsonValue &v : r.json.value(u"items").toArray())
        ids << v.toObject().value(u"id").toString();
    return ids;
}

int BookingFlow::runJob(QLatin1StringView name)
{
    if (!asAdmin) {
        asAdmin = server.client(server.account(Role::Admin));
        // Off duty, so that the flow's agent is the one online to take escalated tickets.
        const auto off = asAdmin->put(QStringLiteral("/support/agents/me/availability"),
                                      {{QStringLiteral("status"), QStringLiteral("offline")}});
        if (off.status != 200)
            failed(QStringLiteral("PUT /support/agents/me/availability"), off);
    }
    const auto r = asAdmin->post(u"/admin/jobs/" + name + u"/run");
    if (r.status != 200) {
        failed(u"POST /admin/jobs/" + name + u"/run", r);
        return -1;
    }
    return r.json.value(u"changed").toInt(-1);
}

QStringList BookingFlow::sorted(QStringList types)
{
    types.sort();
    return types;
}

QStringList BookingFlow::notificationTypes(TestClient &client, const QString &bookingId)
{
    const auto r = client.get(QStringLiteral("/notifications?limit=100"));
    if (r.status != 200) {
        failed(QStringLiteral("GET /notifications"), r);
        return {};
    }
    QStringList types;
    const QJsonArray items = r.json.value(u"items").toArray();
    for (const QJsonValue &item : items) {
        const QJsonObject n = item.toObject();
        if (n.value(u"entityId").toString() == bookingId)
            types << n.value(u"type").toString();
    }
    return sorted(types);
}

} // namespace sb::test
