// Cron expressions of the scheduler: parsing (with errors naming the field), next firing in UTC,
// the firings in an interval.
#include <server/cronschedule.h>

#include <QElapsedTimer>
#include <QTest>

using sb::server::CronSchedule;

namespace {

QDateTime utc(const char *iso)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
    return t.toUTC();
}

} // namespace

class tst_CronSchedule : public QObject
{
    Q_OBJECT

private slots:
    void next_data();
    void next();
    void rejects_data();
    void rejects();
    void occurrences_data();
    void occurrences();
    void firesBetweenExcludesTheStartAndIncludesTheEnd_data();
    void firesBetweenExcludesTheStartAndIncludesTheEnd();
    void matches_data();
    void matches();
    void rareSchedulesAreFoundWithoutWalkingMinutes();
};

void tst_CronSchedule::next_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QDateTime>("after");
    QTest::addColumn<QDateTime>("expected"); // invalid: never fires

    // 2026-01-05 is a Monday.
    QTest::newRow("hourly, on the hour -> next hour")
        << "0 * * * *" << utc("2026-01-05T09:00:00Z") << utc("2026-01-05T10:00:00Z");
    QTest::newRow("hourly, seconds past -> next hour")
        << "0 * * * *" << utc("2026-01-05T09:00:30Z") << utc("2026-01-05T10:00:00Z");
    QTest::newRow("hourly, just before")
        << "0 * * * *" << utc("2026-01-05T08:59:59.999Z") << utc("2026-01-05T09:00:00Z");
    QTest::newRow("every 12 hours, before noon")
        << "0 */12 * * *" << utc("2026-01-05T11:00:00Z") << utc("2026-01-05T12:00:00Z");
    QTest::newRow("every 12 hours, at noon -> midnight")
        << "0 */12 * * *" << utc("2026-01-05T12:00:00Z") << utc("2026-01-06T00:00:00Z");
    QTest::newRow("daily at 2, at 2 -> tomorrow")
        << "0 2 * * *" << utc("2026-01-05T02:00:00Z") << utc("2026-01-06T02:00:00Z");
    QTest::newRow("daily at 2, at 1:59 -> today")
        << "0 2 * * *" << utc("2026-01-05T01:59:00Z") << utc("2026-01-05T02:00:00Z");
    QTest::newRow("every 5 minutes")
        << "*/5 * * * *" << utc("2026-01-05T09:03:00Z") << utc("2026-01-05T09:05:00Z");
    QTest::newRow("every 5 minutes across the hour")
        << "*/5 * * * *" << utc("2026-01-05T09:55:00Z") << utc("2026-01-05T10:00:00Z");
    QTest::newRow("every minute") << "* * * * *" << utc("2026-01-05T09:03:59Z")
                                  << utc("2026-01-05T09:04:00Z");
    QTest::newRow("lists and ranges, same hour")
        << "15,45 9-10 * * *" << utc("2026-01-05T09:15:00Z") << utc("2026-01-05T09:45:00Z");
    QTest::newRow("lists and ranges, next day")
        << "15,45 9-10 * * *" << utc("2026-01-05T10:45:00Z") << utc("2026-01-06T09:15:00Z");
    QTest::newRow("a/n runs to the maximum")
        << "5/20 * * * *" << utc("2026-01-05T09:25:00Z") << utc("2026-01-05T09:45:00Z");
    QTest::newRow("stepped range")
        << "0 8-18/5 * * *" << utc("2026-01-05T13:00:00Z") << utc("2026-01-05T18:00:00Z");
    QTest::newRow("weekdays by name, Friday -> Monday")
        << "30 8 * * mon-fri" << utc("2026-01-09T09:00:00Z") << utc("2026-01-12T08:30:00Z");
    QTest::newRow("Sunday as 7") << "0 12 * * 7" << utc("2026-01-05T00:00:00Z")
                                 << utc("2026-01-11T12:00:00Z");
    QTest::newRow("Sunday by name, any case")
        << "0 12 * * SUN" << utc("2026-01-05T00:00:00Z") << utc("2026-01-11T12:00:00Z");
    QTest::newRow("month by name")
        << "0 0 1 jul *" << utc("2026-01-05T00:00:00Z") << utc("2026-07-01T00:00:00Z");
    QTest::newRow("yearly, across the year")
        << "0 0 1 1 *" << utc("2026-06-01T00:00:00Z") << utc("2027-01-01T00:00:00Z");
    QTest::newRow("31st skips short months")
        << "0 0 31 * *" << utc("2026-01-31T00:00:00Z") << utc("2026-03-31T00:00:00Z");
    QTest::newRow("29 February, next leap year")
        << "0 0 29 2 *" << utc("2026-03-01T00:00:00Z") << utc("2028-02-29T00:00:00Z");
    QTest::newRow("29 February across 2100 (not leap)")
        << "0 0 29 2 *" << utc("2096-03-01T00:00:00Z") << utc("2104-02-29T00:00:00Z");
    QTest::newRow("both day fields: either matches (Friday)")
        << "0 0 13 * fri" << utc("2026-01-05T00:00:00Z") << utc("2026-01-09T00:00:00Z");
    QTest::newRow("both day fields: either matches (13th)")
        << "0 0 13 * fri" << utc("2026-01-09T00:00:00Z") << utc("2026-01-13T00:00:00Z");
    QTest::newRow("day step starting with * restricts with AND")
        << "0 0 */10 * 1" << utc("2026-01-05T00:00:00Z") << utc("2026-05-11T00:00:00Z");
    QTest::newRow("@hourly") << "@hourly" << utc("2026-01-05T09:10:00Z")
                             << utc("2026-01-05T10:00:00Z");
    QTest::newRow("@daily") << "@daily" << utc("2026-01-05T09:10:00Z")
                            << utc("2026-01-06T00:00:00Z");
    QTest::newRow("@weekly is Sunday midnight")
        << "@weekly" << utc("2026-01-05T09:10:00Z") << utc("2026-01-11T00:00:00Z");
    QTest::newRow("extra spaces") << "  0   2 * *   * " << utc("2026-01-05T03:00:00Z")
                                  << utc("2026-01-06T02:00:00Z");
    QTest::newRow("UTC, whatever the input's offset")
        << "0 * * * *"
        << QDateTime::fromString(QStringLiteral("2026-01-05T10:30:00+02:00"), Qt::ISODate)
        << utc("2026-01-05T09:00:00Z");
    QTest::newRow("30 February never fires")
        << "0 0 30 2 *" << utc("2026-01-05T00:00:00Z") << QDateTime();
}

void tst_CronSchedule::next()
{
    QFETCH(QString, expression);
    QFETCH(QDateTime, after);
    QFETCH(QDateTime, expected);
    const auto schedule = CronSchedule::parse(expression);
    QVERIFY2(schedule, qPrintable(schedule ? QString() : schedule.error().message));
    const QDateTime got = schedule->next(after);
    QCOMPARE(got.isValid(), expected.isValid());
    if (expected.isValid()) {
        QCOMPARE(got, expected);
        QCOMPARE(got.timeSpec(), Qt::UTC);
        QVERIFY(schedule->matches(got));
    }
}

void tst_CronSchedule::rejects_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("message"); // a part of the error's message

    QTest::newRow("empty") << ""
                           << "expected 5 fields";
    QTest::newRow("four fields") << "* * * *"
                                 << "found 4";
    QTest::newRow("six fields") << "0 * * * * *"
                                << "found 6";
    QTest::newRow("minute 60") << "60 * * * *"
                               << "minute: 60 is out of range 0-59";
    QTest::newRow("hour 24") << "0 24 * * *"
                             << "hour: 24 is out of range 0-23";
    QTest::newRow("day 0") << "0 0 0 * *"
                           << "day of month: 0 is out of range 1-31";
    QTest::newRow("month 13") << "0 0 1 13 *"
                              << "month: 13 is out of range 1-12";
    QTest::newRow("weekday 8") << "0 0 * * 8"
                               << "day of week: 8 is out of range 0-7";
    QTest::newRow("step 0") << "*/0 * * * *"
                            << "minute: step \"0\" must be a number";
    QTest::newRow("step too large") << "*/60 * * * *"
                                    << "from 1 to 59";
    QTest::newRow("step not a number") << "*/x * * * *"
                                       << "step \"x\"";
    QTest::newRow("two steps") << "*/5/2 * * * *"
                               << "more than one '/'";
    QTest::newRow("backwards range") << "5-3 * * * *"
                                     << "range \"5-3\" runs backwards";
    QTest::newRow("backwards names") << "0 0 * * fri-mon"
                                     << "runs backwards";
    QTest::newRow("not a range") << "1-2-3 * * * *"
                                 << "is not a range";
    QTest::newRow("empty list item") << "1,,2 * * * *"
                                     << "empty item";
    QTest::newRow("trailing comma") << "1, * * * *"
                                    << "empty item";
    QTest::newRow("word in a number field") << "x * * * *"
                                            << "minute: \"x\" is not a number";
    QTest::newRow("unknown month name") << "0 0 1 foo *"
                                        << "month: \"foo\" is not a number or";
    QTest::newRow("negative") << "-1 * * * *"
                              << "minute";
    QTest::newRow("unknown macro") << "@sometimes"
                                   << "unknown macro";
}

void tst_CronSchedule::rejects()
{
    QFETCH(QString, expression);
    QFETCH(QString, message);
    const auto schedule = CronSchedule::parse(expression);
    QVERIFY(!schedule);
    QCOMPARE(schedule.error().code, QStringLiteral("invalid_cron"));
    QVERIFY2(schedule.error().message.contains(message), qPrintable(schedule.error().message));
    QVERIFY2(schedule.error().message.contains(u'"' + expression.trimmed() + u'"'),
             "the message quotes the expression");
}

void tst_CronSchedule::occurrences_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QDateTime>("from");
    QTest::addColumn<QDateTime>("to");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QList<QDateTime>>("expected");

    QTest::newRow("every 12 hours over two days")
        << "0 */12 * * *" << utc("2026-01-05T00:00:00Z") << utc("2026-01-07T00:00:00Z") << 100
        << QList<QDateTime> {utc("2026-01-05T12:00:00Z"), utc("2026-01-06T00:00:00Z"),
                             utc("2026-01-06T12:00:00Z"), utc("2026-01-07T00:00:00Z")};
    QTest::newRow("daily at 2 over 36 hours")
        << "0 2 * * *" << utc("2026-01-05T01:00:00Z") << utc("2026-01-06T13:00:00Z") << 100
        << QList<QDateTime> {utc("2026-01-05T02:00:00Z"), utc("2026-01-06T02:00:00Z")};
    QTest::newRow("none in a short interval")
        << "0 2 * * *" << utc("2026-01-05T03:00:00Z") << utc("2026-01-05T04:00:00Z") << 100
        << QList<QDateTime> {};
    QTest::newRow("limited") << "* * * * *" << utc("2026-01-05T00:00:00Z")
                             << utc("2026-12-31T00:00:00Z") << 2
                             << QList<QDateTime> {utc("2026-01-05T00:01:00Z"),
                                                  utc("2026-01-05T00:02:00Z")};
}

void tst_CronSchedule::occurrences()
{
    QFETCH(QString, expression);
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    QFETCH(int, limit);
    QFETCH(QList<QDateTime>, expected);
    const auto schedule = CronSchedule::parse(expression);
    QVERIFY(schedule);
    QCOMPARE(schedule->occurrences(from, to, limit), expected);
}

void tst_CronSchedule::firesBetweenExcludesTheStartAndIncludesTheEnd_data()
{
    QTest::addColumn<QDateTime>("from");
    QTest::addColumn<QDateTime>("to");
    QTest::addColumn<bool>("fires");

    QTest::newRow("start on the hour, end on the next")
        << utc("2026-01-05T09:00:00Z") << utc("2026-01-05T10:00:00Z") << true;
    QTest::newRow("end a moment before the hour")
        << utc("2026-01-05T09:00:00Z") << utc("2026-01-05T09:59:59.999Z") << false;
    QTest::newRow("start on the hour, end within it")
        << utc("2026-01-05T10:00:00Z") << utc("2026-01-05T10:30:00Z") << false;
    QTest::newRow("49 hours") << utc("2026-01-05T09:17:00Z") << utc("2026-01-07T10:17:00Z") << true;
}

void tst_CronSchedule::firesBetweenExcludesTheStartAndIncludesTheEnd()
{
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    QFETCH(bool, fires);
    const auto hourly = CronSchedule::parse(QStringLiteral("0 * * * *"));
    QVERIFY(hourly);
    QCOMPARE(hourly->firesBetween(from, to), fires);
}

void tst_CronSchedule::matches_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QDateTime>("at");
    QTest::addColumn<bool>("matches");

    QTest::newRow("hourly at :00:42") << "0 * * * *" << utc("2026-01-05T09:00:42Z") << true;
    QTest::newRow("hourly at :01") << "0 * * * *" << utc("2026-01-05T09:01:00Z") << false;
    QTest::newRow("weekday on Saturday")
        << "0 9 * * mon-fri" << utc("2026-01-10T09:00:00Z") << false;
    QTest::newRow("weekday on Monday") << "0 9 * * mon-fri" << utc("2026-01-05T09:00:00Z") << true;
}

void tst_CronSchedule::matches()
{
    QFETCH(QString, expression);
    QFETCH(QDateTime, at);
    QFETCH(bool, matches);
    const auto schedule = CronSchedule::parse(expression);
    QVERIFY(schedule);
    QCOMPARE(schedule->matches(at), matches);
}

void tst_CronSchedule::rareSchedulesAreFoundWithoutWalkingMinutes()
{
    // A century of yearly and leap-day firings: a minute-by-minute search would take minutes.
    const auto yearly = CronSchedule::parse(QStringLiteral("0 0 1 1 *"));
    const auto leapDay = CronSchedule::parse(QStringLiteral("0 0 29 2 *"));
    QVERIFY(yearly && leapDay);
    QElapsedTimer timer;
    timer.start();
    const QDateTime from = utc("2000-01-01T00:00:00Z");
    const QDateTime to = utc("2100-01-01T00:00:00Z");
    QCOMPARE(yearly->occurrences(from, to).size(), 100);
    QCOMPARE(leapDay->occurrences(from, to).size(), 25); // 2000..2096
    QVERIFY2(timer.elapsed() < 2000, "found in well under a second on any machine");
}

QTEST_GUILESS_MAIN(tst_CronSchedule)
#include "tst_cronschedule.moc"
