// The scheduler as an admin and the fake clock drive it: which jobs a clock move runs (once
// each), running one now, who may, and that a second run changes nothing. Plus the real-clock
// timer and the schedules' settings.
#include <support/seeder.h>
#include <support/testserver.h>

#include <domain/slaclock.h>
#include <domain/timeformat.h>
#include <server/scheduler.h>
#include <server/serversettings.h>
#include <store/ticketrepository.h>

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace sb;
using namespace sb::test;

namespace {

const QStringList kJobs = {
    QStringLiteral("autoEscalateCompletionRequests"), QStringLiteral("sendCompletionReminders"),
    QStringLiteral("autoCompleteUnreachable"),        QStringLiteral("markSlaBreaches"),
    QStringLiteral("autoCloseResolvedTickets"),       QStringLiteral("purgeExpiredData"),
};

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs).toUTC();
}

QDateTime timeOf(const QJsonValue &value)
{
    return parseIsoUtc(value.toString()).value_or(QDateTime());
}

// A clock at a fixed offset from the real one: real timers, a chosen wall time.
class OffsetClock final : public Clock
{
public:
    explicit OffsetClock(qint64 offsetMs)
        : m_offsetMs(offsetMs)
    { }
    QDateTime now() const override { return QDateTime::currentDateTimeUtc().addMSecs(m_offsetMs); }

private:
    qint64 m_offsetMs;
};

} // namespace

class tst_Scheduler : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void listsTheJobsWithTheirSchedules();
    void clockMoveRunsEachDueJobOnce_data();
    void clockMoveRunsEachDueJobOnce();
    void runsAJobNow();
    void unknownJobIsNotFound();
    void onlyAdminsRunJobs_data();
    void onlyAdminsRunJobs();
    void markSlaBreachesStoresTheFlagsOnce();
    void markSlaBreachesLeavesPausedAndMetTicketsAlone();
    void autoCloseClosesResolvedTicketsAfterTheirDays_data();
    void autoCloseClosesResolvedTicketsAfterTheirDays();
    void schedulesComeFromSettings();
    void invalidScheduleSettingNamesTheKey();
    void realClockTimerRunsAJobWhenDue();

private:
    QJsonObject job(const QString &name);
    TestClient &admin() { return *m_admin; }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_admin;
};

void tst_Scheduler::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
}

void tst_Scheduler::init()
{
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    m_admin = m_server->client(m_server->account(Role::Admin));
}

void tst_Scheduler::cleanup()
{
    m_admin.reset();
    m_server.reset();
}

QJsonObject tst_Scheduler::job(const QString &name)
{
    const auto reply = admin().get(QStringLiteral("/admin/jobs"));
    for (const QJsonValue &item : reply.json.value(u"items").toArray()) {
        if (item.toObject().value(u"name").toString() == name)
            return item.toObject();
    }
    return {};
}

void tst_Scheduler::listsTheJobsWithTheirSchedules()
{
    const auto reply = admin().get(QStringLiteral("/admin/jobs"));
    QCOMPARE(reply.status, 200);
    const QJsonArray items = reply.json.value(u"items").toArray();
    QStringList names;
    QStringList schedules;
    for (const QJsonValue &item : items) {
        names << item.toObject().value(u"name").toString();
        schedules << item.toObject().value(u"schedule").toString();
        QVERIFY(timeOf(item.toObject().value(u"nextRunAt")).isValid());
        QVERIFY(item.toObject().value(u"lastRun").isNull());
    }
    QCOMPARE(names, kJobs);
    // The spec's node-cron lines, and ours for the three jobs it does not have.
    QCOMPARE(schedules,
             (QStringList {QStringLiteral("0 * * * *"), QStringLiteral("0 */12 * * *"),
                           QStringLiteral("0 2 * * *"), QStringLiteral("*/5 * * * *"),
                           QStringLiteral("0 3 * * *"), QStringLiteral("17 * * * *")}));
}

void tst_Scheduler::clockMoveRunsEachDueJobOnce_data()
{
    QTest::addColumn<int>("advanceSeconds");
    QTest::addColumn<QStringList>("ran");

    // From Monday 2026-01-05 09:30 UTC.
    QTest::newRow("1 minute: nothing due") << 60 << QStringList {};
    QTest::newRow("5 minutes: the SLA sweep")
        << 300 << QStringList {QStringLiteral("markSlaBreaches")};
    QTest::newRow("30 minutes: escalation on the hour")
        << 1800
        << QStringList {QStringLiteral("autoEscalateCompletionRequests"),
                        QStringLiteral("markSlaBreaches")};
    QTest::newRow("to 02:00 next day: all but auto-close")
        << (16 * 3600 + 30 * 60)
        << QStringList {QStringLiteral("autoEscalateCompletionRequests"),
                        QStringLiteral("sendCompletionReminders"),
                        QStringLiteral("autoCompleteUnreachable"),
                        QStringLiteral("markSlaBreaches"), QStringLiteral("purgeExpiredData")};
    QTest::newRow("49 hours: every job, once") << 49 * 3600 << kJobs;
}

void tst_Scheduler::clockMoveRunsEachDueJobOnce()
{
    QFETCH(int, advanceSeconds);
    QFETCH(QStringList, ran);
    m_server->clock().set(utc("2026-01-05T09:30:00Z"));

    const auto moved = admin().post(QStringLiteral("/admin/clock"),
                                    {{QStringLiteral("advanceSeconds"), advanceSeconds}});
    QCOMPARE(moved.status, 200);
    const QDateTime now = utc("2026-01-05T09:30:00Z").addSecs(advanceSeconds);
    QCOMPARE(timeOf(moved.json.value(u"now")), now);

    for (const QString &name : kJobs) {
        const QJsonObject j = job(name);
        const bool expected = ran.contains(name);
        // However many firings the jump spanned (49 of the hourly one), a due job ran once, at
        // the time the clock reached.
        QCOMPARE(j.value(u"runs").toInt(), expected ? 1 : 0);
        if (expected) {
            QCOMPARE(timeOf(j.value(u"lastRun").toObject().value(u"ranAt")), now);
        }
    }
}

void tst_Scheduler::runsAJobNow()
{
    const auto reply = admin().post(QStringLiteral("/admin/jobs/markSlaBreaches/run"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(u"job").toString(), QStringLiteral("markSlaBreaches"));
    QCOMPARE(reply.json.value(u"changed").toInt(-1), 0);
    QCOMPARE(timeOf(reply.json.value(u"ranAt")), m_server->clock().now());
    QCOMPARE(job(QStringLiteral("markSlaBreaches")).value(u"runs").toInt(), 1);
}

void tst_Scheduler::unknownJobIsNotFound()
{
    const auto reply = admin().post(QStringLiteral("/admin/jobs/deleteEverything/run"));
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.errorCode(), QStringLiteral("not_found"));
}

void tst_Scheduler::onlyAdminsRunJobs_data()
{
    QTest::addColumn<int>("role"); // -1: not signed in
    QTest::addColumn<int>("status");
    QTest::newRow("support agent") << int(Role::Support) << 403;
    QTest::newRow("customer") << int(Role::Customer) << 403;
    QTest::newRow("technician") << int(Role::Technician) << 403;
    QTest::newRow("anonymous") << -1 << 401;
}

void tst_Scheduler::onlyAdminsRunJobs()
{
    QFETCH(int, role);
    QFETCH(int, status);
    auto client
        = role < 0 ? m_server->anonymousClient() : m_server->client(m_server->account(Role(role)));
    QCOMPARE(client->post(QStringLiteral("/admin/jobs/autoEscalateCompletionRequests/run")).status,
             status);
    QCOMPARE(client->get(QStringLiteral("/admin/jobs")).status, status);
    QCOMPARE(job(QStringLiteral("autoEscalateCompletionRequests")).value(u"runs").toInt(), 0);
}

void tst_Scheduler::markSlaBreachesStoresTheFlagsOnce()
{
    const QDateTime now = m_server->clock().now();
    Seeder seed(m_server->database(), now.addDays(-2));
    const User customer = seed.customer();
    const Ticket overdue = seed.ticket(customer.id, [&](Ticket &t) {
        t.sla.firstResponseDueAt = now.addSecs(-60);
        t.sla.resolutionDueAt = now.addSecs(3600);
    });
    const Ticket onTime = seed.ticket(customer.id, [&](Ticket &t) {
        t.sla.firstResponseDueAt = now.addSecs(60);
        t.sla.resolutionDueAt = now.addSecs(3600);
    });

    const auto first = admin().post(QStringLiteral("/admin/jobs/markSlaBreaches/run"));
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json.value(u"changed").toInt(), 1);
    const auto stored
        = store::TicketRepository(m_server->database().connection()).findById(overdue.id);
    QVERIFY(stored && *stored);
    QVERIFY((*stored)->sla.firstResponseBreached);
    QVERIFY(!(*stored)->sla.resolutionBreached);
    QCOMPARE((*stored)->version, overdue.version + 1); // clients' If-Match learns of it
    QCOMPARE((*stored)->updatedAt, overdue.updatedAt); // not an activity

    const auto second = admin().post(QStringLiteral("/admin/jobs/markSlaBreaches/run"));
    QCOMPARE(second.json.value(u"changed").toInt(-1), 0);

    // Later the other ticket's target passes too: only it changes.
    m_server->clock().advance(120);
    QCOMPARE(admin()
                 .post(QStringLiteral("/admin/jobs/markSlaBreaches/run"))
                 .json.value(u"changed")
                 .toInt(),
             1);
    const auto later
        = store::TicketRepository(m_server->database().connection()).findById(onTime.id);
    QVERIFY(later && *later && (*later)->sla.firstResponseBreached);
}

void tst_Scheduler::markSlaBreachesLeavesPausedAndMetTicketsAlone()
{
    const QDateTime now = m_server->clock().now();
    Seeder seed(m_server->database(), now.addDays(-2));
    const User customer = seed.customer();
    // Waiting on the customer since before its due time: the clock stands still.
    seed.ticket(customer.id, [&](Ticket &t) {
        t.status = TicketStatus::Pending;
        t.sla.firstResponseDueAt = now.addSecs(-60);
        t.sla.firstResponseAt = now.addSecs(-3600);
        t.sla.resolutionDueAt = now.addSecs(-60);
        t.sla.pausedSince = now.addSecs(-120);
    });
    // Answered in time, resolved in time.
    seed.ticket(customer.id, [&](Ticket &t) {
        t.status = TicketStatus::Resolved;
        t.sla.firstResponseDueAt = now.addSecs(-600);
        t.sla.firstResponseAt = now.addSecs(-900);
        t.sla.resolutionDueAt = now.addSecs(-60);
        t.sla.resolvedAt = now.addSecs(-300);
    });
    const auto reply = admin().post(QStringLiteral("/admin/jobs/markSlaBreaches/run"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(u"changed").toInt(-1), 0);
}

void tst_Scheduler::autoCloseClosesResolvedTicketsAfterTheirDays_data()
{
    QTest::addColumn<double>("daysInactive");
    QTest::addColumn<QString>("status");
    QTest::newRow("6 days: stays resolved") << 6.0 << QStringLiteral("resolved");
    QTest::newRow("7 days and a minute: closed") << 7.001 << QStringLiteral("closed");
    QTest::newRow("8 days: closed") << 8.0 << QStringLiteral("closed");
}

void tst_Scheduler::autoCloseClosesResolvedTicketsAfterTheirDays()
{
    QFETCH(double, daysInactive);
    QFETCH(QString, status);
    const QDateTime now = m_server->clock().now();
    const QDateTime resolvedAt = now.addSecs(qint64(-daysInactive * 86400));
    Seeder seed(m_server->database(), resolvedAt.addDays(-1));
    const auto customer = m_server->account(Role::Customer);
    const Ticket ticket = seed.ticket(customer.user.id, [&](Ticket &t) {
        t.status = TicketStatus::Resolved;
        t.sla.firstResponseDueAt = resolvedAt.addSecs(60);
        t.sla.firstResponseAt = resolvedAt.addSecs(-60);
        t.sla.resolutionDueAt = resolvedAt.addSecs(60);
        t.sla.resolvedAt = resolvedAt;
        t.resolution = TicketResolution {
            QStringLiteral("Refunded"), ResolutionType::Solved, {}, {}, resolvedAt};
        t.updatedAt = resolvedAt;
    });
    // A still-open ticket as old is not the job's business.
    seed.ticket(customer.user.id, [&](Ticket &t) {
        t.status = TicketStatus::InProgress;
        t.updatedAt = resolvedAt;
    });

    const bool closes = status == u"closed";
    const auto first = admin().post(QStringLiteral("/admin/jobs/autoCloseResolvedTickets/run"));
    QCOMPARE(first.status, 200);
    QCOMPARE(first.json.value(u"changed").toInt(-1), closes ? 1 : 0);
    const auto second = admin().post(QStringLiteral("/admin/jobs/autoCloseResolvedTickets/run"));
    QCOMPARE(second.json.value(u"changed").toInt(-1), 0);

    // What the customer sees: the status, and one change for it in the sync log.
    auto asCustomer = m_server->client(customer);
    const auto seen = asCustomer->get(u"/support/tickets/" + ticket.id);
    QCOMPARE(seen.status, 200);
    QCOMPARE(seen.json.value(u"status").toString(), status);
    const auto changes = asCustomer->get(QStringLiteral("/sync/changes?since=0&limit=1000"));
    QCOMPARE(changes.status, 200);
    int ticketChanges = 0;
    for (const QJsonValue &c : changes.json.value(u"changes").toArray()) {
        if (c.toObject().value(u"id").toString() == ticket.id) {
            ++ticketChanges;
            QCOMPARE(c.toObject().value(u"data").toObject().value(u"status").toString(),
                     QStringLiteral("closed"));
        }
    }
    QCOMPARE(ticketChanges, closes ? 1 : 0);
}

void tst_Scheduler::schedulesComeFromSettings()
{
    m_admin.reset();
    m_server.reset();
    QString error;
    m_server = TestServer::start(&error, [](server::ServerSettings &s) {
        const Status applied = s.apply(
            {{QStringLiteral("SWITCHBOARD_CRON_AUTO_ESCALATE"), QStringLiteral("*/10 * * * *")},
             {QStringLiteral("SWITCHBOARD_CRON_AUTO_CLOSE"), QStringLiteral("@weekly")}});
        QVERIFY(applied);
    });
    QVERIFY2(m_server, qPrintable(error));
    m_admin = m_server->client(m_server->account(Role::Admin));
    QCOMPARE(job(QStringLiteral("autoEscalateCompletionRequests")).value(u"schedule").toString(),
             QStringLiteral("*/10 * * * *"));
    QCOMPARE(job(QStringLiteral("autoCloseResolvedTickets")).value(u"schedule").toString(),
             QStringLiteral("@weekly"));

    m_server->clock().set(utc("2026-01-05T09:30:00Z"));
    QCOMPARE(admin()
                 .post(QStringLiteral("/admin/clock"), {{QStringLiteral("advanceSeconds"), 600}})
                 .status,
             200);
    QCOMPARE(job(QStringLiteral("autoEscalateCompletionRequests")).value(u"runs").toInt(), 1);
}

void tst_Scheduler::invalidScheduleSettingNamesTheKey()
{
    server::ServerSettings settings;
    const Status applied = settings.apply(
        {{QStringLiteral("SWITCHBOARD_CRON_SLA_BREACHES"), QStringLiteral("*/5 * * *")}});
    QVERIFY(!applied);
    QCOMPARE(applied.error().details.value(u"field").toString(),
             QStringLiteral("SWITCHBOARD_CRON_SLA_BREACHES"));
    QCOMPARE(settings.cronSlaBreaches, QStringLiteral("*/5 * * * *")); // the default stays
}

void tst_Scheduler::realClockTimerRunsAJobWhenDue()
{
    // A clock whose wall time is 300 ms before a whole minute: the timer must wake then.
    const QDateTime minute = utc("2026-01-05T10:00:00Z");
    OffsetClock shifted(QDateTime::currentDateTimeUtc().msecsTo(minute.addMSecs(-300)));

    server::Scheduler scheduler(shifted);
    QList<QDateTime> ranAt;
    auto everyMinute = server::CronSchedule::parse(QStringLiteral("* * * * *"));
    QVERIFY(everyMinute);
    scheduler.add(QStringLiteral("tick"), *everyMinute, [&](const QDateTime &now) {
        ranAt << now;
        return Result<int>(0);
    });
    scheduler.start();
    QTRY_COMPARE_WITH_TIMEOUT(ranAt.size(), 1, 5000);
    QVERIFY(ranAt.first() >= minute);
    QVERIFY(ranAt.first() < minute.addSecs(5));
    // Not again within the same minute.
    QTest::qWait(300);
    QCOMPARE(ranAt.size(), 1);
    scheduler.stop();
}

QTEST_GUILESS_MAIN(tst_Scheduler)
#include "tst_scheduler.moc"
