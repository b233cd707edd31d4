// E-mail and SMS of notifications, on SQLite and PostgreSQL: a real server sends them to an SMTP
// sink and an HTTP sink on loopback. Each notification arrives once, with the right headers; a
// channel that is down loses nothing and sends nothing twice; unset channels are logged only;
// the SMTP password never reaches a log line.
#include <support/bookingflow.h>
#include <support/httpsink.h>
#include <support/logcapture.h>
#include <support/smtpsink.h>
#include <support/testserver.h>

#include <server/apiserver.h>
#include <server/notifier.h>
#include <server/servercontext.h>
#include <store/deliveryrepository.h>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace sb;
using namespace sb::test;
using store::DeliveryStatus;
using store::NotificationDelivery;

namespace {

QString decodeSubject(const QByteArray &raw)
{
    static const QRegularExpression word(QStringLiteral(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)"));
    QByteArray out;
    auto it = word.globalMatch(QString::fromLatin1(raw));
    if (!it.hasNext())
        return QString::fromUtf8(raw);
    while (it.hasNext())
        out += QByteArray::fromBase64(it.next().captured(1).toLatin1());
    return QString::fromUtf8(out);
}

QStringList statusesOf(const QList<NotificationDelivery> &deliveries)
{
    QStringList out;
    for (const NotificationDelivery &d : deliveries)
        out << toString(d.channel) + u':' + toString(d.status);
    return out;
}

} // namespace

class tst_NotificationDelivery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void emailSmsNotificationsConfigured_data();
    void emailSmsNotificationsConfigured();
    void completionRequestReachesTheCustomerByEmailAndSms();
    void emailArrivesOnceWithItsHeaders();
    void smsArrivesAtTheWebhookAsJson();
    void noSmsWithoutAPhone();
    void phoneIsManagedThroughTheUsersApi_data();
    void phoneIsManagedThroughTheUsersApi();
    void channelsDownThenUpDeliverEachOnce();
    void permanentRefusalFailsAtOnce();
    void givesUpAfterTheDeadline();
    void unsetChannelsAreLoggedOnly();
    void rolledBackNotificationSendsNothing();
    void stopLeavesTheSendInFlightPending();
    void hangingChannelsBlockNeitherRequestsNorShutdown();
    void smtpPasswordNeverInALogLine();

private:
    // A server whose SMTP_URL and SMS_WEBHOOK_URL point at the sinks (when listening).
    void startServer(const TestServer::Tweak &tweak = {}, bool withChannels = true);
    Notification notify(const User &user, const QString &title, const QString &body);
    QList<NotificationDelivery> deliveriesOf(const Notification &n);
    User customerWithPhone(const QString &phone);

    std::unique_ptr<SmtpSink> m_smtp;
    std::unique_ptr<HttpSink> m_http;
    std::unique_ptr<TestServer> m_server;
};

void tst_NotificationDelivery::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    LogCapture::install();
}

void tst_NotificationDelivery::init()
{
    m_smtp = std::make_unique<SmtpSink>();
    m_http = std::make_unique<HttpSink>();
    QVERIFY(m_smtp->listen());
    QVERIFY(m_http->listen());
    LogCapture::clear();
}

void tst_NotificationDelivery::cleanup()
{
    m_server.reset();
    m_smtp.reset();
    m_http.reset();
}

void tst_NotificationDelivery::startServer(const TestServer::Tweak &tweak, bool withChannels)
{
    const QString smtpUrl = QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtp->port());
    const QString smsUrl = m_http->url(QStringLiteral("/sms"));
    QString error;
    m_server = TestServer::start(&error, [&](server::ServerSettings &s) {
        if (withChannels) {
            s.smtpUrl = smtpUrl;
            s.smsWebhookUrl = smsUrl;
        }
        s.supportEmail = QStringLiteral("support@switchboard.test");
        s.deliveryRetrySeconds = 0.1; // 0.1 s, 0.2 s, 0.4 s ... up to 12 s
        if (tweak)
            tweak(s);
    });
    QVERIFY2(m_server, qPrintable(error));
}

Notification tst_NotificationDelivery::notify(const User &user, const QString &title,
                                              const QString &body)
{
    server::ServerContext &context = m_server->instance().api().context();
    server::NotificationRequest request;
    request.userId = user.id;
    request.type = NotificationType::CompletionRequested;
    request.title = title;
    request.body = body;
    request.entity = QStringLiteral("booking");
    request.entityId = QStringLiteral("b-42");
    const auto n = context.db.transaction(
        [&](QSqlDatabase &db) { return server::Notifier(context).notify(db, request); });
    if (!n) {
        QTest::qFail(qPrintable(n.error().message), __FILE__, __LINE__);
        return {};
    }
    return *n;
}

QList<NotificationDelivery> tst_NotificationDelivery::deliveriesOf(const Notification &n)
{
    const auto found
        = store::DeliveryRepository(m_server->database().connection()).listForNotification(n.id);
    return found ? *found : QList<NotificationDelivery>();
}

User tst_NotificationDelivery::customerWithPhone(const QString &phone)
{
    const auto admin = m_server->account(Role::Admin);
    const auto customer = m_server->account(Role::Customer);
    const auto r = m_server->client(admin)->put(u"/users/" + customer.user.id,
                                                {{QStringLiteral("phone"), phone}});
    if (r.status != 200)
        QTest::qFail(r.body.constData(), __FILE__, __LINE__);
    User u = customer.user;
    u.phone = r.json.value(u"phone").toString();
    return u;
}

void tst_NotificationDelivery::emailSmsNotificationsConfigured_data()
{
    QTest::addColumn<bool>("smtp");
    QTest::addColumn<bool>("sms");
    QTest::newRow("SMTP_URL and SMS_WEBHOOK_URL") << true << true;
    QTest::newRow("SMTP_URL only") << true << false;
    QTest::newRow("SMS_WEBHOOK_URL only") << false << true;
    QTest::newRow("neither: logged only") << false << false;
}

// Spec §6 "Email/SMS notifications configured": the channels are set by the spec's settings,
// read as an operator writes them (ServerSettings::apply, as from the environment or --config),
// and a notification goes out on each configured channel, once, while an unset one is only logged.
void tst_NotificationDelivery::emailSmsNotificationsConfigured()
{
    QFETCH(bool, smtp);
    QFETCH(bool, sms);
    QHash<QString, QString> values {
        {QStringLiteral("SUPPORT_EMAIL"), QStringLiteral("help@switchboard.test")}};
    if (smtp)
        values.insert(QStringLiteral("SMTP_URL"),
                      QStringLiteral("smtp://127.0.0.1:%1").arg(m_smtp->port()));
    if (sms)
        values.insert(QStringLiteral("SMS_WEBHOOK_URL"), m_http->url(QStringLiteral("/sms")));
    Status applied;
    startServer([&](server::ServerSettings &s) { applied = s.apply(values); }, false);
    QVERIFY2(applied, applied ? "" : qPrintable(applied.error().message));

    const User customer = customerWithPhone(QStringLiteral("+15550001111"));
    notify(customer, QStringLiteral("Your technician is done"), QStringLiteral("Please confirm."));
    if (smtp) {
        QTRY_COMPARE(m_smtp->messages().size(), 1);
        QCOMPARE(m_smtp->messages().first().mailFrom, QByteArray("help@switchboard.test"));
    }
    if (sms)
        QTRY_COMPARE(m_http->accepted().size(), 1);
    QTest::qWait(300);
    QCOMPARE(m_smtp->messages().size(), smtp ? 1 : 0);
    QCOMPARE(m_http->accepted().size(), sms ? 1 : 0);
    const QStringList logged = LogCapture::lines()
                                   .filter(QStringLiteral("switchboard.notify"))
                                   .filter(QStringLiteral("logged only"));
    QCOMPARE(logged.filter(QStringLiteral("email to")).size(), smtp ? 0 : 1);
    QCOMPARE(logged.filter(QStringLiteral("sms to")).size(), sms ? 0 : 1);
}

// The workflow over HTTP: the technician's request-completion tells the customer in the app, by
// e-mail and by SMS, once each.
void tst_NotificationDelivery::completionRequestReachesTheCustomerByEmailAndSms()
{
    startServer();
    BookingFlow flow(*m_server);
    const auto admin = m_server->account(Role::Admin);
    const QString phone = QStringLiteral("+15557654321");
    QCOMPARE(m_server->client(admin)
                 ->put(u"/users/" + flow.customer.user.id, {{QStringLiteral("phone"), phone}})
                 .status,
             200);
    const QJsonObject booking = flow.completed();
    const QString bookingId = BookingFlow::id(booking);
    QVERIFY(!bookingId.isEmpty());
    QCOMPARE(BookingFlow::notificationTypes(*flow.asCustomer, bookingId)
                 .count(QStringLiteral("completion_requested")),
             1);

    const QByteArray customerEmail = flow.customer.user.email.toUtf8();
    const auto toCustomer = [&] {
        QList<SmtpSink::Message> out;
        for (const SmtpSink::Message &m : m_smtp->messages()) {
            if (m.rcptTo == QList<QByteArray> {customerEmail})
                out << m;
        }
        return out;
    };
    const auto smsToCustomer = [&] {
        QStringList out;
        for (const HttpSink::Request &r : m_http->accepted()) {
            const QJsonObject json = QJsonDocument::fromJson(r.body).object();
            if (json.value(u"to").toString() == phone)
                out << json.value(u"body").toString();
        }
        return out;
    };
    QTRY_COMPARE(toCustomer().size(), 1);
    QTRY_COMPARE(smsToCustomer().size(), 1);
    QTest::qWait(500);
    QCOMPARE(toCustomer().size(), 1);
    QCOMPARE(smsToCustomer().size(), 1);

    const SmtpSink::Message m = toCustomer().first();
    QCOMPARE(m.header("Subject"), QByteArray("Please confirm your job is done"));
    QVERIFY2(m.body().contains(QByteArray("Regarding booking " + bookingId.toUtf8())),
             m.body().constData());
    QVERIFY(
        smsToCustomer().first().startsWith(QStringLiteral("Please confirm your job is done: ")));
    QVERIFY(smsToCustomer().first().size() <= 160);
}

void tst_NotificationDelivery::emailArrivesOnceWithItsHeaders()
{
    startServer();
    const auto customer = m_server->account(Role::Customer, QStringLiteral("Ada"));
    const QString title = QStringLiteral("Votre réparation est terminée");
    const Notification n
        = notify(customer.user, title, QStringLiteral("Please confirm the job.\n.\nThanks."));

    QTRY_COMPARE(m_smtp->messages().size(), 1);
    QTRY_COMPARE(statusesOf(deliveriesOf(n)), QStringList {QStringLiteral("email:sent")});
    QTest::qWait(500); // a second copy would be here by now
    QCOMPARE(m_smtp->messages().size(), 1);

    const SmtpSink::Message m = m_smtp->messages().first();
    const NotificationDelivery d = deliveriesOf(n).first();
    QCOMPARE(d.attempts, 1);
    QVERIFY(d.sentAt.isValid());
    QCOMPARE(m.mailFrom, QByteArray("support@switchboard.test"));
    QCOMPARE(m.rcptTo, QList<QByteArray> {customer.user.email.toUtf8()});
    QCOMPARE(m.header("From"), QByteArray("support@switchboard.test"));
    QCOMPARE(m.header("To"), customer.user.email.toUtf8());
    QCOMPARE(decodeSubject(m.header("Subject")), title);
    QVERIFY(m.header("Subject").startsWith("=?UTF-8?B?"));
    QCOMPARE(m.header("Message-ID"), QByteArray("<" + d.id.toUtf8() + "@switchboard.test>"));
    QCOMPARE(m.header("MIME-Version"), QByteArray("1.0"));
    QCOMPARE(m.header("Content-Type"), QByteArray("text/plain; charset=UTF-8"));
    const QDateTime date
        = QDateTime::fromString(QString::fromLatin1(m.header("Date")), Qt::RFC2822Date);
    QVERIFY2(date.isValid(), m.header("Date").constData());
    QVERIFY(qAbs(date.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QVERIFY(m.body().startsWith("Please confirm the job.\r\n.\r\nThanks.\r\n"));
    QVERIFY(m.wire.contains("\r\n..\r\n")); // the lone dot went out stuffed
    QVERIFY(m.body().contains("Regarding booking b-42."));
    QVERIFY(m_http->requests().isEmpty()); // no phone, no SMS
}

void tst_NotificationDelivery::smsArrivesAtTheWebhookAsJson()
{
    startServer();
    const User customer = customerWithPhone(QStringLiteral("+44 20 7946 0958"));
    QCOMPARE(customer.phone, QStringLiteral("+44 20 7946 0958"));
    const Notification n = notify(customer, QStringLiteral("Job completed"),
                                  QStringLiteral("Please confirm within 48 hours."));

    QTRY_COMPARE(m_http->accepted().size(), 1);
    QTRY_COMPARE(statusesOf(deliveriesOf(n)),
                 (QStringList {QStringLiteral("email:sent"), QStringLiteral("sms:sent")}));
    QTest::qWait(500);
    QCOMPARE(m_http->requests().size(), 1);
    QCOMPARE(m_smtp->messages().size(), 1);

    const HttpSink::Request r = m_http->requests().first();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, QByteArray("/sms"));
    QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
    const QJsonObject json = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(json.value(u"to").toString(), customer.phone);
    QCOMPARE(json.value(u"body").toString(),
             QStringLiteral("Job completed: Please confirm within 48 hours."));
    QCOMPARE(json.keys(), (QStringList {QStringLiteral("body"), QStringLiteral("to")}));
}

void tst_NotificationDelivery::noSmsWithoutAPhone()
{
    startServer();
    const auto customer = m_server->account(Role::Customer);
    const Notification n = notify(customer.user, QStringLiteral("Hello"), QStringLiteral("Hi"));
    QTRY_COMPARE(m_smtp->messages().size(), 1);
    // The sink has the message before the sender has marked it sent.
    QTRY_COMPARE(statusesOf(deliveriesOf(n)), QStringList {QStringLiteral("email:sent")});
    QTest::qWait(300);
    QVERIFY(m_http->requests().isEmpty());
}

void tst_NotificationDelivery::phoneIsManagedThroughTheUsersApi_data()
{
    QTest::addColumn<QJsonValue>("phone");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("stored"); // after the PUT
    QTest::newRow("international")
        << QJsonValue(QStringLiteral("+15551234567")) << 200 << QStringLiteral("+15551234567");
    QTest::newRow("with separators") << QJsonValue(QStringLiteral(" (555) 123-4567 ")) << 200
                                     << QStringLiteral("(555) 123-4567");
    QTest::newRow("null clears") << QJsonValue(QJsonValue::Null) << 200 << QString();
    QTest::newRow("empty clears") << QJsonValue(QString()) << 200 << QString();
    QTest::newRow("letters") << QJsonValue(QStringLiteral("call me")) << 400
                             << QStringLiteral("+15550000000");
    QTest::newRow("too short") << QJsonValue(QStringLiteral("12")) << 400
                               << QStringLiteral("+15550000000");
    QTest::newRow("number") << QJsonValue(5551234567.0) << 400 << QStringLiteral("+15550000000");
}

void tst_NotificationDelivery::phoneIsManagedThroughTheUsersApi()
{
    QFETCH(QJsonValue, phone);
    QFETCH(int, status);
    QFETCH(QString, stored);
    startServer();
    const auto admin = m_server->account(Role::Admin);
    auto client = m_server->client(admin);
    const auto created
        = client->post(QStringLiteral("/users"),
                       {{QStringLiteral("name"), QStringLiteral("Cy")},
                        {QStringLiteral("email"), QStringLiteral("cy@example.com")},
                        {QStringLiteral("password"), QStringLiteral("correct horse battery")},
                        {QStringLiteral("role"), QStringLiteral("customer")},
                        {QStringLiteral("phone"), QStringLiteral("+15550000000")}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value(u"phone").toString(), QStringLiteral("+15550000000"));
    const QString id = created.json.value(u"id").toString();

    const auto r = client->put(u"/users/" + id, {{QStringLiteral("phone"), phone}});
    QCOMPARE(r.status, status);
    if (status == 400) {
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
        QCOMPARE(r.field(), QStringLiteral("phone"));
    }
    const auto read = client->get(u"/users/" + id);
    QCOMPARE(read.json.value(u"phone").toString(), stored);
    QCOMPARE(read.json.contains(u"phone"), !stored.isEmpty());
}

void tst_NotificationDelivery::channelsDownThenUpDeliverEachOnce()
{
    const quint16 smtpPort = m_smtp->port();
    m_smtp->close(); // the mail server is down: connections are refused
    m_http->status = 503; // the SMS provider answers, but fails
    startServer();
    const User customer = customerWithPhone(QStringLiteral("+15551234567"));

    constexpr int kCount = 5;
    QList<Notification> sent;
    for (int i = 0; i < kCount; ++i)
        sent << notify(customer, QStringLiteral("Update %1").arg(i),
                       QStringLiteral("Body %1").arg(i));

    // Every delivery fails a few times, and stays pending.
    const auto allTriedTwice = [&] {
        for (const Notification &n : std::as_const(sent)) {
            const auto ds = deliveriesOf(n);
            if (ds.size() != 2)
                return false;
            for (const NotificationDelivery &d : ds) {
                if (d.attempts < 2 || d.status != DeliveryStatus::Pending)
                    return false;
            }
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allTriedTwice(), 15000);
    QVERIFY(m_smtp->messages().isEmpty());
    QVERIFY(m_http->accepted().isEmpty());
    QVERIFY(!deliveriesOf(sent.first()).first().lastError.isEmpty());

    // Both come back: everything arrives, once.
    QVERIFY(m_smtp->listen(smtpPort));
    m_http->status = 200;
    QTRY_COMPARE_WITH_TIMEOUT(m_smtp->messages().size(), kCount, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(m_http->accepted().size(), kCount, 30000);
    for (const Notification &n : std::as_const(sent)) {
        QTRY_COMPARE(statusesOf(deliveriesOf(n)),
                     (QStringList {QStringLiteral("email:sent"), QStringLiteral("sms:sent")}));
    }
    QTest::qWait(1000);
    QCOMPARE(m_smtp->messages().size(), kCount);
    QCOMPARE(m_http->accepted().size(), kCount);

    QSet<QByteArray> subjects;
    QSet<QByteArray> messageIds;
    for (const SmtpSink::Message &m : m_smtp->messages()) {
        subjects << m.header("Subject");
        messageIds << m.header("Message-ID");
    }
    QCOMPARE(subjects.size(), kCount);
    QCOMPARE(messageIds.size(), kCount);
    QSet<QString> smsBodies;
    for (const HttpSink::Request &r : m_http->accepted())
        smsBodies << QJsonDocument::fromJson(r.body).object().value(u"body").toString();
    QCOMPARE(smsBodies.size(), kCount);
}

void tst_NotificationDelivery::permanentRefusalFailsAtOnce()
{
    m_smtp->options.replies.insert("RCPT", "550 5.1.1 No such mailbox");
    startServer();
    const auto customer = m_server->account(Role::Customer);
    const Notification n = notify(customer.user, QStringLiteral("Hello"), QStringLiteral("Hi"));
    QTRY_COMPARE(statusesOf(deliveriesOf(n)), QStringList {QStringLiteral("email:failed")});
    const NotificationDelivery d = deliveriesOf(n).first();
    QCOMPARE(d.attempts, 1);
    QVERIFY2(d.lastError.contains(QStringLiteral("550")), qPrintable(d.lastError));
    QTRY_VERIFY(LogCapture::lines().filter(QStringLiteral("gave up")).filter(d.id).size() == 1);
}

void tst_NotificationDelivery::givesUpAfterTheDeadline()
{
    m_http->status = 500;
    startServer([](server::ServerSettings &s) {
        s.deliveryGiveUpHours = 1.0 / 3600; // one second
    });
    const User customer = customerWithPhone(QStringLiteral("+15551234567"));
    const Notification n = notify(customer, QStringLiteral("Hello"), QStringLiteral("Hi"));
    QTRY_COMPARE_WITH_TIMEOUT(
        statusesOf(deliveriesOf(n)),
        (QStringList {QStringLiteral("email:sent"), QStringLiteral("sms:failed")}), 10000);
    const NotificationDelivery sms = deliveriesOf(n).last();
    QVERIFY(sms.attempts >= 2);
    QVERIFY2(sms.lastError.contains(QStringLiteral("HTTP 500")), qPrintable(sms.lastError));
    const int attempts = m_http->requests().size();
    QCOMPARE(attempts, sms.attempts);
    QTest::qWait(1500);
    QCOMPARE(m_http->requests().size(), attempts); // given up: no more tries
    QVERIFY(!LogCapture::lines().filter(QStringLiteral("gave up")).filter(sms.id).isEmpty());
}

void tst_NotificationDelivery::unsetChannelsAreLoggedOnly()
{
    startServer({}, false);
    const User customer = customerWithPhone(QStringLiteral("+15551234567"));
    const Notification n = notify(customer, QStringLiteral("Logged title"), QStringLiteral("Hi"));
    QVERIFY(deliveriesOf(n).isEmpty()); // nothing queued that nothing would send
    const QStringList lines = LogCapture::lines().filter(QStringLiteral("switchboard.notify"));
    QCOMPARE(lines.filter(QString(QStringLiteral("email to ") + customer.email)).size(), 1);
    QCOMPARE(lines.filter(QStringLiteral("sms to +15551234567")).size(), 1);
    QVERIFY(lines.filter(QStringLiteral("logged only")).size() >= 2);
    QTest::qWait(300);
    QVERIFY(m_smtp->messages().isEmpty());
    QVERIFY(m_http->requests().isEmpty());
}

void tst_NotificationDelivery::rolledBackNotificationSendsNothing()
{
    startServer();
    const auto customer = m_server->account(Role::Customer);
    server::ServerContext &context = m_server->instance().api().context();
    const Status undone = context.db.transaction([&](QSqlDatabase &db) -> Status {
        server::NotificationRequest request;
        request.userId = customer.user.id;
        request.title = QStringLiteral("Never");
        request.body = QStringLiteral("This transaction fails after notifying.");
        if (auto n = server::Notifier(context).notify(db, request); !n)
            return n.error();
        return Error::make(QStringLiteral("test"), QStringLiteral("roll back"));
    });
    QVERIFY(!undone);
    QTest::qWait(500);
    QVERIFY(m_smtp->messages().isEmpty());
    const auto counts = store::DeliveryRepository(m_server->database().connection()).counts();
    QVERIFY(counts);
    QCOMPARE(counts->pending + counts->sent + counts->failed, 0);
}

void tst_NotificationDelivery::stopLeavesTheSendInFlightPending()
{
    m_smtp->options.silent = true; // accepts, never answers: the send hangs
    startServer();
    const auto customer = m_server->account(Role::Customer);
    const Notification n = notify(customer.user, QStringLiteral("Hello"), QStringLiteral("Hi"));
    QTRY_COMPARE(m_smtp->connectionCount(), 1);
    m_server->instance().stop();

    const NotificationDelivery d = deliveriesOf(n).first();
    QCOMPARE(toString(d.status), QStringLiteral("pending"));
    QCOMPARE(d.attempts, 0);
    // Given back: another instance may claim it at once.
    const auto claimed = m_server->database().transaction([&](QSqlDatabase &db) {
        return store::DeliveryRepository(db).claimDue(store::DeliveryChannel::Email,
                                                      QDateTime::currentDateTimeUtc(), 10,
                                                      QStringLiteral("next-instance"), 60000);
    });
    QVERIFY(claimed);
    QCOMPARE(claimed->size(), 1);
    QCOMPARE(claimed->first().id, d.id);
}

// A mail server and an SMS webhook that accept and never answer hold up neither the workflow's
// requests (sends happen off the request path) nor the server's shutdown (stop abandons them).
void tst_NotificationDelivery::hangingChannelsBlockNeitherRequestsNorShutdown()
{
    m_smtp->options.silent = true;
    m_http->hang = true;
    startServer();
    BookingFlow flow(*m_server);
    const auto admin = m_server->account(Role::Admin);
    QCOMPARE(m_server->client(admin)
                 ->put(u"/users/" + flow.customer.user.id,
                       {{QStringLiteral("phone"), QStringLiteral("+15557654321")}})
                 .status,
             200);
    const QString bookingId = BookingFlow::id(flow.completed()); // notifies the customer
    QVERIFY(!bookingId.isEmpty());
    QTRY_COMPARE(m_smtp->connectionCount(), 1);
    QTRY_COMPARE(m_http->requests().size(), 1); // both channels now hang

    QElapsedTimer timer;
    timer.start();
    const QJsonObject approved
        = flow.step(*flow.asCustomer, u"/bookings/" + bookingId + u"/respond-completion",
                    {{QStringLiteral("approved"), true}}); // notifies more people
    QVERIFY(!approved.isEmpty());
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_server->client(admin)->get(QStringLiteral("/users")).status, 200);

    timer.restart();
    m_server->instance().stop();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    const auto counts = store::DeliveryRepository(m_server->database().connection()).counts();
    QVERIFY(counts);
    QVERIFY(counts->pending >= 3);
    QCOMPARE(counts->sent, 0);
    QCOMPARE(counts->failed, 0);
}

void tst_NotificationDelivery::smtpPasswordNeverInALogLine()
{
    const QString password = QStringLiteral("S3cr3t-pa55");
    m_smtp->options.authMechanisms = {"PLAIN", "LOGIN"};
    m_smtp->options.acceptAuth = false;
    const QString url
        = QStringLiteral("smtp://mailer:%1@127.0.0.1:%2").arg(password).arg(m_smtp->port());
    startServer([url](server::ServerSettings &s) { s.smtpUrl = url; });
    const auto customer = m_server->account(Role::Customer);
    const Notification n = notify(customer.user, QStringLiteral("Hello"), QStringLiteral("Hi"));
    QTRY_VERIFY(deliveriesOf(n).value(0).attempts >= 2);
    QCOMPARE(m_smtp->messages().size(), 0);

    // The sink saw the password (so it was really used), the logs and the table never do.
    const QList<QByteArray> commands = m_smtp->commands();
    QVERIFY(std::count_if(commands.cbegin(), commands.cend(),
                          [](const QByteArray &c) { return c.startsWith("AUTH PLAIN "); })
            >= 2);
    const QByteArray token = QByteArray("\0mailer\0", 8) + password.toUtf8();
    const QStringList secrets {password, QString::fromLatin1(token.toBase64()),
                               QString::fromLatin1(password.toUtf8().toBase64())};
    const QStringList lines = LogCapture::lines();
    QVERIFY(!lines.filter(QStringLiteral("authentication refused")).isEmpty());
    for (const QString &secret : secrets) {
        QVERIFY2(lines.filter(secret).isEmpty(), qPrintable(lines.filter(secret).join(u'\n')));
        QVERIFY(!deliveriesOf(n).value(0).lastError.contains(secret));
    }
    QVERIFY(lines.filter(QStringLiteral("smtp://127.0.0.1:")).size() >= 1);
}

QTEST_GUILESS_MAIN(tst_NotificationDelivery)
#include "tst_notificationdelivery.moc"
