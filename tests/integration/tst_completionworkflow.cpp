// The job-completion workflow of spec §2 and §4 over real HTTP, on SQLite and PostgreSQL, driven
// by the fake clock: the technician's request, the customer's answer, support's follow-up, the
// notifications of every stage (the scheduler's steps taken where a stage needs them).
#include <support/bookingflow.h>
#include <support/testserver.h>

#include <domain/timeformat.h>

#include <QJsonArray>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_CompletionWorkflow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup();

    // spec §6 "Job Completion Workflow"
    void technicianCanRequestCompletion();
    void escalationHoursAcceptFractions();
    void customerReceivesNotification();
    void customerCanApproveCompletion();
    void customerCanRejectWithIssues();
    void rejectionCreatesSupportTicket();
    void technicianCanRequestAgainAfterRejection();
    void secondAnswerIs409();
    void customerAnswersJustBeforeTheDeadline();
    void customerAnswerWhileEscalatedIsAccepted();
    void pendingCompletionListsUnsettledRequestsPastDeadline();
    void supportCanInitiateFollowUp();
    void initiateFollowUpRefusals();
    void supportCanLogContactAttempts();
    void supportCanCompleteJobManually_data();
    void supportCanCompleteJobManually();
    void unreachableNeedsMinContactAttempts();
    void settledFollowUpRefusesMore();
    // spec §6 "Integration"
    void notificationsSentAtAllStages();

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<BookingFlow> m_flow;
};

void tst_CompletionWorkflow::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_flow = std::make_unique<BookingFlow>(*m_server);
}

void tst_CompletionWorkflow::cleanup()
{
    m_flow.reset();
    m_server.reset();
}

void tst_CompletionWorkflow::technicianCanRequestCompletion()
{
    const QString id = BookingFlow::id(m_flow->inProgress());
    m_server->clock().advance(60);
    const QDateTime now = m_server->clock().now();
    const auto r = m_flow->asTechnician->post(u"/bookings/" + id + u"/request-completion");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("completed"));
    QCOMPARE(r.header("ETag"), QByteArray("\"4\""));
    const QJsonObject cr = BookingFlow::completionOf(r.json);
    QCOMPARE(cr.value(u"requestedBy").toString(), m_flow->technician.user.id);
    QCOMPARE(cr.value(u"requestedAt").toString(), toIsoUtc(now));
    QCOMPARE(cr.value(u"status").toString(), QStringLiteral("pending"));
    QCOMPARE(cr.value(u"escalationDeadline").toString(), toIsoUtc(now.addSecs(48 * 3600)));
    QCOMPARE(cr.value(u"autoEscalated").toBool(true), false);
    QVERIFY(cr.value(u"customerResponse").toObject().value(u"approved").isNull());
    const QJsonObject fu = cr.value(u"supportFollowUp").toObject();
    QCOMPARE(fu.value(u"initiated").toBool(true), false);
    QCOMPARE(fu.value(u"contactAttempts").toArray().size(), 0);
    QVERIFY(fu.value(u"outcome").isNull());
    // The spec's sub-document, no more (reminderSent stays on the server).
    QStringList keys = cr.keys();
    keys.sort();
    QCOMPARE(keys,
             QStringList({"autoEscalated", "customerResponse", "escalationDeadline", "requestedAt",
                          "requestedBy", "status", "supportFollowUp"}));
}

void tst_CompletionWorkflow::escalationHoursAcceptFractions()
{
    m_flow.reset();
    QString error;
    m_server = TestServer::start(&error, [](server::ServerSettings &s) {
        s.completionEscalationHours = 0.01; // 36 s
    });
    QVERIFY2(m_server, qPrintable(error));
    m_flow = std::make_unique<BookingFlow>(*m_server);
    const QDateTime now = m_server->clock().now();
    const QJsonObject b = m_flow->completed();
    QCOMPARE(BookingFlow::completionOf(b).value(u"escalationDeadline").toString(),
             toIsoUtc(now.addSecs(36)));
}

void tst_CompletionWorkflow::customerReceivesNotification()
{
    const QString id = BookingFlow::id(m_flow->completed());
    const auto r = m_flow->asCustomer->get(QStringLiteral("/notifications"));
    QCOMPARE(r.status, 200);
    const QJsonArray items = r.json.value(u"items").toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject n = items.at(0).toObject();
    QCOMPARE(n.value(u"type").toString(), QStringLiteral("completion_requested"));
    QCOMPARE(n.value(u"entity").toString(), QStringLiteral("booking"));
    QCOMPARE(n.value(u"entityId").toString(), id);
    QCOMPARE(n.value(u"read").toBool(true), false);
    QVERIFY(n.value(u"body").toString().contains(u"Boiler repair"));
    // Nobody else is told about it.
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, id), QStringList());
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asAgent, id), QStringList());
}

void tst_CompletionWorkflow::customerCanApproveCompletion()
{
    const QString id = BookingFlow::id(m_flow->completed());
    m_server->clock().advance(3600);
    const auto r
        = m_flow->asCustomer->post(u"/bookings/" + id + u"/respond-completion",
                                   {{u"approved"_qs, true}, {u"feedback"_qs, u"Great work"_qs}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("verified"));
    const QJsonObject cr = BookingFlow::completionOf(r.json);
    QCOMPARE(cr.value(u"status").toString(), QStringLiteral("approved"));
    const QJsonObject answer = cr.value(u"customerResponse").toObject();
    QCOMPARE(answer.value(u"approved").toBool(false), true);
    QCOMPARE(answer.value(u"feedback").toString(), QStringLiteral("Great work"));
    QCOMPARE(answer.value(u"respondedAt").toString(), toIsoUtc(m_server->clock().now()));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, id),
             QStringList {u"completion_approved"_qs});
    QVERIFY(
        BookingFlow::notificationTypes(*m_flow->asCustomer, id).contains(u"review_requested"_qs));
    QVERIFY(m_flow->ticketsOf(id).isEmpty());
}

void tst_CompletionWorkflow::customerCanRejectWithIssues()
{
    const QString id = BookingFlow::id(m_flow->completed());
    const auto r = m_flow->asCustomer->post(
        u"/bookings/" + id + u"/respond-completion",
        {{u"approved"_qs, false}, {u"issues"_qs, u"The boiler still leaks"_qs}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("in_progress"));
    const QJsonObject cr = BookingFlow::completionOf(r.json);
    QCOMPARE(cr.value(u"status").toString(), QStringLiteral("rejected"));
    const QJsonObject answer = cr.value(u"customerResponse").toObject();
    QCOMPARE(answer.value(u"approved").toBool(true), false);
    QCOMPARE(answer.value(u"issues").toString(), QStringLiteral("The boiler still leaks"));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, id),
             QStringList {u"completion_rejected"_qs});
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asAgent, id),
             QStringList {u"completion_rejected"_qs});
    QVERIFY(
        !BookingFlow::notificationTypes(*m_flow->asCustomer, id).contains(u"review_requested"_qs));
}

void tst_CompletionWorkflow::rejectionCreatesSupportTicket()
{
    const QString id = BookingFlow::id(m_flow->rejected());
    const QJsonArray tickets = m_flow->ticketsOf(id);
    QCOMPARE(tickets.size(), 1);
    const QJsonObject t = tickets.at(0).toObject();
    QCOMPARE(t.value(u"priority").toString(), QStringLiteral("high"));
    QCOMPARE(t.value(u"category").toString(), QStringLiteral("booking"));
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("open"));
    QCOMPARE(t.value(u"relatedBooking").toString(), id);
    QCOMPARE(t.value(u"customerId").toString(), m_flow->customer.user.id);
    QCOMPARE(t.value(u"subject").toString(), QStringLiteral("Completion disputed: Boiler repair"));
    QCOMPARE(t.value(u"description").toString(), QStringLiteral("Still leaking"));
    QVERIFY(t.value(u"ticketNumber").toString().startsWith(u"TKT-"));
    QVERIFY(!t.value(u"sla").toObject().value(u"firstResponseDueAt").isNull());
    // The customer sees its ticket too; another customer does not.
    const auto mine = m_flow->asCustomer->get(u"/support/tickets/" + t.value(u"id").toString());
    QCOMPARE(mine.status, 200);
    BookingFlow other(*m_server);
    QCOMPARE(other.asCustomer->get(u"/support/tickets/" + t.value(u"id").toString()).status, 404);
}

void tst_CompletionWorkflow::technicianCanRequestAgainAfterRejection()
{
    const QString id = BookingFlow::id(m_flow->rejected());
    m_server->clock().advance(7200);
    const QJsonObject again
        = m_flow->step(*m_flow->asTechnician, u"/bookings/" + id + u"/request-completion");
    QCOMPARE(again.value(u"status").toString(), QStringLiteral("completed"));
    const QJsonObject cr = BookingFlow::completionOf(again);
    QCOMPARE(cr.value(u"status").toString(), QStringLiteral("pending"));
    QVERIFY(cr.value(u"customerResponse").toObject().value(u"approved").isNull());
    QCOMPARE(cr.value(u"escalationDeadline").toString(),
             toIsoUtc(m_server->clock().now().addSecs(48 * 3600)));
}

void tst_CompletionWorkflow::secondAnswerIs409()
{
    const QString id = BookingFlow::id(m_flow->verified());
    const auto r = m_flow->asCustomer->post(u"/bookings/" + id + u"/respond-completion",
                                            {{u"approved"_qs, false}, {u"issues"_qs, u"x"_qs}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_transition"));
    QCOMPARE(m_flow->get(id).value(u"status").toString(), QStringLiteral("verified"));
    QVERIFY(m_flow->ticketsOf(id).isEmpty());

    const QString fresh = BookingFlow::id(m_flow->inProgress());
    const auto none = m_flow->asCustomer->post(u"/bookings/" + fresh + u"/respond-completion",
                                               {{u"approved"_qs, true}});
    QCOMPARE(none.status, 409);
    QCOMPARE(none.errorCode(), QStringLiteral("no_completion_request"));
}

void tst_CompletionWorkflow::customerAnswersJustBeforeTheDeadline()
{
    const QJsonObject b = m_flow->completed();
    const QString id = BookingFlow::id(b);
    m_flow->moveToDeadline(b, -1000);
    QVERIFY(!m_flow->pendingIds().contains(id));
    const auto r = m_flow->asCustomer->post(u"/bookings/" + id + u"/respond-completion",
                                            {{u"approved"_qs, true}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("verified"));
    m_flow->moveToDeadline(b, 3600 * 1000);
    QVERIFY(!m_flow->pendingIds().contains(id));
    // The job finds nothing left to escalate.
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 0);
    QCOMPARE(BookingFlow::completionOf(m_flow->get(id)).value(u"status").toString(),
             QStringLiteral("approved"));
}

// Decision: after the deadline the customer may still answer, until support records an outcome;
// the answer settles the request and the follow-up is no longer pending.
void tst_CompletionWorkflow::customerAnswerWhileEscalatedIsAccepted()
{
    const QString id = BookingFlow::id(m_flow->followedUp());
    QVERIFY(m_flow->pendingIds().contains(id));
    const auto r = m_flow->asCustomer->post(u"/bookings/" + id + u"/respond-completion",
                                            {{u"approved"_qs, true}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("verified"));
    QCOMPARE(BookingFlow::completionOf(r.json).value(u"status").toString(),
             QStringLiteral("approved"));
    QVERIFY(!m_flow->pendingIds().contains(id));
    // The agent following it up hears of it.
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asAgent, id),
             QStringList {u"completion_approved"_qs});
    const auto more = m_flow->asAgent->post(u"/bookings/" + id + u"/log-contact",
                                            {{u"method"_qs, u"call"_qs}, {u"reached"_qs, true}});
    QCOMPARE(more.status, 409);
    QCOMPARE(more.errorCode(), QStringLiteral("followup_not_open"));
}

void tst_CompletionWorkflow::pendingCompletionListsUnsettledRequestsPastDeadline()
{
    const QString early = BookingFlow::id(m_flow->completed());
    m_server->clock().advance(3600);
    const QString late = BookingFlow::id(m_flow->completed());
    const QString followed = BookingFlow::id(m_flow->completed());
    const QString settled = BookingFlow::id(m_flow->completed());
    m_server->clock().advance(48 * 3600); // early, late, followed and settled are now overdue
    m_flow->step(*m_flow->asAgent, u"/bookings/" + followed + u"/initiate-followup");
    m_flow->step(*m_flow->asAgent, u"/bookings/" + settled + u"/initiate-followup");
    m_flow->step(*m_flow->asAgent, u"/bookings/" + settled + u"/complete-by-support",
                 {{u"outcome"_qs, u"customer_confirmed"_qs}});
    m_flow->step(*m_flow->asCustomer, u"/bookings/" + early + u"/respond-completion",
                 {{u"approved"_qs, true}});
    const QString notDue = BookingFlow::id(m_flow->completed());

    QStringList ids = m_flow->pendingIds();
    ids.sort();
    QStringList expected {late, followed};
    expected.sort();
    QCOMPARE(ids, expected);
    Q_UNUSED(notDue)

    const auto paged
        = m_flow->asAgent->get(QStringLiteral("/bookings/pending-completion?limit=1&offset=1"));
    QCOMPARE(paged.status, 200);
    QCOMPARE(paged.json.value(u"total").toInt(), 2);
    QCOMPARE(paged.json.value(u"items").toArray().size(), 1);
    QCOMPARE(m_flow->asCustomer->get(QStringLiteral("/bookings/pending-completion")).status, 403);
}

void tst_CompletionWorkflow::supportCanInitiateFollowUp()
{
    const QString id = BookingFlow::id(m_flow->pastDeadline());
    const QDateTime first = m_server->clock().now();
    const auto r = m_flow->asAgent->post(u"/bookings/" + id + u"/initiate-followup");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("completed"));
    QCOMPARE(r.header("ETag"), QByteArray("\"5\""));
    const QJsonObject cr = BookingFlow::completionOf(r.json);
    QCOMPARE(cr.value(u"status").toString(), QStringLiteral("escalated"));
    QCOMPARE(cr.value(u"autoEscalated").toBool(true), false);
    const QJsonObject fu = cr.value(u"supportFollowUp").toObject();
    QCOMPARE(fu.value(u"initiated").toBool(), true);
    QCOMPARE(fu.value(u"initiatedAt").toString(), toIsoUtc(first));
    QCOMPARE(fu.value(u"supportAgent").toString(), m_flow->agent.user.id);

    // Another agent takes it over; the follow-up keeps its start.
    m_server->clock().advance(600);
    auto admin = m_server->account(Role::Admin);
    const auto taken = m_server->client(admin)->post(u"/bookings/" + id + u"/initiate-followup");
    QCOMPARE(taken.status, 200);
    const QJsonObject fu2 = BookingFlow::followUpOf(taken.json);
    QCOMPARE(fu2.value(u"supportAgent").toString(), admin.user.id);
    QCOMPARE(fu2.value(u"initiatedAt").toString(), toIsoUtc(first));
}

void tst_CompletionWorkflow::initiateFollowUpRefusals()
{
    const QJsonObject b = m_flow->completed();
    const QString id = BookingFlow::id(b);
    auto r = m_flow->asAgent->post(u"/bookings/" + id + u"/initiate-followup");
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("completion_not_due"));
    QCOMPARE(
        r.json.value(u"error").toObject().value(u"details").toObject().value(u"escalationDeadline"),
        BookingFlow::completionOf(b).value(u"escalationDeadline"));

    const QString verified = BookingFlow::id(m_flow->verified());
    m_server->clock().advance(49 * 3600);
    r = m_flow->asAgent->post(u"/bookings/" + verified + u"/initiate-followup");
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_transition"));

    const QString none = BookingFlow::id(m_flow->inProgress());
    r = m_flow->asAgent->post(u"/bookings/" + none + u"/initiate-followup");
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("no_completion_request"));
    QCOMPARE(m_flow->asAgent->post(u"/bookings/nope/initiate-followup"_qs).status, 404);
}

void tst_CompletionWorkflow::supportCanLogContactAttempts()
{
    const QString early = BookingFlow::id(m_flow->completed());
    auto r = m_flow->asAgent->post(u"/bookings/" + early + u"/log-contact",
                                   {{u"method"_qs, u"call"_qs}, {u"reached"_qs, false}});
    QCOMPARE(r.status, 409); // no follow-up yet
    QCOMPARE(r.errorCode(), QStringLiteral("followup_not_open"));

    const QString id = BookingFlow::id(m_flow->followedUp());
    const QStringList methods {u"call"_qs, u"sms"_qs, u"email"_qs, u"in_app"_qs};
    QList<QDateTime> times;
    for (const QString &method : methods) {
        m_server->clock().advance(300);
        times << m_server->clock().now();
        r = m_flow->asAgent->post(u"/bookings/" + id + u"/log-contact",
                                  {{u"method"_qs, method},
                                   {u"reached"_qs, method == u"in_app"},
                                   {u"notes"_qs, QString(u"note " + method)}});
        QCOMPARE(r.status, 200);
    }
    const QJsonArray attempts = BookingFlow::followUpOf(r.json).value(u"contactAttempts").toArray();
    QCOMPARE(attempts.size(), 4);
    for (qsizetype i = 0; i < attempts.size(); ++i) {
        const QJsonObject a = attempts.at(i).toObject();
        QCOMPARE(a.value(u"method").toString(), methods.at(i));
        QCOMPARE(a.value(u"reached").toBool(), methods.at(i) == u"in_app");
        QCOMPARE(a.value(u"notes").toString(), u"note " + methods.at(i));
        QCOMPARE(a.value(u"attemptedAt").toString(), toIsoUtc(times.at(i)));
    }
    QCOMPARE(BookingFlow::followUpOf(m_flow->get(id)).value(u"contactAttempts").toArray(),
             attempts);
}

void tst_CompletionWorkflow::supportCanCompleteJobManually_data()
{
    QTest::addColumn<QString>("outcome");
    QTest::addColumn<QString>("bookingStatus");
    QTest::addColumn<QString>("completionStatus");
    QTest::newRow("customer_confirmed") << "customer_confirmed"
                                        << "verified"
                                        << "approved";
    QTest::newRow("customer_disputed") << "customer_disputed"
                                       << "disputed"
                                       << "rejected";
    QTest::newRow("unreachable") << "unreachable"
                                 << "verified"
                                 << "auto_approved";
    QTest::newRow("auto_completed") << "auto_completed"
                                    << "verified"
                                    << "auto_approved";
}

void tst_CompletionWorkflow::supportCanCompleteJobManually()
{
    QFETCH(QString, outcome);
    QFETCH(QString, bookingStatus);
    QFETCH(QString, completionStatus);

    const QString id = BookingFlow::id(m_flow->followedUp());
    for (int i = 0; i < 3; ++i)
        m_flow->logContact(id, false);
    m_server->clock().advance(60);
    const auto r = m_flow->asAgent->post(
        u"/bookings/" + id + u"/complete-by-support",
        {{u"outcome"_qs, outcome}, {u"notes"_qs, u"Spoke with the customer"_qs}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), bookingStatus);
    QCOMPARE(BookingFlow::completionOf(r.json).value(u"status").toString(), completionStatus);
    const QJsonObject fu = BookingFlow::followUpOf(r.json);
    QCOMPARE(fu.value(u"outcome").toString(), outcome);
    QCOMPARE(fu.value(u"completedBy").toString(), m_flow->agent.user.id);
    QCOMPARE(fu.value(u"completedAt").toString(), toIsoUtc(m_server->clock().now()));
    QCOMPARE(fu.value(u"notes").toString(), QStringLiteral("Spoke with the customer"));
    QVERIFY(!m_flow->pendingIds().contains(id));

    const QStringList toCustomer = BookingFlow::notificationTypes(*m_flow->asCustomer, id);
    QVERIFY(toCustomer.contains(u"followup_outcome"_qs));
    QCOMPARE(toCustomer.contains(u"review_requested"_qs), bookingStatus == u"verified");
    QVERIFY(
        BookingFlow::notificationTypes(*m_flow->asTechnician, id).contains(u"followup_outcome"_qs));
}

void tst_CompletionWorkflow::unreachableNeedsMinContactAttempts()
{
    const QString id = BookingFlow::id(m_flow->followedUp());
    m_flow->logContact(id, true); // reached: does not count
    m_flow->logContact(id, false);
    m_flow->logContact(id, false);
    const QString path = u"/bookings/" + id + u"/complete-by-support";
    auto r = m_flow->asAgent->post(path, {{u"outcome"_qs, u"unreachable"_qs}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("insufficient_contact_attempts"));
    const QJsonObject details = r.json.value(u"error").toObject().value(u"details").toObject();
    QCOMPARE(details.value(u"required").toInt(), 3);
    QCOMPARE(details.value(u"failed").toInt(), 2);
    QCOMPARE(BookingFlow::completionOf(m_flow->get(id)).value(u"status").toString(),
             QStringLiteral("escalated"));

    m_flow->logContact(id, false);
    r = m_flow->asAgent->post(path, {{u"outcome"_qs, u"unreachable"_qs}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("verified"));
}

void tst_CompletionWorkflow::settledFollowUpRefusesMore()
{
    const QString id = BookingFlow::id(m_flow->followedUp());
    m_flow->step(*m_flow->asAgent, u"/bookings/" + id + u"/complete-by-support",
                 {{u"outcome"_qs, u"customer_disputed"_qs}});
    const QString base = u"/bookings/" + id;
    auto r = m_flow->asAgent->post(base + u"/complete-by-support",
                                   {{u"outcome"_qs, u"customer_confirmed"_qs}});
    QCOMPARE(r.status, 409);
    r = m_flow->asAgent->post(base + u"/log-contact",
                              {{u"method"_qs, u"sms"_qs}, {u"reached"_qs, false}});
    QCOMPARE(r.status, 409);
    r = m_flow->asAgent->post(base + u"/initiate-followup");
    QCOMPARE(r.status, 409);
    r = m_flow->asCustomer->post(base + u"/respond-completion", {{u"approved"_qs, true}});
    QCOMPARE(r.status, 409);
    QCOMPARE(m_flow->get(id).value(u"status").toString(), QStringLiteral("disputed"));
}

// Every stage of spec §4 tells the right people, once each.
void tst_CompletionWorkflow::notificationsSentAtAllStages()
{
    // Request, then rejection.
    const QJsonObject first = m_flow->completed();
    const QString id = BookingFlow::id(first);
    m_flow->step(*m_flow->asCustomer, u"/bookings/" + id + u"/respond-completion",
                 {{u"approved"_qs, false}, {u"issues"_qs, u"Leaks"_qs}});
    // Request again, the reminder, then no answer: the job escalates it.
    const QJsonObject second
        = m_flow->step(*m_flow->asTechnician, u"/bookings/" + id + u"/request-completion");
    m_flow->moveToDeadline(second, -12 * 3600 * 1000);
    QCOMPARE(m_flow->runJob(BookingFlow::kReminderJob), 1);
    m_flow->moveToDeadline(second, 1000);
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 1);
    // Support follows up and settles it.
    m_flow->step(*m_flow->asAgent, u"/bookings/" + id + u"/initiate-followup");
    m_flow->step(*m_flow->asAgent, u"/bookings/" + id + u"/complete-by-support",
                 {{u"outcome"_qs, u"customer_confirmed"_qs}});

    QCOMPARE(
        BookingFlow::notificationTypes(*m_flow->asCustomer, id),
        BookingFlow::sorted({"completion_requested", "completion_requested", "completion_reminder",
                             "completion_escalated", "followup_outcome", "review_requested"}));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, id),
             BookingFlow::sorted({"completion_rejected", "followup_outcome"}));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asAgent, id),
             BookingFlow::sorted({"completion_rejected", "completion_escalated"}));

    // Approval and auto-completion, on two more bookings.
    const QString approved = BookingFlow::id(m_flow->verified());
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asCustomer, approved),
             BookingFlow::sorted({"completion_requested", "review_requested"}));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, approved),
             BookingFlow::sorted({"completion_approved"}));

    const QString unreachable = BookingFlow::id(m_flow->pastDeadline());
    QCOMPARE(m_flow->runJob(BookingFlow::kEscalateJob), 1);
    for (int i = 0; i < 3; ++i)
        m_flow->logContact(unreachable, false);
    m_server->clock().advance(8 * 24 * 3600);
    QCOMPARE(m_flow->runJob(BookingFlow::kAutoCompleteJob), 1);
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asCustomer, unreachable),
             BookingFlow::sorted({"completion_requested", "completion_escalated", "auto_completed",
                                  "review_requested"}));
    QCOMPARE(BookingFlow::notificationTypes(*m_flow->asTechnician, unreachable),
             BookingFlow::sorted({"auto_completed"}));
}

QTEST_GUILESS_MAIN(tst_CompletionWorkflow)
#include "tst_completionworkflow.moc"
