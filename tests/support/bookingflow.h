#pragma once

#include "testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <memory>

namespace sb::test {

// A customer, a technician and a support agent around bookings, and the steps that walk a
// booking through its lifecycle over HTTP, so that the booking tests read as the workflow.
// A step the server refuses fails the running test and answers an empty object.
class BookingFlow
{
public:
    explicit BookingFlow(TestServer &server);

    TestServer &server;
    TestServer::Account customer;
    TestServer::Account technician;
    TestServer::Account agent;
    std::unique_ptr<TestClient> asCustomer;
    std::unique_ptr<TestClient> asTechnician;
    std::unique_ptr<TestClient> asAgent;
    std::unique_ptr<TestClient> asAdmin; // made by the first runJob, offline

    // Each answers the booking as the last step left it.
    QJsonObject created(const QString &service = QStringLiteral("Boiler repair")); // pending
    QJsonObject confirmed(); // assigned to the technician
    QJsonObject inProgress(); // started
    QJsonObject completed(); // completion requested: a pending request
    QJsonObject pastDeadline(); // completed, the clock moved 1 s past its escalation deadline
    QJsonObject followedUp(); // past the deadline, the agent took the follow-up
    QJsonObject verified(); // completed, then approved by the customer
    QJsonObject rejected(); // completed, then rejected: back to in_progress

    // One action on a booking that must answer `status`.
    QJsonObject step(TestClient &client, const QString &path, const QJsonObject &body = {},
                     int status = 200);
    QJsonObject logContact(const QString &id, bool reached,
                           const QString &method = QStringLiteral("call"));
    // Moves the fake clock to `offsetMs` after the booking's escalation deadline (negative:
    // before it).
    void moveToDeadline(const QJsonObject &booking, qint64 offsetMs);

    // Reads, as the support agent.
    QJsonObject get(const QString &bookingId);
    QJsonArray ticketsOf(const QString &bookingId); // GET /support/tickets?booking=
    QStringList pendingIds(); // GET /bookings/pending-completion

    // Runs one of the scheduler's completion jobs now, at the clock's time (POST
    // /admin/jobs/:name/run, as an admin). Answers the number of bookings it changed (-1, and
    // the test fails, when refused).
    static constexpr QLatin1StringView kEscalateJob {"autoEscalateCompletionRequests"};
    static constexpr QLatin1StringView kReminderJob {"sendCompletionReminders"};
    static constexpr QLatin1StringView kAutoCompleteJob {"autoCompleteUnreachable"};
    int runJob(QLatin1StringView name);

    // The notification types a user holds about one booking (entityId), sorted by name: those
    // written in one transaction share a time, so their order is not theirs to compare.
    static QStringList notificationTypes(TestClient &client, const QString &bookingId);
    // Types listed in stage order, sorted as notificationTypes answers them.
    static QStringList sorted(QStringList types);
    static QString id(const QJsonObject &booking);
    static QJsonObject completionOf(const QJsonObject &booking);
    static QJsonObject followUpOf(const QJsonObject &booking);
};

} // namespace sb::test
