// The ticket workflow over real HTTP, on SQLite and PostgreSQL: every status move, close,
// escalate, assign, reopen by a customer reply, and closed being final.
#include "tickettestkit.h"

#include <store/userrepository.h>

#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_TicketWorkflow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { m_server.reset(); }

    void ticketStatusWorkflowWorksCorrectly_data();
    void ticketStatusWorkflowWorksCorrectly();
    void sameStatusIsANoOpThatStoresNoNote();
    void statusNotesBecomeAnInternalNote();
    void assignMakesAnOpenTicketAssigned();
    void assignRefusesWhoIsNoActiveAgent_data();
    void assignRefusesWhoIsNoActiveAgent();
    void closeResolvesThenCloses();
    void closeFromOtherStatusesListsTheAllowedMoves_data();
    void closeFromOtherStatusesListsTheAllowedMoves();
    void escalateReassignsAndKeepsPriority();
    void customerReplyReopensResolvedTicket();
    void repliesNeverChangeTheStatusOtherwise();
    void closedIsFinal();

private:
    QString newTicketAt(const QString &status);

    std::unique_ptr<TestServer> m_server;
    TestServer::Account m_customer;
    TestServer::Account m_agent;
    TestServer::Account m_agent2;
    std::unique_ptr<TestClient> m_customerClient;
    std::unique_ptr<TestClient> m_agentClient;
};

void tst_TicketWorkflow::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_customer = m_server->account(Role::Customer);
    m_agent = m_server->account(Role::Support);
    m_agent2 = m_server->account(Role::Admin);
    m_customerClient = m_server->client(m_customer);
    m_agentClient = m_server->client(m_agent);
}

// A fresh ticket of m_customer, moved to `status`; empty on failure (recorded).
QString tst_TicketWorkflow::newTicketAt(const QString &status)
{
    const auto created = openTicket(*m_customerClient);
    if (created.status != 201) {
        QTest::qFail("could not open a ticket", __FILE__, __LINE__);
        return {};
    }
    const QString id = created.json.value(u"id").toString();
    const auto moved = driveTo(*m_agentClient, m_agent.user.id, id, status);
    if (moved.status != 200 || moved.json.value(u"status").toString() != status) {
        QTest::qFail(qPrintable(u"could not move a ticket to " + status), __FILE__, __LINE__);
        return {};
    }
    return id;
}

void tst_TicketWorkflow::ticketStatusWorkflowWorksCorrectly_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("allowed"); // details.allowed of a 409
    // DESIGN.md: open -> assigned -> in_progress -> (pending <-> in_progress) -> resolved ->
    // closed, resolved -> in_progress (reopen); closed is final.
    const QHash<QString, QStringList> moves = {
        {QStringLiteral("open"), {QStringLiteral("assigned")}},
        {QStringLiteral("assigned"), {QStringLiteral("in_progress")}},
        {QStringLiteral("in_progress"), {QStringLiteral("pending"), QStringLiteral("resolved")}},
        {QStringLiteral("pending"), {QStringLiteral("in_progress")}},
        {QStringLiteral("resolved"), {QStringLiteral("closed"), QStringLiteral("in_progress")}},
        {QStringLiteral("closed"), {}},
    };
    const QStringList statuses
        = {QStringLiteral("open"),    QStringLiteral("assigned"), QStringLiteral("in_progress"),
           QStringLiteral("pending"), QStringLiteral("resolved"), QStringLiteral("closed")};
    for (const QString &from : statuses) {
        for (const QString &to : statuses) {
            const QByteArray name = (from + u" -> " + to).toUtf8();
            if (from == u"open" && to == u"assigned") {
                // `assigned` is reached by assigning: PUT status cannot invent an assignee.
                QTest::newRow(name.constData()) << from << to << 409 << QStringList();
            } else if (from == to || moves.value(from).contains(to)) {
                QTest::newRow(name.constData()) << from << to << 200 << QStringList();
            } else {
                QTest::newRow(name.constData()) << from << to << 409 << moves.value(from);
            }
        }
    }
}

void tst_TicketWorkflow::ticketStatusWorkflowWorksCorrectly()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(int, status);
    QFETCH(QStringList, allowed);
    const QString id = newTicketAt(from);
    QVERIFY(!id.isEmpty());
    const int before = m_agentClient->get(ticketPath(id)).json.value(u"version").toInt();

    const auto r = putStatus(*m_agentClient, id, to);
    QCOMPARE(r.status, status);
    const auto after = m_agentClient->get(ticketPath(id));
    if (status == 200) {
        QCOMPARE(r.json.value(u"status").toString(), to);
        // A move is a new version; asking for the status it has is a no-op.
        QCOMPARE(r.json.value(u"version").toInt(), from == to ? before : before + 1);
        QCOMPARE(r.header("ETag"),
                 '"' + QByteArray::number(r.json.value(u"version").toInt()) + '"');
        QCOMPARE(after.json.value(u"status").toString(), to);
    } else {
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_transition"));
        const QJsonObject details = r.json.value(u"error").toObject().value(u"details").toObject();
        QCOMPARE(stringsOf(details.value(u"allowed").toArray()), allowed);
        QCOMPARE(after.json.value(u"status").toString(), from);
        QCOMPARE(after.json.value(u"version").toInt(), before);
    }
}

void tst_TicketWorkflow::sameStatusIsANoOpThatStoresNoNote()
{
    const QString id = newTicketAt(QStringLiteral("in_progress"));
    const auto before = m_agentClient->get(ticketPath(id));
    const auto r = m_agentClient->put(ticketPath(id, QStringLiteral("/status")),
                                      {{QStringLiteral("status"), QStringLiteral("in_progress")},
                                       {QStringLiteral("notes"), QStringLiteral("still on it")}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"version").toInt(), before.json.value(u"version").toInt());
    QCOMPARE(r.json.value(u"updatedAt"), before.json.value(u"updatedAt"));
    QCOMPARE(r.json.value(u"messages").toArray().size(), 0);
}

void tst_TicketWorkflow::statusNotesBecomeAnInternalNote()
{
    const QString id = newTicketAt(QStringLiteral("in_progress"));
    const auto r
        = m_agentClient->put(ticketPath(id, QStringLiteral("/status")),
                             {{QStringLiteral("status"), QStringLiteral("pending")},
                              {QStringLiteral("notes"), QStringLiteral("Asked for the invoice")}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("pending"));
    const QJsonArray messages = r.json.value(u"messages").toArray();
    QCOMPARE(messages.size(), 1);
    const QJsonObject note = messages.first().toObject();
    QCOMPARE(note.value(u"message").toString(), QStringLiteral("Asked for the invoice"));
    QCOMPARE(note.value(u"isInternal").toBool(), true);
    QCOMPARE(note.value(u"senderId").toString(), m_agent.user.id);
    // A note is no reply: no first response, and the customer does not see it.
    QVERIFY(slaOf(r).value(u"firstResponseAt").isNull());
    QCOMPARE(m_customerClient->get(ticketPath(id)).json.value(u"messages").toArray().size(), 0);
}

void tst_TicketWorkflow::assignMakesAnOpenTicketAssigned()
{
    const auto created = openTicket(*m_customerClient);
    QCOMPARE(created.status, 201);
    const QString id = created.json.value(u"id").toString();
    QVERIFY(created.json.value(u"assignedTo").isNull());

    const auto r = m_agentClient->put(ticketPath(id, QStringLiteral("/assign")),
                                      {{QStringLiteral("agentId"), m_agent2.user.id}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"assignedTo").toString(), m_agent2.user.id);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("assigned"));
    QCOMPARE(r.json.value(u"version").toInt(), 2);
    const auto agent2
        = store::UserRepository(m_server->database().connection()).findById(m_agent2.user.id);
    QVERIFY(agent2 && *agent2);
    QCOMPARE((*agent2)->lastAssignedAt, m_server->clock().now());

    // Reassigning keeps the status; assigning to the same agent again is a no-op.
    const QString inWork = newTicketAt(QStringLiteral("in_progress"));
    const auto moved = m_agentClient->put(ticketPath(inWork, QStringLiteral("/assign")),
                                          {{QStringLiteral("agentId"), m_agent2.user.id}});
    QCOMPARE(moved.status, 200);
    QCOMPARE(moved.json.value(u"status").toString(), QStringLiteral("in_progress"));
    const auto again = m_agentClient->put(ticketPath(inWork, QStringLiteral("/assign")),
                                          {{QStringLiteral("agentId"), m_agent2.user.id}});
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(u"version"), moved.json.value(u"version"));
}

void tst_TicketWorkflow::assignRefusesWhoIsNoActiveAgent_data()
{
    QTest::addColumn<int>("who"); // 0 customer, 1 technician, 2 inactive agent, 3 unknown id
    QTest::newRow("a customer") << 0;
    QTest::newRow("a technician") << 1;
    QTest::newRow("an inactive agent") << 2;
    QTest::newRow("nobody") << 3;
}

void tst_TicketWorkflow::assignRefusesWhoIsNoActiveAgent()
{
    QFETCH(int, who);
    QString agentId;
    if (who == 0)
        agentId = m_customer.user.id;
    if (who == 1)
        agentId = m_server->account(Role::Technician).user.id;
    if (who == 2) {
        User gone = m_server->account(Role::Support).user;
        gone.active = false;
        const auto saved = m_server->database().transaction(
            [&](QSqlDatabase &db) { return store::UserRepository(db).update(gone, gone.version); });
        QVERIFY(saved);
        agentId = gone.id;
    }
    if (who == 3)
        agentId = QStringLiteral("no-such-user");
    const QString id = newTicketAt(QStringLiteral("open"));
    for (const QString &route : {QStringLiteral("/assign"), QStringLiteral("/escalate")}) {
        const bool assign = route == u"/assign";
        const QString field = assign ? QStringLiteral("agentId") : QStringLiteral("escalatedTo");
        QJsonObject body {{field, agentId}};
        if (!assign)
            body.insert(QStringLiteral("reason"), QStringLiteral("needs a manager"));
        const auto r = m_agentClient->put(ticketPath(id, route), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(r.field(), field);
    }
    QCOMPARE(m_agentClient->get(ticketPath(id)).json.value(u"version").toInt(), 1);
}

void tst_TicketWorkflow::closeResolvesThenCloses()
{
    const QString id = newTicketAt(QStringLiteral("in_progress"));
    const auto resolved = m_agentClient->put(
        ticketPath(id, QStringLiteral("/close")),
        {{QStringLiteral("summary"), QStringLiteral("Refunded the double charge")},
         {QStringLiteral("resolutionType"), QStringLiteral("workaround")},
         {QStringLiteral("resolutionNotes"), QStringLiteral("Card issuer bug")}});
    QCOMPARE(resolved.status, 200);
    QCOMPARE(resolved.json.value(u"status").toString(), QStringLiteral("resolved"));
    QJsonObject resolution = resolved.json.value(u"resolution").toObject();
    QCOMPARE(resolution.value(u"summary").toString(), QStringLiteral("Refunded the double charge"));
    QCOMPARE(resolution.value(u"resolutionType").toString(), QStringLiteral("workaround"));
    QCOMPARE(resolution.value(u"resolutionNotes").toString(), QStringLiteral("Card issuer bug"));
    QCOMPARE(resolution.value(u"resolvedBy").toString(), m_agent.user.id);
    QVERIFY(timeOf(resolution.value(u"resolvedAt")).isValid());
    QCOMPARE(slaOf(resolved).value(u"resolvedAt"), resolution.value(u"resolvedAt"));

    // The second close closes it, by another agent: who resolved it stays on record.
    auto admin = m_server->client(m_agent2);
    const auto closed = admin->put(ticketPath(id, QStringLiteral("/close")),
                                   {{QStringLiteral("summary"), QStringLiteral("Confirmed")}});
    QCOMPARE(closed.status, 200);
    QCOMPARE(closed.json.value(u"status").toString(), QStringLiteral("closed"));
    resolution = closed.json.value(u"resolution").toObject();
    QCOMPARE(resolution.value(u"summary").toString(), QStringLiteral("Confirmed"));
    QCOMPARE(resolution.value(u"resolutionType").toString(), QStringLiteral("solved"));
    QCOMPARE(resolution.value(u"resolvedBy").toString(), m_agent.user.id);

    const auto third = admin->put(ticketPath(id, QStringLiteral("/close")),
                                  {{QStringLiteral("summary"), QStringLiteral("Again")}});
    QCOMPARE(third.status, 409);
    QCOMPARE(third.errorCode(), QStringLiteral("invalid_transition"));
}

void tst_TicketWorkflow::closeFromOtherStatusesListsTheAllowedMoves_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QStringList>("allowed");
    QTest::newRow("open") << QStringLiteral("open") << QStringList {QStringLiteral("assigned")};
    QTest::newRow("assigned") << QStringLiteral("assigned")
                              << QStringList {QStringLiteral("in_progress")};
    QTest::newRow("pending") << QStringLiteral("pending")
                             << QStringList {QStringLiteral("in_progress")};
    QTest::newRow("closed") << QStringLiteral("closed") << QStringList();
}

void tst_TicketWorkflow::closeFromOtherStatusesListsTheAllowedMoves()
{
    QFETCH(QString, from);
    QFETCH(QStringList, allowed);
    const QString id = newTicketAt(from);
    const auto r = m_agentClient->put(ticketPath(id, QStringLiteral("/close")),
                                      {{QStringLiteral("summary"), QStringLiteral("Done")}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_transition"));
    const QJsonObject details = r.json.value(u"error").toObject().value(u"details").toObject();
    QCOMPARE(stringsOf(details.value(u"allowed").toArray()), allowed);
    QCOMPARE(m_agentClient->get(ticketPath(id)).json.value(u"status").toString(), from);
}

void tst_TicketWorkflow::escalateReassignsAndKeepsPriority()
{
    const auto created = openTicket(*m_customerClient, QStringLiteral("low"));
    const QString id = created.json.value(u"id").toString();
    const auto r
        = m_agentClient->put(ticketPath(id, QStringLiteral("/escalate")),
                             {{QStringLiteral("escalatedTo"), m_agent2.user.id},
                              {QStringLiteral("reason"), QStringLiteral("Refund over limit")}});
    QCOMPARE(r.status, 200);
    const QJsonObject escalation = r.json.value(u"escalation").toObject();
    QCOMPARE(escalation.value(u"escalatedTo").toString(), m_agent2.user.id);
    QCOMPARE(escalation.value(u"escalatedBy").toString(), m_agent.user.id);
    QCOMPARE(escalation.value(u"reason").toString(), QStringLiteral("Refund over limit"));
    QCOMPARE(timeOf(escalation.value(u"escalatedAt")), m_server->clock().now());
    QCOMPARE(r.json.value(u"assignedTo").toString(), m_agent2.user.id);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("assigned"));
    QCOMPARE(r.json.value(u"priority").toString(), QStringLiteral("low"));

    const auto missingReason
        = m_agentClient->put(ticketPath(id, QStringLiteral("/escalate")),
                             {{QStringLiteral("escalatedTo"), m_agent.user.id}});
    QCOMPARE(missingReason.status, 400);
    QCOMPARE(missingReason.field(), QStringLiteral("reason"));
}

void tst_TicketWorkflow::customerReplyReopensResolvedTicket()
{
    const QString id = newTicketAt(QStringLiteral("in_progress"));
    const auto resolved
        = m_agentClient->put(ticketPath(id, QStringLiteral("/close")),
                             {{QStringLiteral("summary"), QStringLiteral("Fixed")}});
    QCOMPARE(resolved.json.value(u"status").toString(), QStringLiteral("resolved"));
    // An agent's reply on a resolved ticket leaves it resolved.
    const auto agentReply
        = m_agentClient->post(ticketPath(id, QStringLiteral("/messages")),
                              {{QStringLiteral("message"), QStringLiteral("Anything else?")}});
    QCOMPARE(agentReply.status, 201);
    const auto beforeReply = m_agentClient->get(ticketPath(id));
    QCOMPARE(beforeReply.json.value(u"status").toString(), QStringLiteral("resolved"));

    const auto reply
        = m_customerClient->post(ticketPath(id, QStringLiteral("/messages")),
                                 {{QStringLiteral("message"), QStringLiteral("Still broken")}});
    QCOMPARE(reply.status, 201);
    const auto after = m_customerClient->get(ticketPath(id));
    QCOMPARE(after.json.value(u"status").toString(), QStringLiteral("in_progress"));
    QVERIFY(slaOf(after).value(u"resolvedAt").isNull());
    QVERIFY(after.json.value(u"resolution").isNull());
    QCOMPARE(after.json.value(u"version").toInt(), beforeReply.json.value(u"version").toInt() + 1);
}

void tst_TicketWorkflow::repliesNeverChangeTheStatusOtherwise()
{
    for (const QString &status : {QStringLiteral("open"), QStringLiteral("assigned"),
                                  QStringLiteral("in_progress"), QStringLiteral("pending")}) {
        const QString id = newTicketAt(status);
        for (TestClient *client : {m_customerClient.get(), m_agentClient.get()}) {
            const auto r = client->post(ticketPath(id, QStringLiteral("/messages")),
                                        {{QStringLiteral("message"), QStringLiteral("Hello")}});
            QCOMPARE(r.status, 201);
        }
        QCOMPARE(m_agentClient->get(ticketPath(id)).json.value(u"status").toString(), status);
    }
}

void tst_TicketWorkflow::closedIsFinal()
{
    const QString id = newTicketAt(QStringLiteral("closed"));
    const auto before = m_agentClient->get(ticketPath(id));
    struct Attempt
    {
        TestClient *client;
        QString route;
        QJsonObject body;
        QString code;
    };
    const QList<Attempt> attempts = {
        {m_agentClient.get(),
         QStringLiteral("/status"),
         {{QStringLiteral("status"), QStringLiteral("in_progress")}},
         QStringLiteral("invalid_transition")},
        {m_agentClient.get(),
         QStringLiteral("/assign"),
         {{QStringLiteral("agentId"), m_agent2.user.id}},
         QStringLiteral("invalid_transition")},
        {m_agentClient.get(),
         QStringLiteral("/priority"),
         {{QStringLiteral("priority"), QStringLiteral("urgent")}},
         QStringLiteral("invalid_transition")},
        {m_agentClient.get(),
         QStringLiteral("/escalate"),
         {{QStringLiteral("escalatedTo"), m_agent2.user.id},
          {QStringLiteral("reason"), QStringLiteral("x")}},
         QStringLiteral("invalid_transition")},
        {m_agentClient.get(),
         QStringLiteral("/close"),
         {{QStringLiteral("summary"), QStringLiteral("x")}},
         QStringLiteral("invalid_transition")},
        {m_agentClient.get(),
         QStringLiteral("/messages"),
         {{QStringLiteral("message"), QStringLiteral("x")}},
         QStringLiteral("ticket_closed")},
        {m_customerClient.get(),
         QStringLiteral("/messages"),
         {{QStringLiteral("message"), QStringLiteral("x")}},
         QStringLiteral("ticket_closed")},
    };
    for (const Attempt &a : attempts) {
        const auto r = a.route == u"/messages" ? a.client->post(ticketPath(id, a.route), a.body)
                                               : a.client->put(ticketPath(id, a.route), a.body);
        QVERIFY2(r.status == 409, qPrintable(a.route));
        QCOMPARE(r.errorCode(), a.code);
    }
    const auto after = m_agentClient->get(ticketPath(id));
    QCOMPARE(after.json.value(u"status").toString(), QStringLiteral("closed"));
    QCOMPARE(after.json.value(u"version"), before.json.value(u"version"));
    QCOMPARE(after.json.value(u"messages").toArray().size(), 0);
}

QTEST_GUILESS_MAIN(tst_TicketWorkflow)
#include "tst_ticketworkflow.moc"
