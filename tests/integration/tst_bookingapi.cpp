// The bookings API over real HTTP, on SQLite and PostgreSQL: create, list, get, assign, start,
// who may call which route and see which booking, input checks and If-Match.
#include <support/bookingflow.h>
#include <support/testserver.h>

#include <domain/timeformat.h>

#include <QJsonArray>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_BookingApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup();

    void customerCreatesPendingBooking();
    void createRejectsBadInput_data();
    void createRejectsBadInput();
    void listShowsWhatEachRoleMaySee();
    void listFiltersAndPages();
    void listRefusesNamingSomeoneElse_data();
    void listRefusesNamingSomeoneElse();
    void getIs404ForThoseWhoMayNotSee();
    void assignConfirmsPendingBooking();
    void reassignKeepsConfirmed();
    void assignNeedsActiveTechnician_data();
    void assignNeedsActiveTechnician();
    void assignWithStaleIfMatchIs412();
    void assignRefusedOnceStarted();
    void startMovesConfirmedToInProgress();
    void startByAnotherTechnicianIs404();
    void startNeedsConfirmedBooking();
    void requestCompletionWhenNotInProgressIs409WithAllowed();
    void respondByAnotherCustomerIs404();
    void roleRouteAuthorization_data();
    void roleRouteAuthorization();
    void invalidInputIs400NamingTheField_data();
    void invalidInputIs400NamingTheField();
    void changesReachTheBookingsCustomerAndTechnicianOnly();

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<BookingFlow> m_flow;
};

void tst_BookingApi::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_flow = std::make_unique<BookingFlow>(*m_server);
}

void tst_BookingApi::cleanup()
{
    m_flow.reset();
    m_server.reset();
}

void tst_BookingApi::customerCreatesPendingBooking()
{
    const QDateTime when = m_server->clock().now().addDays(3);
    const auto r
        = m_flow->asCustomer->post(QStringLiteral("/bookings"),
                                   {{QStringLiteral("service"), QStringLiteral("Window cleaning")},
                                    {QStringLiteral("description"), QStringLiteral("Ten windows")},
                                    {QStringLiteral("address"), QStringLiteral("2 High St")},
                                    {QStringLiteral("scheduledAt"), toIsoUtc(when)}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("pending"));
    QCOMPARE(r.json.value(u"customerId").toString(), m_flow->customer.user.id);
    QVERIFY(r.json.value(u"technicianId").isNull());
    QVERIFY(r.json.value(u"completionRequest").isNull());
    QVERIFY(r.json.value(u"review").isNull());
    QCOMPARE(r.json.value(u"service").toString(), QStringLiteral("Window cleaning"));
    QCOMPARE(r.json.value(u"scheduledAt").toString(), toIsoUtc(when));
    QCOMPARE(r.json.value(u"version").toInt(), 1);
    QCOMPARE(r.header("ETag"), QByteArray("\"1\""));

    const auto got = m_flow->asCustomer->get(u"/bookings/" + BookingFlow::id(r.json));
    QCOMPARE(got.status, 200);
    QCOMPARE(got.json, r.json);
}

void tst_BookingApi::createRejectsBadInput_data()
{
    QTest::addColumn<QString>("drop");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("code");

    const QJsonValue none;
    QTest::newRow("service missing") << "service"
                                     << "service" << none << "missing_field";
    QTest::newRow("address missing") << "address"
                                     << "address" << none << "missing_field";
    QTest::newRow("scheduledAt missing") << "scheduledAt"
                                         << "scheduledAt" << none << "missing_field";
    QTest::newRow("service empty") << ""
                                   << "service" << QJsonValue(u"  "_qs) << "invalid_field";
    QTest::newRow("service too long")
        << ""
        << "service" << QJsonValue(QString(201, u'x')) << "invalid_field";
    QTest::newRow("description not text") << ""
                                          << "description" << QJsonValue(42) << "invalid_field";
    QTest::newRow("scheduledAt not a time")
        << ""
        << "scheduledAt" << QJsonValue(u"tomorrow"_qs) << "invalid_field";
    QTest::newRow("scheduledAt in the past")
        << ""
        << "scheduledAt" << QJsonValue(u"2020-01-01T10:00:00.000Z"_qs) << "invalid_field";
}

void tst_BookingApi::createRejectsBadInput()
{
    QFETCH(QString, drop);
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, code);

    QJsonObject body {
        {QStringLiteral("service"), QStringLiteral("Plumbing")},
        {QStringLiteral("description"), QStringLiteral("Tap")},
        {QStringLiteral("address"), QStringLiteral("3 Low St")},
        {QStringLiteral("scheduledAt"), toIsoUtc(m_server->clock().now().addSecs(3600))}};
    if (!drop.isEmpty())
        body.remove(drop);
    else
        body.insert(field, value);
    const auto r = m_flow->asCustomer->post(QStringLiteral("/bookings"), body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.field(), field);
    QCOMPARE(m_flow->asAgent->get(QStringLiteral("/bookings")).json.value(u"total").toInt(), 0);
}

void tst_BookingApi::listShowsWhatEachRoleMaySee()
{
    const QJsonObject mine = m_flow->confirmed(); // assigned to the flow's technician
    const QJsonObject pending = m_flow->created(QStringLiteral("Unassigned"));
    BookingFlow other(*m_server);
    const QJsonObject theirs = other.confirmed();

    auto ids = [](TestClient &client) {
        const auto r = client.get(QStringLiteral("/bookings"));
        QStringList out;
        for (const QJsonValue &v : r.json.value(u"items").toArray())
            out << v.toObject().value(u"id").toString();
        out.sort();
        return out;
    };
    auto sorted = [](QStringList l) {
        l.sort();
        return l;
    };
    QCOMPARE(ids(*m_flow->asCustomer), sorted({BookingFlow::id(mine), BookingFlow::id(pending)}));
    QCOMPARE(ids(*m_flow->asTechnician), QStringList {BookingFlow::id(mine)});
    QCOMPARE(ids(*other.asTechnician), QStringList {BookingFlow::id(theirs)});
    const QStringList all
        = sorted({BookingFlow::id(mine), BookingFlow::id(pending), BookingFlow::id(theirs)});
    QCOMPARE(ids(*m_flow->asAgent), all);
    auto admin = m_server->client(m_server->account(Role::Admin));
    QCOMPARE(ids(*admin), all);
}

void tst_BookingApi::listFiltersAndPages()
{
    const QJsonObject a = m_flow->confirmed();
    m_server->clock().advance(1);
    const QJsonObject b = m_flow->created(QStringLiteral("Second"));
    m_server->clock().advance(1);
    const QJsonObject c = m_flow->created(QStringLiteral("Third"));
    BookingFlow other(*m_server);
    other.created();

    TestClient &agent = *m_flow->asAgent;
    auto r = agent.get(QStringLiteral("/bookings?status=pending&customer=")
                       + m_flow->customer.user.id);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"total").toInt(), 2);
    r = agent.get(QStringLiteral("/bookings?status=confirmed,pending&technician=")
                  + m_flow->technician.user.id);
    QCOMPARE(r.json.value(u"total").toInt(), 1);
    QCOMPARE(r.json.value(u"items").toArray().at(0).toObject().value(u"id").toString(),
             BookingFlow::id(a));

    r = agent.get(QStringLiteral("/bookings?limit=1&offset=1&customer=")
                  + m_flow->customer.user.id);
    QCOMPARE(r.json.value(u"total").toInt(), 3);
    QCOMPARE(r.json.value(u"limit").toInt(), 1);
    QCOMPARE(r.json.value(u"offset").toInt(), 1);
    const QJsonArray items = r.json.value(u"items").toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.at(0).toObject().value(u"id").toString(), BookingFlow::id(b)); // newest first

    r = agent.get(QStringLiteral("/bookings?status=finished"));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), QStringLiteral("status"));
    r = agent.get(QStringLiteral("/bookings?limit=101"));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), QStringLiteral("limit"));
    Q_UNUSED(c)
}

void tst_BookingApi::listRefusesNamingSomeoneElse_data()
{
    QTest::addColumn<QString>("parameter");
    QTest::newRow("customer names another customer") << "customer";
    QTest::newRow("technician names another technician") << "technician";
}

void tst_BookingApi::listRefusesNamingSomeoneElse()
{
    QFETCH(QString, parameter);
    BookingFlow other(*m_server);
    other.confirmed();
    const bool customer = parameter == u"customer";
    TestClient &me = customer ? *m_flow->asCustomer : *m_flow->asTechnician;
    const QString them = customer ? other.customer.user.id : other.technician.user.id;
    const auto r = me.get(u"/bookings?" + parameter + u'=' + them);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), parameter);
}

void tst_BookingApi::getIs404ForThoseWhoMayNotSee()
{
    const QString path = u"/bookings/" + BookingFlow::id(m_flow->created());
    BookingFlow other(*m_server);
    QCOMPARE(m_flow->asCustomer->get(path).status, 200);
    QCOMPARE(m_flow->asAgent->get(path).status, 200);
    QCOMPARE(other.asCustomer->get(path).status, 404);
    QCOMPARE(other.asCustomer->get(path).errorCode(), QStringLiteral("not_found"));
    QCOMPARE(m_flow->asTechnician->get(path).status, 404); // not assigned yet
    QCOMPARE(m_flow->asAgent->get(QStringLiteral("/bookings/no-such-booking")).status, 404);
}

void tst_BookingApi::assignConfirmsPendingBooking()
{
    const QString id = BookingFlow::id(m_flow->created());
    const auto r = m_flow->asAgent->put(u"/bookings/" + id + u"/assign",
                                        {{u"technicianId"_qs, m_flow->technician.user.id}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("confirmed"));
    QCOMPARE(r.json.value(u"technicianId").toString(), m_flow->technician.user.id);
    QCOMPARE(r.json.value(u"version").toInt(), 2);
    QCOMPARE(r.header("ETag"), QByteArray("\"2\""));
    QCOMPARE(m_flow->asTechnician->get(u"/bookings/" + id).status, 200); // now it may see it
}

void tst_BookingApi::reassignKeepsConfirmed()
{
    const QString id = BookingFlow::id(m_flow->confirmed());
    const auto other = m_server->account(Role::Technician);
    auto admin = m_server->client(m_server->account(Role::Admin));
    const auto r = admin->put(u"/bookings/" + id + u"/assign",
                              {{u"technicianId"_qs, other.user.id}}, {{"If-Match", "\"2\""}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("confirmed"));
    QCOMPARE(r.json.value(u"technicianId").toString(), other.user.id);
    QCOMPARE(m_flow->asTechnician->get(u"/bookings/" + id).status, 404);
}

void tst_BookingApi::assignNeedsActiveTechnician_data()
{
    QTest::addColumn<QString>("who");
    QTest::newRow("a support agent") << "support";
    QTest::newRow("a customer") << "customer";
    QTest::newRow("nobody") << "unknown";
    QTest::newRow("a deactivated technician") << "inactive";
    QTest::newRow("missing") << "missing";
}

void tst_BookingApi::assignNeedsActiveTechnician()
{
    QFETCH(QString, who);
    const QString id = BookingFlow::id(m_flow->created());
    QJsonObject body;
    if (who == u"support")
        body.insert(u"technicianId"_qs, m_flow->agent.user.id);
    else if (who == u"customer")
        body.insert(u"technicianId"_qs, m_flow->customer.user.id);
    else if (who == u"unknown")
        body.insert(u"technicianId"_qs, u"no-such-user"_qs);
    else if (who == u"inactive") {
        const auto tech = m_server->account(Role::Technician);
        auto admin = m_server->client(m_server->account(Role::Admin));
        QCOMPARE(admin->put(u"/users/" + tech.user.id, {{u"active"_qs, false}}).status, 200);
        body.insert(u"technicianId"_qs, tech.user.id);
    }
    const auto r = m_flow->asAgent->put(u"/bookings/" + id + u"/assign", body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), QStringLiteral("technicianId"));
    const auto after = m_flow->asAgent->get(u"/bookings/" + id);
    QCOMPARE(after.json.value(u"status").toString(), QStringLiteral("pending"));
    QCOMPARE(after.json.value(u"version").toInt(), 1);
}

void tst_BookingApi::assignWithStaleIfMatchIs412()
{
    const QString id = BookingFlow::id(m_flow->confirmed()); // version 2
    const QString path = u"/bookings/" + id + u"/assign";
    const QJsonObject body {{u"technicianId"_qs, m_flow->technician.user.id}};
    auto r = m_flow->asAgent->put(path, body, {{"If-Match", "\"1\""}});
    QCOMPARE(r.status, 412);
    QCOMPARE(r.errorCode(), QStringLiteral("version_conflict"));
    QCOMPARE(m_flow->asAgent->get(u"/bookings/" + id).json.value(u"version").toInt(), 2);
    r = m_flow->asAgent->put(path, body, {{"If-Match", "2"}}); // a bare version is accepted
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("ETag"), QByteArray("\"3\""));
}

void tst_BookingApi::assignRefusedOnceStarted()
{
    const QString id = BookingFlow::id(m_flow->inProgress());
    const auto r = m_flow->asAgent->put(u"/bookings/" + id + u"/assign",
                                        {{u"technicianId"_qs, m_flow->technician.user.id}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_transition"));
    QVERIFY(r.json.value(u"error").toObject().value(u"details").toObject().contains(u"allowed"));
}

void tst_BookingApi::startMovesConfirmedToInProgress()
{
    const QString id = BookingFlow::id(m_flow->confirmed());
    const auto r = m_flow->asTechnician->post(u"/bookings/" + id + u"/start");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"status").toString(), QStringLiteral("in_progress"));
    QCOMPARE(r.header("ETag"), QByteArray("\"3\""));
    const auto again = m_flow->asTechnician->post(u"/bookings/" + id + u"/start");
    QCOMPARE(again.status, 409); // an event, not an idempotent PUT
}

void tst_BookingApi::startByAnotherTechnicianIs404()
{
    const QString id = BookingFlow::id(m_flow->confirmed());
    auto stranger = m_server->client(m_server->account(Role::Technician));
    const auto r = stranger->post(u"/bookings/" + id + u"/start");
    QCOMPARE(r.status, 404);
    QCOMPARE(m_flow->asAgent->get(u"/bookings/" + id).json.value(u"status").toString(),
             QStringLiteral("confirmed"));
}

void tst_BookingApi::startNeedsConfirmedBooking()
{
    // A completed booking may move back to in_progress, but by the customer's rejection only.
    const QString id = BookingFlow::id(m_flow->completed());
    const auto r = m_flow->asTechnician->post(u"/bookings/" + id + u"/start");
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_transition"));
    const QJsonObject details = r.json.value(u"error").toObject().value(u"details").toObject();
    QCOMPARE(details.value(u"from").toString(), QStringLiteral("completed"));
    QCOMPARE(details.value(u"required").toString(), QStringLiteral("confirmed"));
    QVERIFY(details.value(u"allowed").isArray());
    QCOMPARE(m_flow->asAgent->get(u"/bookings/" + id).json.value(u"status").toString(),
             QStringLiteral("completed"));
}

void tst_BookingApi::requestCompletionWhenNotInProgressIs409WithAllowed()
{
    const QString id = BookingFlow::id(m_flow->confirmed());
    const auto r = m_flow->asTechnician->post(u"/bookings/" + id + u"/request-completion");
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_transition"));
    const QJsonObject details = r.json.value(u"error").toObject().value(u"details").toObject();
    QCOMPARE(details.value(u"from").toString(), QStringLiteral("confirmed"));
    QCOMPARE(details.value(u"to").toString(), QStringLiteral("completed"));
    QCOMPARE(details.value(u"allowed").toArray(),
             QJsonArray({QStringLiteral("in_progress"), QStringLiteral("cancelled")}));
    const auto booking = m_flow->asAgent->get(u"/bookings/" + id).json;
    QVERIFY(booking.value(u"completionRequest").isNull());
}

void tst_BookingApi::respondByAnotherCustomerIs404()
{
    const QString id = BookingFlow::id(m_flow->completed());
    BookingFlow other(*m_server);
    const auto r = other.asCustomer->post(u"/bookings/" + id + u"/respond-completion",
                                          {{u"approved"_qs, true}});
    QCOMPARE(r.status, 404);
    const auto booking = m_flow->asAgent->get(u"/bookings/" + id).json;
    QCOMPARE(BookingFlow::completionOf(booking).value(u"status").toString(),
             QStringLiteral("pending"));
}

void tst_BookingApi::roleRouteAuthorization_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("role");
    QTest::addColumn<bool>("open");

    const QList<Role> everyone {Role::Customer, Role::Technician, Role::Support, Role::Admin};
    const QList<Role> agents {Role::Support, Role::Admin};
    const QList<Role> customer {Role::Customer};
    const QList<Role> technician {Role::Technician};
    struct Route
    {
        const char *method;
        const char *path;
        QList<Role> allowed;
    };
    const Route routes[] = {
        {"POST", "/bookings", customer},
        {"GET", "/bookings", everyone},
        {"GET", "/bookings/pending-completion", agents},
        {"GET", "/bookings/:id", everyone},
        {"PUT", "/bookings/:id/assign", agents},
        {"POST", "/bookings/:id/start", technician},
        {"POST", "/bookings/:id/request-completion", technician},
        {"POST", "/bookings/:id/respond-completion", customer},
        {"POST", "/bookings/:id/initiate-followup", agents},
        {"POST", "/bookings/:id/log-contact", agents},
        {"POST", "/bookings/:id/complete-by-support", agents},
        {"POST", "/bookings/:id/reviews", customer},
    };
    for (const Route &route : routes) {
        for (const Role role : everyone) {
            QTest::addRow("%s %s as %s", route.method, route.path, qPrintable(toString(role)))
                << QString::fromLatin1(route.method) << QString::fromLatin1(route.path) << int(role)
                << route.allowed.contains(role);
        }
    }
}

// A role a route is closed to gets 403 whatever the booking. The others get past the gate to
// the booking's own rules: the caller is the booking's party, so never 401 or 403 there.
void tst_BookingApi::roleRouteAuthorization()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(int, role);
    QFETCH(bool, open);

    const QString id = BookingFlow::id(m_flow->inProgress());
    std::unique_ptr<TestClient> admin;
    TestClient *client = nullptr;
    switch (Role(role)) {
    case Role::Customer:
        client = m_flow->asCustomer.get();
        break;
    case Role::Technician:
        client = m_flow->asTechnician.get();
        break;
    case Role::Support:
        client = m_flow->asAgent.get();
        break;
    case Role::Admin:
        admin = m_server->client(m_server->account(Role::Admin));
        client = admin.get();
        break;
    }
    const QString url = QString(path).replace(u":id"_qs, id);
    const auto r = method == u"GET" ? client->get(url)
        : method == u"PUT"          ? client->put(url, {})
                                    : client->post(url, {});
    if (open) {
        QVERIFY2(r.status != 403 && r.status != 401 && r.status < 500,
                 qPrintable(QString::number(r.status) + u' ' + QString::fromUtf8(r.body)));
    } else {
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("forbidden"));
    }
}

void tst_BookingApi::invalidInputIs400NamingTheField_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");

    QTest::newRow("respond: approved missing")
        << "customer"
        << "respond-completion" << QJsonObject() << "approved";
    QTest::newRow("respond: approved not a boolean")
        << "customer"
        << "respond-completion" << QJsonObject {{u"approved"_qs, u"yes"_qs}} << "approved";
    QTest::newRow("respond: rejection without issues")
        << "customer"
        << "respond-completion" << QJsonObject {{u"approved"_qs, false}} << "issues";
    QTest::newRow("respond: rejection with empty issues")
        << "customer"
        << "respond-completion" << QJsonObject {{u"approved"_qs, false}, {u"issues"_qs, u" "_qs}}
        << "issues";
    QTest::newRow("respond: feedback too long")
        << "customer"
        << "respond-completion"
        << QJsonObject {{u"approved"_qs, true}, {u"feedback"_qs, QString(2001, u'x')}}
        << "feedback";
    QTest::newRow("log-contact: method missing")
        << "agent"
        << "log-contact" << QJsonObject {{u"reached"_qs, true}} << "method";
    QTest::newRow("log-contact: method outside its enum")
        << "agent"
        << "log-contact" << QJsonObject {{u"method"_qs, u"fax"_qs}, {u"reached"_qs, true}}
        << "method";
    QTest::newRow("log-contact: reached missing")
        << "agent"
        << "log-contact" << QJsonObject {{u"method"_qs, u"call"_qs}} << "reached";
    QTest::newRow("log-contact: notes too long") << "agent"
                                                 << "log-contact"
                                                 << QJsonObject {{u"method"_qs, u"sms"_qs},
                                                                 {u"reached"_qs, false},
                                                                 {u"notes"_qs, QString(2001, u'x')}}
                                                 << "notes";
    QTest::newRow("complete-by-support: outcome missing")
        << "agent"
        << "complete-by-support" << QJsonObject() << "outcome";
    QTest::newRow("complete-by-support: outcome outside its enum")
        << "agent"
        << "complete-by-support" << QJsonObject {{u"outcome"_qs, u"solved"_qs}} << "outcome";
    QTest::newRow("reviews: rating 0") << "customer"
                                       << "reviews" << QJsonObject {{u"rating"_qs, 0}} << "rating";
    QTest::newRow("reviews: rating 6") << "customer"
                                       << "reviews" << QJsonObject {{u"rating"_qs, 6}} << "rating";
    QTest::newRow("reviews: rating 3.5")
        << "customer"
        << "reviews" << QJsonObject {{u"rating"_qs, 3.5}} << "rating";
    QTest::newRow("reviews: comment too long")
        << "customer"
        << "reviews" << QJsonObject {{u"rating"_qs, 5}, {u"comment"_qs, QString(2001, u'x')}}
        << "comment";
    QTest::newRow("assign: technicianId not a string")
        << "agent"
        << "assign" << QJsonObject {{u"technicianId"_qs, 42}} << "technicianId";
}

void tst_BookingApi::invalidInputIs400NamingTheField()
{
    QFETCH(QString, who);
    QFETCH(QString, action);
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);

    // A state in which a valid body would be accepted, so that only the input is at fault.
    const QJsonObject booking = action == u"log-contact" || action == u"complete-by-support"
        ? m_flow->followedUp()
        : action == u"reviews" ? m_flow->verified()
                               : m_flow->completed();
    const QString path = u"/bookings/" + BookingFlow::id(booking) + u'/' + action;
    TestClient &client = who == u"agent" ? *m_flow->asAgent : *m_flow->asCustomer;
    const auto r = action == u"assign" ? client.put(path, body) : client.post(path, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.field(), field);
    QVERIFY(r.errorCode() == u"missing_field" || r.errorCode() == u"invalid_field");
    const auto after = m_flow->asAgent->get(u"/bookings/" + BookingFlow::id(booking)).json;
    QCOMPARE(after.value(u"version").toInt(), booking.value(u"version").toInt());
}

void tst_BookingApi::changesReachTheBookingsCustomerAndTechnicianOnly()
{
    const QString id = BookingFlow::id(m_flow->inProgress());
    BookingFlow other(*m_server);
    auto bookingChanges = [&](TestClient &client) {
        const auto r = client.get(QStringLiteral("/sync/changes?since=0&limit=1000"));
        int n = 0;
        for (const QJsonValue &v : r.json.value(u"changes").toArray()) {
            const QJsonObject c = v.toObject();
            if (c.value(u"entity").toString() == u"booking" && c.value(u"id").toString() == id)
                ++n;
        }
        return n;
    };
    QCOMPARE(bookingChanges(*m_flow->asCustomer), 3); // created, assigned, started
    QCOMPARE(bookingChanges(*m_flow->asTechnician), 2); // once it is theirs: assigned, started
    QCOMPARE(bookingChanges(*m_flow->asAgent), 3);
    QCOMPARE(bookingChanges(*other.asCustomer), 0);
    QCOMPARE(bookingChanges(*other.asTechnician), 0);
}

QTEST_GUILESS_MAIN(tst_BookingApi)
#include "tst_bookingapi.moc"
