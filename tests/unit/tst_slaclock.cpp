#include <domain/slaclock.h>

#include <QJsonDocument>
#include <QTest>

using namespace sb;

namespace {

QDateTime at(const QString &iso)
{
    if (iso.isEmpty())
        return {};
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        qFatal("bad test time %s", qPrintable(iso));
    return t;
}

QJsonObject parse(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        qFatal("bad test JSON %s", json.constData());
    return doc.object();
}

constexpr char kWeekdays[]
    = R"("hours":{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],
             "thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]]})";

// Default targets on the calendars the tables name.
SlaPolicy policyOn(const QString &calendar)
{
    QByteArray json;
    if (calendar == "utc247")
        json = "{}";
    else if (calendar == "berlin247")
        json = R"({"timeZone":"Europe/Berlin"})";
    else if (calendar == "berlinWeekdays")
        json = QByteArray(R"({"timeZone":"Europe/Berlin",)") + kWeekdays + "}";
    else if (calendar == "berlinXmas")
        json = QByteArray(R"({"timeZone":"Europe/Berlin","holidays":["2026-12-24","2026-12-25"],)")
            + kWeekdays + "}";
    else if (calendar == "nyWeekdays")
        json = QByteArray(R"({"timeZone":"America/New_York",)") + kWeekdays + "}";
    else
        qFatal("unknown test calendar %s", qPrintable(calendar));
    const auto parsed = BusinessCalendar::fromJson(parse(json));
    if (!parsed)
        qFatal("bad test calendar %s: %s", qPrintable(calendar),
               qPrintable(parsed.error().message));
    SlaPolicy policy;
    policy.setCalendar(*parsed);
    return policy;
}

// A ticket's SLA as the service drives it: created, then optionally answered and paused.
struct Story
{
    SlaPolicy policy;
    TicketPriority priority;
    QDateTime created;
    TicketSla sla;

    Story(const QString &calendar, TicketPriority p, const QString &createdAt)
        : policy(policyOn(calendar))
        , priority(p)
        , created(at(createdAt))
        , sla(startSla(policy, p, created))
    { }
};

// Compare instants, printed in UTC when they differ.
#define COMPARE_TIME(actual, expected) QCOMPARE((actual).toUTC(), at(expected).toUTC())

constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 3600;

} // namespace

class tst_SlaClock : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void defaultTargets_data();
    void defaultTargets();
    void policyJson();
    void policyJsonRefusals_data();
    void policyJsonRefusals();
    void setTargetsRefusesNonPositive();

    void startSla_data();
    void startSla();
    void breachEdges_data();
    void breachEdges();
    void pendingPause_data();
    void pendingPause();
    void notBreachedWhilePausedThenBreached();
    void pendingToResolved_data();
    void pendingToResolved();
    void resolvedDuringPause();
    void priorityChange_data();
    void priorityChange();
    void priorityChangeWhilePaused();
    void breachFlagsAreSticky();
    void nextBreachFlagChange_data();
    void nextBreachFlagChange();
    void onlyFirstResponseCounts();
    void reopenKeepsDueTime();
    void secondsLeft_data();
    void secondsLeft();
    void nextReplyDue();
};

// The DST rows need the system tz database (package tzdata); fail loudly without it.
void tst_SlaClock::initTestCase()
{
    for (const char *id : {"Europe/Berlin", "America/New_York"})
        QVERIFY2(QTimeZone(id).isValid(),
                 qPrintable(QStringLiteral("time zone %1 unknown: install the tz database "
                                           "(Debian package tzdata, /usr/share/zoneinfo)")
                                .arg(QLatin1StringView(id))));
}

void tst_SlaClock::defaultTargets_data()
{
    QTest::addColumn<TicketPriority>("priority");
    QTest::addColumn<qint64>("firstResponse");
    QTest::addColumn<qint64>("nextReply");
    QTest::addColumn<qint64>("resolution");
    QTest::newRow("urgent") << TicketPriority::Urgent << 1 * kHour << 1 * kHour << 4 * kHour;
    QTest::newRow("high") << TicketPriority::High << 4 * kHour << 4 * kHour << 24 * kHour;
    QTest::newRow("medium") << TicketPriority::Medium << 8 * kHour << 8 * kHour << 48 * kHour;
    QTest::newRow("low") << TicketPriority::Low << 24 * kHour << 24 * kHour << 72 * kHour;
}

void tst_SlaClock::defaultTargets()
{
    QFETCH(TicketPriority, priority);
    QFETCH(qint64, firstResponse);
    QFETCH(qint64, nextReply);
    QFETCH(qint64, resolution);
    const SlaTargets expected {firstResponse, nextReply, resolution};
    QVERIFY(SlaPolicy::defaultTargets(priority) == expected);
    QVERIFY(SlaPolicy().targets(priority) == expected);
    QVERIFY(SlaPolicy().calendar() == BusinessCalendar());
}

void tst_SlaClock::policyJson()
{
    const QJsonObject defaults = SlaPolicy().toJson();
    QCOMPARE(defaults.value("urgent").toObject(),
             parse(R"({"firstResponseMinutes":60,"nextReplyMinutes":60,"resolutionMinutes":240})"));
    QCOMPARE(defaults.value("low").toObject().value("resolutionMinutes").toDouble(), 72 * 60.0);
    QVERIFY(SlaPolicy::fromJson(defaults).value() == SlaPolicy());
    QVERIFY(SlaPolicy::fromJson({}).value() == SlaPolicy());

    // Absent fields keep their defaults; fractional minutes are kept to the second.
    const auto custom = SlaPolicy::fromJson(parse(R"({
        "urgent": {"firstResponseMinutes": 30},
        "low": {"nextReplyMinutes": 0.5},
        "calendar": {"timeZone": "Europe/Berlin", "hours": {"mon": [["09:00","17:00"]]}}
    })"));
    QVERIFY2(custom.ok(), qPrintable(custom.ok() ? QString() : custom.error().message));
    QVERIFY(custom->targets(TicketPriority::Urgent)
            == (SlaTargets {30 * kMinute, kHour, 4 * kHour}));
    QCOMPARE(custom->targets(TicketPriority::Low).nextReplySeconds, 30);
    QVERIFY(custom->targets(TicketPriority::High)
            == SlaPolicy::defaultTargets(TicketPriority::High));
    QCOMPARE(custom->calendar().timeZone().id(), QByteArray("Europe/Berlin"));
    QVERIFY(custom->calendar().hours(Qt::Tuesday).isEmpty());

    const auto again = SlaPolicy::fromJson(custom->toJson());
    QVERIFY(again.ok());
    QVERIFY(*again == *custom);
}

void tst_SlaClock::policyJsonRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("unknown priority") << QByteArray(R"({"critical":{}})") << "critical";
    QTest::newRow("priority case") << QByteArray(R"({"URGENT":{}})") << "URGENT";
    QTest::newRow("priority not an object") << QByteArray(R"({"urgent":60})") << "urgent";
    QTest::newRow("zero") << QByteArray(R"({"urgent":{"firstResponseMinutes":0}})")
                          << "urgent.firstResponseMinutes";
    QTest::newRow("negative") << QByteArray(R"({"high":{"nextReplyMinutes":-5}})")
                              << "high.nextReplyMinutes";
    QTest::newRow("string") << QByteArray(R"({"low":{"resolutionMinutes":"60"}})")
                            << "low.resolutionMinutes";
    QTest::newRow("null") << QByteArray(R"({"low":{"resolutionMinutes":null}})")
                          << "low.resolutionMinutes";
    QTest::newRow("under a second")
        << QByteArray(R"({"low":{"resolutionMinutes":0.001}})") << "low.resolutionMinutes";
    QTest::newRow("over 90 days") << QByteArray(R"({"medium":{"resolutionMinutes":200000}})")
                                  << "medium.resolutionMinutes";
    QTest::newRow("unknown target")
        << QByteArray(R"({"urgent":{"firstResponse":60}})") << "urgent.firstResponse";
    QTest::newRow("calendar not an object") << QByteArray(R"({"calendar":[]})") << "calendar";
    QTest::newRow("calendar zone")
        << QByteArray(R"({"calendar":{"timeZone":"Nope/Nowhere"}})") << "calendar.timeZone";
    QTest::newRow("calendar hours")
        << QByteArray(R"({"calendar":{"hours":{"mon":[["10:00","09:00"]]}}})")
        << "calendar.hours.mon[0]";
}

void tst_SlaClock::policyJsonRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const auto policy = SlaPolicy::fromJson(parse(json));
    QVERIFY(!policy.ok());
    QCOMPARE(policy.error().code, "invalid_field");
    QCOMPARE(policy.error().details.value("field").toString(), field);
    QVERIFY2(policy.error().message.startsWith(field), qPrintable(policy.error().message));
}

void tst_SlaClock::setTargetsRefusesNonPositive()
{
    SlaPolicy policy;
    const Status refused = policy.setTargets(TicketPriority::High, {0, kHour, kHour});
    QVERIFY(!refused);
    QCOMPARE(refused.error().details.value("field").toString(), "high.firstResponseMinutes");
    QVERIFY(policy.targets(TicketPriority::High)
            == SlaPolicy::defaultTargets(TicketPriority::High));
    QVERIFY(policy.setTargets(TicketPriority::High, {kMinute, kMinute, kHour}));
    QCOMPARE(policy.targets(TicketPriority::High).firstResponseSeconds, kMinute);
}

void tst_SlaClock::startSla_data()
{
    QTest::addColumn<QString>("calendar");
    QTest::addColumn<TicketPriority>("priority");
    QTest::addColumn<QString>("created");
    QTest::addColumn<QString>("firstResponseDue");
    QTest::addColumn<QString>("resolutionDue");

    QTest::newRow("24/7 urgent") << "utc247" << TicketPriority::Urgent << "2026-06-01T10:00:00Z"
                                 << "2026-06-01T11:00:00Z"
                                 << "2026-06-01T14:00:00Z";
    QTest::newRow("24/7 low") << "utc247" << TicketPriority::Low << "2026-06-01T10:00:00Z"
                              << "2026-06-02T10:00:00Z"
                              << "2026-06-04T10:00:00Z";
    QTest::newRow("high over a weekend")
        << "berlinWeekdays" << TicketPriority::High << "2026-06-05T15:00:00+02:00"
        << "2026-06-08T11:00:00+02:00"
        << "2026-06-10T15:00:00+02:00";
    QTest::newRow("medium created on saturday")
        << "berlinWeekdays" << TicketPriority::Medium << "2026-06-06T10:00:00+02:00"
        << "2026-06-08T17:00:00+02:00"
        << "2026-06-15T17:00:00+02:00";
    QTest::newRow("urgent over the spring change")
        << "berlinWeekdays" << TicketPriority::Urgent << "2026-03-27T16:30:00+01:00"
        << "2026-03-30T09:30:00+02:00"
        << "2026-03-30T12:30:00+02:00";
    QTest::newRow("high over the autumn change")
        << "berlinWeekdays" << TicketPriority::High << "2026-10-23T15:00:00+02:00"
        << "2026-10-26T11:00:00+01:00"
        << "2026-10-28T15:00:00+01:00";
    QTest::newRow("urgent over christmas")
        << "berlinXmas" << TicketPriority::Urgent << "2026-12-23T16:30:00+01:00"
        << "2026-12-28T09:30:00+01:00"
        << "2026-12-28T12:30:00+01:00";
    QTest::newRow("low over the new york autumn change")
        << "nyWeekdays" << TicketPriority::Low << "2026-10-30T09:00:00-04:00"
        << "2026-11-03T17:00:00-05:00"
        << "2026-11-11T17:00:00-05:00";
    QTest::newRow("24/7 berlin through the jump")
        << "berlin247" << TicketPriority::Urgent << "2026-03-29T01:30:00+01:00"
        << "2026-03-29T03:30:00+02:00"
        << "2026-03-29T06:30:00+02:00";
}

void tst_SlaClock::startSla()
{
    QFETCH(QString, calendar);
    QFETCH(TicketPriority, priority);
    QFETCH(QString, created);
    QFETCH(QString, firstResponseDue);
    QFETCH(QString, resolutionDue);

    const TicketSla sla = sb::startSla(policyOn(calendar), priority, at(created));
    COMPARE_TIME(sla.firstResponseDueAt, firstResponseDue);
    COMPARE_TIME(sla.resolutionDueAt, resolutionDue);
    QVERIFY(!sla.firstResponseAt.isValid());
    QVERIFY(!sla.resolvedAt.isValid());
    QVERIFY(!sla.pausedSince.isValid());
    QCOMPARE(sla.pausedSeconds, 0);
    QVERIFY(!sla.firstResponseBreached && !sla.resolutionBreached);
}

void tst_SlaClock::breachEdges_data()
{
    QTest::addColumn<bool>("resolution"); // else first response
    QTest::addColumn<qint64>("nowMs"); // relative to the due time
    QTest::addColumn<bool>("met");
    QTest::addColumn<qint64>("metMs"); // relative to the due time
    QTest::addColumn<bool>("breached");

    for (const bool resolution : {false, true}) {
        const char *name = resolution ? "resolution" : "first response";
        const auto row = [&](const char *what) {
            return &QTest::newRow(qPrintable(QStringLiteral("%1, %2").arg(name, what)));
        };
        *row("1 ms before due") << resolution << -1LL << false << 0LL << false;
        *row("at due") << resolution << 0LL << false << 0LL << false;
        *row("1 ms after due") << resolution << 1LL << false << 0LL << true;
        *row("met 1 ms before due") << resolution << 3600000LL << true << -1LL << false;
        *row("met at due") << resolution << 3600000LL << true << 0LL << false;
        *row("met 1 ms after due") << resolution << 3600000LL << true << 1LL << true;
    }
}

void tst_SlaClock::breachEdges()
{
    QFETCH(bool, resolution);
    QFETCH(qint64, nowMs);
    QFETCH(bool, met);
    QFETCH(qint64, metMs);
    QFETCH(bool, breached);

    Story s("utc247", TicketPriority::Urgent, "2026-06-01T10:00:00Z");
    const QDateTime due = resolution ? s.sla.resolutionDueAt : s.sla.firstResponseDueAt;
    COMPARE_TIME(due, resolution ? "2026-06-01T14:00:00Z" : "2026-06-01T11:00:00Z");
    if (met)
        (resolution ? recordResolution : recordFirstResponse)(s.sla, due.addMSecs(metMs));
    const QDateTime now = due.addMSecs(nowMs);
    QCOMPARE((resolution ? resolutionBreached : firstResponseBreached)(s.sla, now), breached);
    refreshBreachFlags(s.sla, now);
    QCOMPARE(resolution ? s.sla.resolutionBreached : s.sla.firstResponseBreached, breached);
}

void tst_SlaClock::pendingPause_data()
{
    QTest::addColumn<QString>("calendar");
    QTest::addColumn<TicketPriority>("priority");
    QTest::addColumn<QString>("created");
    QTest::addColumn<QString>("respondedAt"); // empty: not before the pause
    QTest::addColumn<QString>("pauseAt");
    QTest::addColumn<QString>("resumeAt");
    QTest::addColumn<qint64>("pausedSeconds");
    QTest::addColumn<QString>("firstResponseDue");
    QTest::addColumn<QString>("resolutionDue");

    const QString monday9 = "2026-06-08T09:00:00+02:00";
    QTest::newRow("within the day")
        << "berlinWeekdays" << TicketPriority::Urgent << monday9 << QString()
        << "2026-06-08T09:30:00+02:00"
        << "2026-06-08T11:15:00+02:00" << 105 * kMinute << "2026-06-08T11:45:00+02:00"
        << "2026-06-08T14:45:00+02:00";
    QTest::newRow("overnight counts business time only")
        << "berlinWeekdays" << TicketPriority::Low << monday9 << QString()
        << "2026-06-08T16:00:00+02:00"
        << "2026-06-09T10:00:00+02:00" << 2 * kHour << "2026-06-11T11:00:00+02:00"
        << "2026-06-19T11:00:00+02:00";
    QTest::newRow("due passes while paused")
        << "berlinWeekdays" << TicketPriority::Urgent << monday9 << QString()
        << "2026-06-08T09:30:00+02:00"
        << "2026-06-09T09:00:00+02:00" << 450 * kMinute << "2026-06-09T09:30:00+02:00"
        << "2026-06-09T12:30:00+02:00";
    QTest::newRow("missed before the pause stays put")
        << "berlinWeekdays" << TicketPriority::Urgent << monday9 << QString()
        << "2026-06-08T10:30:00+02:00"
        << "2026-06-08T12:00:00+02:00" << 90 * kMinute << "2026-06-08T10:00:00+02:00"
        << "2026-06-08T14:30:00+02:00";
    QTest::newRow("answered before the pause")
        << "berlinWeekdays" << TicketPriority::Urgent << monday9 << "2026-06-08T09:10:00+02:00"
        << "2026-06-08T09:30:00+02:00"
        << "2026-06-08T11:30:00+02:00" << 2 * kHour << "2026-06-08T10:00:00+02:00"
        << "2026-06-08T15:00:00+02:00";
    QTest::newRow("paused outside hours")
        << "berlinWeekdays" << TicketPriority::Low << monday9 << QString()
        << "2026-06-08T17:30:00+02:00"
        << "2026-06-09T08:30:00+02:00" << 0LL << "2026-06-10T17:00:00+02:00"
        << "2026-06-18T17:00:00+02:00";
    QTest::newRow("weekend pause over the spring change")
        << "berlinWeekdays" << TicketPriority::Low << "2026-03-27T09:00:00+01:00" << QString()
        << "2026-03-27T16:00:00+01:00"
        << "2026-03-30T10:00:00+02:00" << 2 * kHour << "2026-04-01T11:00:00+02:00"
        << "2026-04-09T11:00:00+02:00";
    QTest::newRow("24/7 pause over the autumn change")
        << "berlin247" << TicketPriority::Low << "2026-10-24T12:00:00+02:00" << QString()
        << "2026-10-25T00:00:00+02:00"
        << "2026-10-26T00:00:00+01:00" << 25 * kHour << "2026-10-26T12:00:00+01:00"
        << "2026-10-28T12:00:00+01:00";
}

void tst_SlaClock::pendingPause()
{
    QFETCH(QString, calendar);
    QFETCH(TicketPriority, priority);
    QFETCH(QString, created);
    QFETCH(QString, respondedAt);
    QFETCH(QString, pauseAt);
    QFETCH(QString, resumeAt);
    QFETCH(qint64, pausedSeconds);
    QFETCH(QString, firstResponseDue);
    QFETCH(QString, resolutionDue);

    Story s(calendar, priority, created);
    if (!respondedAt.isEmpty())
        recordFirstResponse(s.sla, at(respondedAt));
    pauseSla(s.sla, at(pauseAt));
    COMPARE_TIME(s.sla.pausedSince, pauseAt);
    pauseSla(s.sla, at(resumeAt)); // a second pause keeps the first start
    COMPARE_TIME(s.sla.pausedSince, pauseAt);
    resumeSla(s.sla, s.policy, at(resumeAt));
    QVERIFY(!s.sla.pausedSince.isValid());
    QCOMPARE(s.sla.pausedSeconds, pausedSeconds);
    COMPARE_TIME(s.sla.firstResponseDueAt, firstResponseDue);
    COMPARE_TIME(s.sla.resolutionDueAt, resolutionDue);

    // Resuming again is a no-op; recomputing for the same priority lands on the same due times
    // (except for a target met or missed before the pause, which recompute does not special-case).
    const TicketSla resumed = s.sla;
    resumeSla(s.sla, s.policy, at(resumeAt).addDays(1));
    QVERIFY(s.sla == resumed);
    if (respondedAt.isEmpty() && !QByteArray(QTest::currentDataTag()).startsWith("missed")) {
        recomputeDueTimes(s.sla, s.policy, priority, s.created);
        QVERIFY(s.sla == resumed);
    }
}

void tst_SlaClock::notBreachedWhilePausedThenBreached()
{
    Story s("berlinWeekdays", TicketPriority::Urgent, "2026-06-08T09:00:00+02:00");
    COMPARE_TIME(s.sla.firstResponseDueAt, "2026-06-08T10:00:00+02:00");
    pauseSla(s.sla, at("2026-06-08T09:30:00+02:00"));

    // The due time passes on the wall clock, but the SLA clock stands at 09:30.
    for (const char *now : {"2026-06-08T10:00:00.001+02:00", "2026-06-08T16:00:00+02:00",
                            "2026-06-13T12:00:00+02:00"}) {
        QVERIFY2(!firstResponseBreached(s.sla, at(now)), now);
        QVERIFY2(!resolutionBreached(s.sla, at(now)), now);
        refreshBreachFlags(s.sla, at(now));
        QVERIFY(!s.sla.firstResponseBreached && !s.sla.resolutionBreached);
        QCOMPARE(firstResponseSecondsLeft(s.sla, s.policy, at(now)), 30 * kMinute);
    }

    resumeSla(s.sla, s.policy, at("2026-06-09T09:00:00+02:00"));
    COMPARE_TIME(s.sla.firstResponseDueAt, "2026-06-09T09:30:00+02:00");
    QVERIFY(!firstResponseBreached(s.sla, at("2026-06-09T09:29:59.999+02:00")));
    QVERIFY(!firstResponseBreached(s.sla, at("2026-06-09T09:30:00+02:00")));
    QVERIFY(firstResponseBreached(s.sla, at("2026-06-09T09:30:00.001+02:00")));
    refreshBreachFlags(s.sla, at("2026-06-09T09:30:00.001+02:00"));
    QVERIFY(s.sla.firstResponseBreached);
    QVERIFY(!s.sla.resolutionBreached);

    // A target missed before the pause is breached while paused, too.
    Story late("berlinWeekdays", TicketPriority::Urgent, "2026-06-08T09:00:00+02:00");
    pauseSla(late.sla, at("2026-06-08T10:30:00+02:00"));
    QVERIFY(firstResponseBreached(late.sla, at("2026-06-08T11:00:00+02:00")));
    QCOMPARE(firstResponseSecondsLeft(late.sla, late.policy, at("2026-06-08T11:00:00+02:00")),
             -30 * kMinute);
}

void tst_SlaClock::pendingToResolved_data()
{
    QTest::addColumn<QString>("pauseAt");
    QTest::addColumn<QString>("leaveAt");
    QTest::addColumn<QString>("resolutionDue");
    QTest::addColumn<bool>("breached");

    // Urgent, created Monday 09:00, answered 09:10: resolution due 13:00 before any pause.
    QTest::newRow("in time") << "2026-06-08T10:00:00+02:00"
                             << "2026-06-08T14:00:00+02:00"
                             << "2026-06-08T17:00:00+02:00" << false;
    QTest::newRow("overnight, in time") << "2026-06-08T12:00:00+02:00"
                                        << "2026-06-09T12:00:00+02:00"
                                        << "2026-06-09T13:00:00+02:00" << false;
    QTest::newRow("missed before the pause") << "2026-06-08T13:30:00+02:00"
                                             << "2026-06-08T14:00:00+02:00"
                                             << "2026-06-08T13:00:00+02:00" << true;
}

// pending -> resolved: resume then resolve at the same instant; the other order agrees.
void tst_SlaClock::pendingToResolved()
{
    QFETCH(QString, pauseAt);
    QFETCH(QString, leaveAt);
    QFETCH(QString, resolutionDue);
    QFETCH(bool, breached);

    Story s("berlinWeekdays", TicketPriority::Urgent, "2026-06-08T09:00:00+02:00");
    recordFirstResponse(s.sla, at("2026-06-08T09:10:00+02:00"));
    pauseSla(s.sla, at(pauseAt));
    TicketSla otherOrder = s.sla;

    resumeSla(s.sla, s.policy, at(leaveAt));
    recordResolution(s.sla, at(leaveAt));
    COMPARE_TIME(s.sla.resolutionDueAt, resolutionDue);
    QCOMPARE(resolutionBreached(s.sla, at(leaveAt).addDays(30)), breached);
    COMPARE_TIME(s.sla.firstResponseDueAt, "2026-06-08T10:00:00+02:00"); // met before
    QVERIFY(!firstResponseBreached(s.sla, at(leaveAt)));

    recordResolution(otherOrder, at(leaveAt));
    resumeSla(otherOrder, s.policy, at(leaveAt));
    QVERIFY(otherOrder == s.sla);
}

// Resolved while still paused and resumed later: judged as of the pause start meanwhile, then
// against a due time pushed only by the business time paused before the resolution.
void tst_SlaClock::resolvedDuringPause()
{
    Story s("berlinWeekdays", TicketPriority::Urgent, "2026-06-08T09:00:00+02:00");
    pauseSla(s.sla, at("2026-06-08T10:00:00+02:00"));
    recordResolution(s.sla, at("2026-06-08T14:00:00+02:00"));
    QVERIFY(!resolutionBreached(s.sla, at("2026-06-08T14:00:00+02:00")));
    QCOMPARE(resolutionSecondsLeft(s.sla, s.policy, at("2026-06-08T14:00:00+02:00")), std::nullopt);
    resumeSla(s.sla, s.policy, at("2026-06-08T16:00:00+02:00"));
    QCOMPARE(s.sla.pausedSeconds, 6 * kHour);
    COMPARE_TIME(s.sla.resolutionDueAt, "2026-06-08T17:00:00+02:00");
    QVERIFY(!resolutionBreached(s.sla, at("2026-06-10T12:00:00+02:00")));
    // Never answered, and the pause stopped its clock too.
    COMPARE_TIME(s.sla.firstResponseDueAt, "2026-06-08T16:00:00+02:00");
}

void tst_SlaClock::priorityChange_data()
{
    QTest::addColumn<QString>("created");
    QTest::addColumn<TicketPriority>("from");
    QTest::addColumn<TicketPriority>("to");
    QTest::addColumn<QString>("respondedAt");
    QTest::addColumn<bool>("paused"); // 10:00-11:00 on the creation day
    QTest::addColumn<QString>("changeAt");
    QTest::addColumn<QString>("firstResponseDue");
    QTest::addColumn<QString>("resolutionDue");
    QTest::addColumn<bool>("firstResponseBreached");

    const QString monday9 = "2026-06-08T09:00:00+02:00";
    QTest::newRow("low to urgent after a pause")
        << monday9 << TicketPriority::Low << TicketPriority::Urgent << QString() << true
        << "2026-06-08T11:30:00+02:00"
        << "2026-06-08T11:00:00+02:00"
        << "2026-06-08T14:00:00+02:00" << true;
    QTest::newRow("low to urgent, already answered")
        << monday9 << TicketPriority::Low << TicketPriority::Urgent << "2026-06-08T09:30:00+02:00"
        << true << "2026-06-08T11:30:00+02:00"
        << "2026-06-10T17:00:00+02:00"
        << "2026-06-08T14:00:00+02:00" << false;
    QTest::newRow("urgent to low") << monday9 << TicketPriority::Urgent << TicketPriority::Low
                                   << QString() << false << "2026-06-08T11:00:00+02:00"
                                   << "2026-06-10T17:00:00+02:00"
                                   << "2026-06-18T17:00:00+02:00" << false;
    QTest::newRow("high to medium over a weekend")
        << "2026-06-05T15:00:00+02:00" << TicketPriority::High << TicketPriority::Medium
        << QString() << false << "2026-06-05T16:00:00+02:00"
        << "2026-06-08T15:00:00+02:00"
        << "2026-06-15T15:00:00+02:00" << false;
}

void tst_SlaClock::priorityChange()
{
    QFETCH(QString, created);
    QFETCH(TicketPriority, from);
    QFETCH(TicketPriority, to);
    QFETCH(QString, respondedAt);
    QFETCH(bool, paused);
    QFETCH(QString, changeAt);
    QFETCH(QString, firstResponseDue);
    QFETCH(QString, resolutionDue);
    QFETCH(bool, firstResponseBreached);

    Story s("berlinWeekdays", from, created);
    if (!respondedAt.isEmpty())
        recordFirstResponse(s.sla, at(respondedAt));
    if (paused) {
        pauseSla(s.sla, at(created).addSecs(kHour));
        resumeSla(s.sla, s.policy, at(created).addSecs(2 * kHour));
        QCOMPARE(s.sla.pausedSeconds, kHour);
    }
    recomputeDueTimes(s.sla, s.policy, to, s.created);
    COMPARE_TIME(s.sla.firstResponseDueAt, firstResponseDue);
    COMPARE_TIME(s.sla.resolutionDueAt, resolutionDue);
    QCOMPARE(sb::firstResponseBreached(s.sla, at(changeAt)), firstResponseBreached);
}

void tst_SlaClock::priorityChangeWhilePaused()
{
    Story s("berlinWeekdays", TicketPriority::Low, "2026-06-08T09:00:00+02:00");
    pauseSla(s.sla, at("2026-06-08T09:30:00+02:00"));
    recomputeDueTimes(s.sla, s.policy, TicketPriority::Urgent, s.created);
    COMPARE_TIME(s.sla.firstResponseDueAt, "2026-06-08T10:00:00+02:00");
    QVERIFY(!firstResponseBreached(s.sla, at("2026-06-08T12:00:00+02:00"))); // still paused
    resumeSla(s.sla, s.policy, at("2026-06-08T12:00:00+02:00"));
    COMPARE_TIME(s.sla.firstResponseDueAt, "2026-06-08T12:30:00+02:00");
    COMPARE_TIME(s.sla.resolutionDueAt, "2026-06-08T15:30:00+02:00");
}

void tst_SlaClock::breachFlagsAreSticky()
{
    Story s("utc247", TicketPriority::Urgent, "2026-06-01T10:00:00Z");
    refreshBreachFlags(s.sla, at("2026-06-01T10:59:59Z"));
    QVERIFY(!s.sla.firstResponseBreached);
    refreshBreachFlags(s.sla, at("2026-06-01T11:00:00.001Z"));
    QVERIFY(s.sla.firstResponseBreached);
    QVERIFY(!s.sla.resolutionBreached);

    // Downgraded to low: the new due time is far off, but the breach stays on record.
    recomputeDueTimes(s.sla, s.policy, TicketPriority::Low, s.created);
    QVERIFY(!firstResponseBreached(s.sla, at("2026-06-01T11:30:00Z")));
    refreshBreachFlags(s.sla, at("2026-06-01T11:30:00Z"));
    QVERIFY(s.sla.firstResponseBreached);
    recordFirstResponse(s.sla, at("2026-06-01T11:30:00Z"));
    refreshBreachFlags(s.sla, at("2026-06-01T12:00:00Z"));
    QVERIFY(s.sla.firstResponseBreached);
}

void tst_SlaClock::nextBreachFlagChange_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("expected"); // empty: nothing changes without a write
    // Urgent on a 24/7 calendar: first response due 11:00, resolution 14:00.
    QTest::newRow("fresh: the first response falls due first") << "fresh"
                                                               << "2026-06-01T11:00:00Z";
    QTest::newRow("answered: the resolution is next") << "answered"
                                                      << "2026-06-01T14:00:00Z";
    QTest::newRow("first response missed and flagged") << "firstFlagged"
                                                       << "2026-06-01T14:00:00Z";
    QTest::newRow("both flagged") << "bothFlagged"
                                  << "";
    QTest::newRow("answered and resolved") << "resolved"
                                           << "";
    QTest::newRow("paused: the clock stands still") << "paused"
                                                    << "";
    QTest::newRow("resumed: due times pushed by the pause") << "resumed"
                                                            << "2026-06-01T11:30:00Z";
}

void tst_SlaClock::nextBreachFlagChange()
{
    QFETCH(QString, state);
    QFETCH(QString, expected);
    Story s("utc247", TicketPriority::Urgent, "2026-06-01T10:00:00Z");
    if (state == u"answered" || state == u"resolved")
        recordFirstResponse(s.sla, at("2026-06-01T10:10:00Z"));
    if (state == u"resolved")
        recordResolution(s.sla, at("2026-06-01T10:20:00Z"));
    if (state == u"firstFlagged" || state == u"bothFlagged")
        refreshBreachFlags(
            s.sla, at(state == u"firstFlagged" ? "2026-06-01T12:00:00Z" : "2026-06-01T15:00:00Z"));
    if (state == u"paused" || state == u"resumed")
        pauseSla(s.sla, at("2026-06-01T10:30:00Z"));
    if (state == u"resumed")
        resumeSla(s.sla, s.policy, at("2026-06-01T11:00:00Z"));

    const QDateTime next = sb::nextBreachFlagChange(s.sla);
    COMPARE_TIME(next, expected);
    // The contract a cache relies on: up to that instant the flags read the same as now, and
    // just after it they change; without one, they never change.
    const auto flagsAt = [&](const QDateTime &t) {
        TicketSla copy = s.sla;
        refreshBreachFlags(copy, t);
        return std::pair(copy.firstResponseBreached, copy.resolutionBreached);
    };
    const auto now = flagsAt(at("2026-06-01T10:40:00Z"));
    if (next.isValid()) {
        QVERIFY(flagsAt(next) == now);
        QVERIFY(flagsAt(next.addMSecs(1)) != now);
    } else {
        QVERIFY(flagsAt(at("2027-06-01T00:00:00Z")) == now);
    }
}

void tst_SlaClock::onlyFirstResponseCounts()
{
    Story s("utc247", TicketPriority::Urgent, "2026-06-01T10:00:00Z");
    recordFirstResponse(s.sla, at("2026-06-01T10:10:00Z"));
    recordFirstResponse(s.sla, at("2026-06-01T12:00:00Z"));
    COMPARE_TIME(s.sla.firstResponseAt, "2026-06-01T10:10:00Z");
    QVERIFY(!firstResponseBreached(s.sla, at("2026-06-02T00:00:00Z")));
    QCOMPARE(firstResponseSecondsLeft(s.sla, s.policy, at("2026-06-01T10:20:00Z")), std::nullopt);
}

void tst_SlaClock::reopenKeepsDueTime()
{
    Story s("utc247", TicketPriority::Urgent, "2026-06-01T10:00:00Z");
    recordResolution(s.sla, at("2026-06-01T13:00:00Z"));
    QVERIFY(!resolutionBreached(s.sla, at("2026-06-01T20:00:00Z")));
    reopenSla(s.sla);
    QVERIFY(!s.sla.resolvedAt.isValid());
    COMPARE_TIME(s.sla.resolutionDueAt, "2026-06-01T14:00:00Z");
    QCOMPARE(resolutionSecondsLeft(s.sla, s.policy, at("2026-06-01T13:30:00Z")), 30 * kMinute);
    QVERIFY(resolutionBreached(s.sla, at("2026-06-01T14:00:00.001Z")));

    // A late resolution's breach survives the reopen and a timely second resolution.
    recordResolution(s.sla, at("2026-06-01T15:00:00Z"));
    refreshBreachFlags(s.sla, at("2026-06-01T15:00:00Z"));
    QVERIFY(s.sla.resolutionBreached);
    reopenSla(s.sla);
    QVERIFY(s.sla.resolutionBreached);
    COMPARE_TIME(s.sla.resolutionDueAt, "2026-06-01T14:00:00Z");
}

void tst_SlaClock::secondsLeft_data()
{
    QTest::addColumn<QString>("created");
    QTest::addColumn<QString>("now");
    QTest::addColumn<qint64>("firstResponseLeft");
    QTest::addColumn<qint64>("resolutionLeft");

    // Urgent on Berlin weekdays; Monday 09:00 gives due times 10:00 and 13:00.
    const QString monday9 = "2026-06-08T09:00:00+02:00";
    QTest::newRow("at creation") << monday9 << monday9 << kHour << 4 * kHour;
    QTest::newRow("half a second left")
        << monday9 << "2026-06-08T09:59:59.500+02:00" << 0LL << 3 * kHour;
    QTest::newRow("1 ms overdue") << monday9 << "2026-06-08T10:00:00.001+02:00" << -1LL
                                  << 3 * kHour - 1;
    QTest::newRow("half an hour overdue")
        << monday9 << "2026-06-08T10:30:00+02:00" << -30 * kMinute << 150 * kMinute;
    QTest::newRow("saturday after")
        << monday9 << "2026-06-13T12:00:00+02:00" << -39 * kHour << -36 * kHour;
    // First response due at Friday's closing: overdue on Saturday with no business time elapsed.
    QTest::newRow("overdue over a weekend") << "2026-06-05T16:00:00+02:00"
                                            << "2026-06-06T12:00:00+02:00" << -1LL << 3 * kHour;
    QTest::newRow("before opening") << "2026-06-06T12:00:00+02:00"
                                    << "2026-06-07T12:00:00+02:00" << kHour << 4 * kHour;
}

void tst_SlaClock::secondsLeft()
{
    QFETCH(QString, created);
    QFETCH(QString, now);
    QFETCH(qint64, firstResponseLeft);
    QFETCH(qint64, resolutionLeft);

    const Story s("berlinWeekdays", TicketPriority::Urgent, created);
    QCOMPARE(firstResponseSecondsLeft(s.sla, s.policy, at(now)), firstResponseLeft);
    QCOMPARE(resolutionSecondsLeft(s.sla, s.policy, at(now)), resolutionLeft);
    QCOMPARE(firstResponseBreached(s.sla, at(now)), firstResponseLeft < 0);
    QCOMPARE(resolutionBreached(s.sla, at(now)), resolutionLeft < 0);
}

void tst_SlaClock::nextReplyDue()
{
    const SlaPolicy policy = policyOn("berlinWeekdays");
    COMPARE_TIME(nextReplyDueAt(policy, TicketPriority::High, at("2026-06-05T16:00:00+02:00")),
                 "2026-06-08T12:00:00+02:00");
    COMPARE_TIME(nextReplyDueAt(SlaPolicy(), TicketPriority::Urgent, at("2026-06-05T16:00:00Z")),
                 "2026-06-05T17:00:00Z");
}

QTEST_GUILESS_MAIN(tst_SlaClock)
#include "tst_slaclock.moc"
