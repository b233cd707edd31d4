#include <domain/businesscalendar.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using sb::BusinessCalendar;

namespace {

QDateTime at(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        qFatal("bad test time %s", qPrintable(iso));
    return t;
}

QJsonObject parse(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        qFatal("bad test JSON %s: %s", json, qPrintable(error.errorString()));
    return doc.object();
}

QJsonObject everyDay(const QStringList &days, const char *from, const char *to)
{
    QJsonObject hours;
    for (const QString &day : days)
        hours.insert(day,
                     QJsonArray {QJsonArray {QString::fromLatin1(from), QString::fromLatin1(to)}});
    return hours;
}

const QStringList kWeekdays {"mon", "tue", "wed", "thu", "fri"};
const QStringList kAllDays {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// The calendars the tables refer to by name, built through fromJson as a deployment would.
BusinessCalendar calendarNamed(const QString &name)
{
    QJsonObject json;
    const auto zone = [&](const char *id) {
        json.insert("timeZone", QString::fromLatin1(id));
    };
    if (name.startsWith("berlin"))
        zone("Europe/Berlin");
    else if (name.startsWith("ny"))
        zone("America/New_York");

    if (name.endsWith("Weekdays") || name == "berlinXmas" || name == "berlinSummerOff")
        json.insert("hours", everyDay(kWeekdays, "09:00", "17:00"));
    else if (name.endsWith("Daily"))
        json.insert("hours", everyDay(kAllDays, "09:00", "17:00"));
    else if (name == "berlinSkippedHour") // spans 02:00-03:00, skipped in March, twice in October
        json.insert("hours", everyDay({"sun"}, "01:00", "04:00"));
    else if (name == "berlinHalfPast") // starts inside that hour
        json.insert("hours", everyDay({"sun"}, "02:30", "05:00"));
    else if (name == "berlinOvernight") // Friday evening into Saturday, through 24:00
        json.insert("hours", parse(R"({"fri":[["20:00","24:00"]],"sat":[["00:00","02:00"]]})"));
    else if (name == "closed")
        json.insert("hours", QJsonObject {});

    if (name == "berlinXmas")
        json.insert("holidays",
                    QJsonArray {"2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"});
    auto calendar = BusinessCalendar::fromJson(json);
    if (!calendar)
        qFatal("bad test calendar %s: %s", qPrintable(name), qPrintable(calendar.error().message));
    if (name == "berlinSummerOff") { // a whole quarter closed
        for (QDate d(2026, 7, 1); d <= QDate(2026, 9, 30); d = d.addDays(1))
            calendar->addHoliday(d);
    }
    if (name == "neverOpen") { // hours on paper, but every day for four years a holiday
        for (QDate d(2026, 1, 1); d < QDate(2030, 1, 1); d = d.addDays(1))
            calendar->addHoliday(d);
    }
    return *calendar;
}

} // namespace

class tst_BusinessCalendar : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaultIsAlwaysOpenUtc();
    void addBusinessSeconds_data();
    void addBusinessSeconds();
    void noOpeningHours_data();
    void noOpeningHours();
    void longHolidayIsCheap();
    void businessSecondsBetween_data();
    void businessSecondsBetween();
    void isOpen_data();
    void isOpen();
    void setHoursRefusesBadIntervals();
    void jsonRoundTrip();
    void jsonRefusals_data();
    void jsonRefusals();
};

// Qt reads the system's tz database (package tzdata). Without it every zone but UTC is invalid and
// the DST cases below would be meaningless, so say so plainly instead of skipping.
void tst_BusinessCalendar::initTestCase()
{
    for (const char *id : {"Europe/Berlin", "America/New_York"}) {
        const QTimeZone zone(id);
        QVERIFY2(zone.isValid(),
                 qPrintable(QStringLiteral("time zone %1 unknown: install the tz database "
                                           "(Debian package tzdata, /usr/share/zoneinfo)")
                                .arg(QLatin1StringView(id))));
    }
    const QTimeZone berlin("Europe/Berlin");
    QCOMPARE(berlin.offsetFromUtc(at("2026-01-15T12:00:00Z")), 3600);
    QCOMPARE(berlin.offsetFromUtc(at("2026-07-15T12:00:00Z")), 7200);
}

void tst_BusinessCalendar::defaultIsAlwaysOpenUtc()
{
    const BusinessCalendar calendar;
    QCOMPARE(calendar.timeZone(), QTimeZone::utc());
    QVERIFY(calendar.holidays().isEmpty());
    for (int d = Qt::Monday; d <= Qt::Sunday; ++d)
        QCOMPARE(calendar.hours(Qt::DayOfWeek(d)),
                 (QList<BusinessCalendar::Interval> {{0, BusinessCalendar::kMinutesPerDay}}));
}

void tst_BusinessCalendar::addBusinessSeconds_data()
{
    QTest::addColumn<QString>("calendar");
    QTest::addColumn<QString>("start");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("expected");

    // 24/7 default: plain addition, milliseconds kept.
    QTest::newRow("24/7 utc") << "utc247"
                              << "2026-01-01T00:00:00.123Z" << 3600LL << "2026-01-01T01:00:00.123Z";
    QTest::newRow("24/7 utc, 3 days")
        << "utc247"
        << "2026-03-27T15:00:00Z" << 259200LL << "2026-03-30T15:00:00Z";
    QTest::newRow("zero seconds stays")
        << "berlinWeekdays"
        << "2026-06-08T17:00:00+02:00" << 0LL << "2026-06-08T17:00:00+02:00";

    // Inside hours, weekends.
    QTest::newRow("same day") << "berlinWeekdays"
                              << "2026-06-08T10:00:00+02:00" << 3600LL
                              << "2026-06-08T11:00:00+02:00";
    QTest::newRow("ends exactly at closing")
        << "berlinWeekdays"
        << "2026-06-08T09:00:00+02:00" << 28800LL << "2026-06-08T17:00:00+02:00";
    QTest::newRow("over the weekend")
        << "berlinWeekdays"
        << "2026-06-05T15:00:00+02:00" << 28800LL << "2026-06-08T15:00:00+02:00";
    QTest::newRow("72h = 9 working days")
        << "berlinWeekdays"
        << "2026-06-08T09:00:00+02:00" << 259200LL << "2026-06-18T17:00:00+02:00";

    // Start outside hours: counting begins at the next opening.
    QTest::newRow("saturday start")
        << "berlinWeekdays"
        << "2026-06-06T12:00:00+02:00" << 3600LL << "2026-06-08T10:00:00+02:00";
    QTest::newRow("before opening")
        << "berlinWeekdays"
        << "2026-06-08T07:00:00+02:00" << 1800LL << "2026-06-08T09:30:00+02:00";
    QTest::newRow("after closing")
        << "berlinWeekdays"
        << "2026-06-08T18:00:00+02:00" << 1800LL << "2026-06-09T09:30:00+02:00";
    QTest::newRow("at closing") << "berlinWeekdays"
                                << "2026-06-08T17:00:00+02:00" << 1LL
                                << "2026-06-09T09:00:01+02:00";
    QTest::newRow("start given in another zone")
        << "berlinWeekdays"
        << "2026-06-08T03:30:00-04:00" << 1800LL << "2026-06-08T10:00:00+02:00";

    // Holidays.
    QTest::newRow("christmas") << "berlinXmas"
                               << "2026-12-23T16:00:00+01:00" << 14400LL
                               << "2026-12-28T12:00:00+01:00";
    QTest::newRow("new year") << "berlinXmas"
                              << "2026-12-30T13:00:00+01:00" << 28800LL
                              << "2027-01-04T13:00:00+01:00";
    QTest::newRow("start on a holiday")
        << "berlinXmas"
        << "2026-12-24T10:00:00+01:00" << 60LL << "2026-12-28T09:01:00+01:00";
    QTest::newRow("72h over a closed quarter")
        << "berlinSummerOff"
        << "2026-06-30T17:00:00+02:00" << 259200LL << "2026-10-13T17:00:00+02:00";

    // Daylight saving, Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST
    // -> 02:00 CET. Opening hours stay 09:00-17:00 local on both sides.
    QTest::newRow("berlin spring, weekend")
        << "berlinWeekdays"
        << "2026-03-27T16:00:00+01:00" << 7200LL << "2026-03-30T10:00:00+02:00";
    QTest::newRow("berlin autumn, weekend")
        << "berlinWeekdays"
        << "2026-10-23T16:00:00+02:00" << 7200LL << "2026-10-26T10:00:00+01:00";
    QTest::newRow("berlin spring, on the day")
        << "berlinDaily"
        << "2026-03-28T16:00:00+01:00" << 7200LL << "2026-03-29T10:00:00+02:00";
    QTest::newRow("berlin autumn, on the day")
        << "berlinDaily"
        << "2026-10-24T16:00:00+02:00" << 7200LL << "2026-10-25T10:00:00+01:00";
    QTest::newRow("berlin spring, whole short day")
        << "berlinDaily"
        << "2026-03-29T09:00:00+02:00" << 28800LL << "2026-03-29T17:00:00+02:00";
    // 24/7 in a DST zone counts real seconds: a day later is 25 h of wall clock in March...
    QTest::newRow("berlin 24/7 spring")
        << "berlin247"
        << "2026-03-29T00:00:00+01:00" << 86400LL << "2026-03-30T01:00:00+02:00";
    QTest::newRow("berlin 24/7 autumn")
        << "berlin247"
        << "2026-10-25T00:00:00+02:00" << 86400LL << "2026-10-25T23:00:00+01:00";
    QTest::newRow("berlin 24/7 through the jump")
        << "berlin247"
        << "2026-03-29T01:30:00+01:00" << 3600LL << "2026-03-29T03:30:00+02:00";
    // Hours that cover the changed hour: 01:00-04:00 is 2 h in March, 4 h in October.
    QTest::newRow("berlin skipped hour")
        << "berlinSkippedHour"
        << "2026-03-29T00:00:00+01:00" << 7200LL << "2026-03-29T04:00:00+02:00";
    QTest::newRow("berlin repeated hour")
        << "berlinSkippedHour"
        << "2026-10-25T00:00:00+02:00" << 14400LL << "2026-10-25T04:00:00+01:00";
    // 02:30 does not exist in March: opening is the moment of the jump (03:00 CEST).
    QTest::newRow("berlin opening in skipped hour")
        << "berlinHalfPast"
        << "2026-03-29T00:00:00+01:00" << 60LL << "2026-03-29T03:01:00+02:00";
    // 02:30 happens twice in October: opening is the first one.
    QTest::newRow("berlin opening in repeated hour")
        << "berlinHalfPast"
        << "2026-10-25T00:00:00+02:00" << 60LL << "2026-10-25T02:31:00+02:00";

    // Daylight saving, America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT
    // -> 01:00 EST.
    QTest::newRow("ny spring, weekend")
        << "nyWeekdays"
        << "2026-03-06T16:00:00-05:00" << 7200LL << "2026-03-09T10:00:00-04:00";
    QTest::newRow("ny autumn, weekend")
        << "nyWeekdays"
        << "2026-10-30T16:00:00-04:00" << 7200LL << "2026-11-02T10:00:00-05:00";
    QTest::newRow("ny spring, on the day")
        << "nyDaily"
        << "2026-03-07T16:00:00-05:00" << 7200LL << "2026-03-08T10:00:00-04:00";
    QTest::newRow("ny autumn, on the day")
        << "nyDaily"
        << "2026-10-31T16:00:00-04:00" << 7200LL << "2026-11-01T10:00:00-05:00";
    QTest::newRow("ny 24/7 spring")
        << "ny247"
        << "2026-03-08T00:00:00-05:00" << 86400LL << "2026-03-09T01:00:00-04:00";
    QTest::newRow("ny 24/7 autumn")
        << "ny247"
        << "2026-11-01T00:00:00-04:00" << 86400LL << "2026-11-01T23:00:00-05:00";

    // An interval ending at 24:00 runs on into the next day's 00:00 without a gap.
    QTest::newRow("through 24:00")
        << "berlinOvernight"
        << "2026-06-05T23:00:00+02:00" << 7200LL << "2026-06-06T01:00:00+02:00";
    QTest::newRow("24:00 then a week")
        << "berlinOvernight"
        << "2026-06-06T01:00:00+02:00" << 7200LL << "2026-06-12T21:00:00+02:00";
}

void tst_BusinessCalendar::addBusinessSeconds()
{
    QFETCH(QString, calendar);
    QFETCH(QString, start);
    QFETCH(qint64, seconds);
    QFETCH(QString, expected);

    const BusinessCalendar cal = calendarNamed(calendar);
    const QDateTime due = cal.addBusinessSeconds(at(start), seconds);
    QVERIFY(due.isValid());
    QCOMPARE(due.toUTC(), at(expected).toUTC());
    // The inverse agrees (whole seconds only, so drop the start's milliseconds).
    if (seconds > 0 && at(start).time().msec() == 0)
        QCOMPARE(cal.businessSecondsBetween(at(start), due), seconds);
}

void tst_BusinessCalendar::noOpeningHours_data()
{
    QTest::addColumn<QString>("calendar");
    QTest::newRow("no hours at all") << "closed";
    QTest::newRow("every day a holiday") << "neverOpen";
}

void tst_BusinessCalendar::noOpeningHours()
{
    QFETCH(QString, calendar);
    const BusinessCalendar cal = calendarNamed(calendar);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!cal.addBusinessSeconds(at("2026-06-08T09:00:00Z"), 60).isValid());
    QVERIFY2(timer.elapsed() < 2000, "the search is capped, and per day, not per minute");
    QCOMPARE(cal.businessSecondsBetween(at("2026-06-08T09:00:00Z"), at("2026-07-08T09:00:00Z")),
             qint64(0));
    QVERIFY(!cal.isOpen(at("2026-06-08T09:00:00Z")));
}

void tst_BusinessCalendar::longHolidayIsCheap()
{
    const BusinessCalendar cal = calendarNamed("berlinSummerOff");
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 100; ++i)
        QVERIFY(cal.addBusinessSeconds(at("2026-06-30T17:00:00+02:00"), 259200).isValid());
    // ~105 days a call; per-minute iteration would take seconds for one call.
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void tst_BusinessCalendar::businessSecondsBetween_data()
{
    QTest::addColumn<QString>("calendar");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("reversed") << "utc247"
                              << "2026-06-08T10:00:00Z"
                              << "2026-06-08T09:00:00Z" << 0LL;
    QTest::newRow("equal") << "utc247"
                           << "2026-06-08T10:00:00Z"
                           << "2026-06-08T10:00:00Z" << 0LL;
    QTest::newRow("24/7 utc day") << "utc247"
                                  << "2026-06-08T10:00:00Z"
                                  << "2026-06-09T10:00:00Z" << 86400LL;
    QTest::newRow("a working week") << "berlinWeekdays"
                                    << "2026-06-08T00:00:00+02:00"
                                    << "2026-06-15T00:00:00+02:00" << 144000LL;
    QTest::newRow("weekend only") << "berlinWeekdays"
                                  << "2026-06-05T17:00:00+02:00"
                                  << "2026-06-08T09:00:00+02:00" << 0LL;
    QTest::newRow("christmas week") << "berlinXmas"
                                    << "2026-12-21T00:00:00+01:00"
                                    << "2026-12-28T00:00:00+01:00" << 86400LL;
    QTest::newRow("berlin spring weekend") << "berlinWeekdays"
                                           << "2026-03-27T16:00:00+01:00"
                                           << "2026-03-30T10:00:00+02:00" << 7200LL;
    QTest::newRow("berlin 24/7 short day") << "berlin247"
                                           << "2026-03-29T00:00:00+01:00"
                                           << "2026-03-30T00:00:00+02:00" << 82800LL;
    QTest::newRow("berlin 24/7 long day") << "berlin247"
                                          << "2026-10-25T00:00:00+02:00"
                                          << "2026-10-26T00:00:00+01:00" << 90000LL;
    QTest::newRow("berlin 01-04 in march") << "berlinSkippedHour"
                                           << "2026-03-28T00:00:00Z"
                                           << "2026-03-30T00:00:00Z" << 7200LL;
    QTest::newRow("berlin 01-04 in october") << "berlinSkippedHour"
                                             << "2026-10-24T00:00:00Z"
                                             << "2026-10-26T00:00:00Z" << 14400LL;
    QTest::newRow("berlin 02:30-05 in march") << "berlinHalfPast"
                                              << "2026-03-28T00:00:00Z"
                                              << "2026-03-30T00:00:00Z" << 7200LL;
    QTest::newRow("berlin 02:30-05 in october") << "berlinHalfPast"
                                                << "2026-10-24T00:00:00Z"
                                                << "2026-10-26T00:00:00Z" << 12600LL;
    QTest::newRow("ny 24/7 short day") << "ny247"
                                       << "2026-03-08T00:00:00-05:00"
                                       << "2026-03-09T00:00:00-04:00" << 82800LL;
    QTest::newRow("ny 24/7 long day") << "ny247"
                                      << "2026-11-01T00:00:00-04:00"
                                      << "2026-11-02T00:00:00-05:00" << 90000LL;
    QTest::newRow("ny daily on the change days") << "nyDaily"
                                                 << "2026-03-08T00:00:00-05:00"
                                                 << "2026-03-09T00:00:00-04:00" << 28800LL;
    QTest::newRow("overnight through 24:00") << "berlinOvernight"
                                             << "2026-06-05T00:00:00+02:00"
                                             << "2026-06-07T00:00:00+02:00" << 21600LL;
    QTest::newRow("sub-second ignored") << "utc247"
                                        << "2026-06-08T10:00:00.000Z"
                                        << "2026-06-08T10:00:00.999Z" << 0LL;
}

void tst_BusinessCalendar::businessSecondsBetween()
{
    QFETCH(QString, calendar);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(qint64, expected);
    QCOMPARE(calendarNamed(calendar).businessSecondsBetween(at(from), at(to)), expected);
}

void tst_BusinessCalendar::isOpen_data()
{
    QTest::addColumn<QString>("calendar");
    QTest::addColumn<QString>("time");
    QTest::addColumn<bool>("open");

    QTest::newRow("24/7") << "utc247"
                          << "2026-06-06T03:00:00Z" << true;
    QTest::newRow("opening instant") << "berlinWeekdays"
                                     << "2026-03-30T09:00:00+02:00" << true;
    QTest::newRow("1 ms before opening") << "berlinWeekdays"
                                         << "2026-03-30T08:59:59.999+02:00" << false;
    QTest::newRow("1 ms before closing") << "berlinWeekdays"
                                         << "2026-03-30T16:59:59.999+02:00" << true;
    QTest::newRow("closing instant") << "berlinWeekdays"
                                     << "2026-03-30T17:00:00+02:00" << false;
    QTest::newRow("08:30 at UTC+1 is 09:30 CEST") << "berlinWeekdays"
                                                  << "2026-03-30T08:30:00+01:00" << true;
    QTest::newRow("saturday") << "berlinWeekdays"
                              << "2026-06-06T12:00:00+02:00" << false;
    QTest::newRow("holiday") << "berlinXmas"
                             << "2026-12-24T12:00:00+01:00" << false;
    QTest::newRow("day after holiday") << "berlinXmas"
                                       << "2026-12-28T12:00:00+01:00" << true;
    QTest::newRow("23:59:59 before 24:00") << "berlinOvernight"
                                           << "2026-06-05T23:59:59+02:00" << true;
    QTest::newRow("after overnight") << "berlinOvernight"
                                     << "2026-06-06T02:00:00+02:00" << false;
    QTest::newRow("second 02:10 in october") << "berlinSkippedHour"
                                             << "2026-10-25T02:10:00+01:00" << true;
}

void tst_BusinessCalendar::isOpen()
{
    QFETCH(QString, calendar);
    QFETCH(QString, time);
    QFETCH(bool, open);
    QCOMPARE(calendarNamed(calendar).isOpen(at(time)), open);
}

void tst_BusinessCalendar::setHoursRefusesBadIntervals()
{
    BusinessCalendar cal;
    QVERIFY(cal.setHours(Qt::Monday, {{13 * 60, 17 * 60}, {9 * 60, 12 * 60}}));
    QCOMPARE(cal.hours(Qt::Monday),
             (QList<BusinessCalendar::Interval> {{9 * 60, 12 * 60}, {13 * 60, 17 * 60}}));
    QVERIFY(cal.setHours(Qt::Tuesday, {{9 * 60, 12 * 60}, {12 * 60, 24 * 60}})); // may touch
    const sb::Status overlap = cal.setHours(Qt::Monday, {{9 * 60, 12 * 60}, {11 * 60, 13 * 60}});
    QVERIFY(!overlap);
    QCOMPARE(overlap.error().details.value("field").toString(), "hours.mon");
    QVERIFY(!cal.setHours(Qt::Sunday, {{10 * 60, 10 * 60}}));
    QVERIFY(!cal.setHours(Qt::Sunday, {{0, 24 * 60 + 1}}));
    QCOMPARE(cal.hours(Qt::Monday).size(), 2); // a refusal leaves the day as it was
    QVERIFY(!cal.setTimeZone(QTimeZone("Not/AZone")));
}

void tst_BusinessCalendar::jsonRoundTrip()
{
    const QJsonObject json = parse(R"({
        "timeZone": "Europe/Berlin",
        "hours": {"mon": [["09:00","12:30"],["13:30","17:00"]], "tue": [], "wed": [["00:00","24:00"]],
                  "thu": [["09:00","17:00"]], "fri": [["09:00","15:00"]], "sat": [], "sun": []},
        "holidays": ["2026-12-25", "2026-01-01"]
    })");
    const auto cal = BusinessCalendar::fromJson(json);
    QVERIFY2(cal.ok(), qPrintable(cal.ok() ? QString() : cal.error().message));
    QCOMPARE(cal->timeZone().id(), QByteArray("Europe/Berlin"));
    QCOMPARE(cal->hours(Qt::Wednesday),
             (QList<BusinessCalendar::Interval> {{0, BusinessCalendar::kMinutesPerDay}}));
    QCOMPARE(cal->holidays().size(), 2);

    QJsonObject expected = json;
    expected.insert("holidays", QJsonArray {"2026-01-01", "2026-12-25"}); // written sorted
    QCOMPARE(cal->toJson(), expected);
    const auto again = BusinessCalendar::fromJson(cal->toJson());
    QVERIFY(again.ok());
    QVERIFY(*again == *cal);

    // The default writes and reads back as itself: every day 00:00-24:00 in UTC.
    const QJsonObject defaults = BusinessCalendar().toJson();
    QCOMPARE(defaults.value("timeZone").toString(), "UTC");
    QCOMPARE(defaults.value("hours").toObject().value("sun").toArray(),
             (QJsonArray {QJsonArray {"00:00", "24:00"}}));
    QVERIFY(BusinessCalendar::fromJson(defaults).value() == BusinessCalendar());
    QVERIFY(BusinessCalendar::fromJson({}).value() == BusinessCalendar());
}

void tst_BusinessCalendar::jsonRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");

    QTest::newRow("unknown key") << QByteArray(R"({"holiday":["2026-12-25"]})") << "holiday";
    QTest::newRow("unknown zone") << QByteArray(R"({"timeZone":"Mars/Olympus_Mons"})")
                                  << "timeZone";
    QTest::newRow("empty zone") << QByteArray(R"({"timeZone":""})") << "timeZone";
    QTest::newRow("zone not a string") << QByteArray(R"({"timeZone":1})") << "timeZone";
    QTest::newRow("hours not an object") << QByteArray(R"({"hours":[]})") << "hours";
    QTest::newRow("unknown day") << QByteArray(R"({"hours":{"funday":[]}})") << "hours.funday";
    QTest::newRow("day not a list")
        << QByteArray(R"({"hours":{"mon":"09:00-17:00"}})") << "hours.mon";
    QTest::newRow("one digit hour")
        << QByteArray(R"({"hours":{"mon":[["9:00","17:00"]]}})") << "hours.mon[0]";
    QTest::newRow("hour 25") << QByteArray(R"({"hours":{"mon":[["09:00","25:00"]]}})")
                             << "hours.mon[0]";
    QTest::newRow("minute 60") << QByteArray(R"({"hours":{"tue":[["09:60","10:00"]]}})")
                               << "hours.tue[0]";
    QTest::newRow("24:30") << QByteArray(R"({"hours":{"mon":[["09:00","24:30"]]}})")
                           << "hours.mon[0]";
    QTest::newRow("seconds") << QByteArray(R"({"hours":{"mon":[["09:00:00","17:00"]]}})")
                             << "hours.mon[0]";
    QTest::newRow("one time") << QByteArray(R"({"hours":{"mon":[["09:00"]]}})") << "hours.mon[0]";
    QTest::newRow("number") << QByteArray(R"({"hours":{"mon":[[9,17]]}})") << "hours.mon[0]";
    QTest::newRow("start after end")
        << QByteArray(R"({"hours":{"wed":[["17:00","09:00"]]}})") << "hours.wed[0]";
    QTest::newRow("start equals end")
        << QByteArray(R"({"hours":{"mon":[["09:00","09:00"]]}})") << "hours.mon[0]";
    QTest::newRow("start at 24:00")
        << QByteArray(R"({"hours":{"mon":[["24:00","24:00"]]}})") << "hours.mon[0]";
    QTest::newRow("second interval bad")
        << QByteArray(R"({"hours":{"fri":[["09:00","12:00"],["14:00","13:00"]]}})")
        << "hours.fri[1]";
    QTest::newRow("overlap") << QByteArray(
        R"({"hours":{"mon":[["09:00","12:00"],["11:00","17:00"]]}})")
                             << "hours.mon";
    QTest::newRow("holidays not a list")
        << QByteArray(R"({"holidays":"2026-12-25"})") << "holidays";
    QTest::newRow("bad date") << QByteArray(R"({"holidays":["2026-12-25","2026-02-30"]})")
                              << "holidays[1]";
    QTest::newRow("date not a string") << QByteArray(R"({"holidays":[20261225]})") << "holidays[0]";
}

void tst_BusinessCalendar::jsonRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const auto cal = BusinessCalendar::fromJson(parse(json.constData()));
    QVERIFY(!cal.ok());
    QCOMPARE(cal.error().code, "invalid_field");
    QCOMPARE(cal.error().details.value("field").toString(), field);
    QVERIFY2(cal.error().message.startsWith(field), qPrintable(cal.error().message));
}

QTEST_GUILESS_MAIN(tst_BusinessCalendar)
#include "tst_businesscalendar.moc"
