// Wire timestamps are written without QDateTime's formatter: every value must come out exactly as
// Qt's ISODateWithMs in UTC wrote it before, including the edges of the calendar arithmetic.
#include <domain/timeformat.h>

#include <QRandomGenerator>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;

namespace {

QString qtIso(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 utcMs(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0, int ms = 0)
{
    return QDateTime(QDate(y, m, d), QTime(hh, mm, ss, ms), Qt::UTC).toMSecsSinceEpoch();
}

} // namespace

class TestTimeFormat : public QObject
{
    Q_OBJECT

private slots:
    void matchesQt_data()
    {
        QTest::addColumn<qint64>("msecs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("epoch") << qint64(0) << u"1970-01-01T00:00:00.000Z"_s;
        QTest::newRow("one ms before the epoch") << qint64(-1) << u"1969-12-31T23:59:59.999Z"_s;
        QTest::newRow("one day before the epoch")
            << qint64(-86'400'000) << u"1969-12-31T00:00:00.000Z"_s;
        QTest::newRow("leap day 2024")
            << utcMs(2024, 2, 29, 23, 59, 59, 999) << u"2024-02-29T23:59:59.999Z"_s;
        QTest::newRow("day after leap day") << utcMs(2024, 3, 1) << u"2024-03-01T00:00:00.000Z"_s;
        QTest::newRow("2000 is a leap year")
            << utcMs(2000, 2, 29, 12) << u"2000-02-29T12:00:00.000Z"_s;
        QTest::newRow("1900 is not") << utcMs(1900, 3, 1) << u"1900-03-01T00:00:00.000Z"_s;
        QTest::newRow("ms padding")
            << utcMs(2026, 11, 25, 16, 31, 43, 7) << u"2026-11-25T16:31:43.007Z"_s;
        QTest::newRow("ms 10") << utcMs(2026, 1, 2, 3, 4, 5, 10) << u"2026-01-02T03:04:05.010Z"_s;
        QTest::newRow("year 1") << utcMs(1, 1, 1) << u"0001-01-01T00:00:00.000Z"_s;
        QTest::newRow("year 999") << utcMs(999, 12, 31, 23, 59, 59, 999)
                                  << u"0999-12-31T23:59:59.999Z"_s;
        QTest::newRow("year 9999")
            << utcMs(9999, 12, 31, 23, 59, 59, 999) << u"9999-12-31T23:59:59.999Z"_s;
        // Outside 1..9999 toIsoUtc defers to Qt, whatever Qt writes there.
        QTest::newRow("year 10000") << utcMs(10000, 1, 1) << qtIso(utcMs(10000, 1, 1));
        QTest::newRow("year -1") << utcMs(-1, 12, 31) << qtIso(utcMs(-1, 12, 31));
    }

    void matchesQt()
    {
        QFETCH(qint64, msecs);
        QFETCH(QString, expected);
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
        QCOMPARE(qtIso(msecs), expected); // the table itself is Qt's output
        QCOMPARE(toIsoUtc(t), expected);
    }

    void anyZoneIsWrittenInUtc()
    {
        const QDateTime local(QDate(2026, 3, 29), QTime(3, 30), Qt::OffsetFromUTC, 2 * 3600);
        QCOMPARE(toIsoUtc(local), u"2026-03-29T01:30:00.000Z"_s);
    }

    void invalidIsEmpty()
    {
        QVERIFY(toIsoUtc(QDateTime()).isEmpty());
        QVERIFY(isoOrNull(QDateTime()).isNull());
    }

    // Random instants over the whole 1..9999 range, and densely around the epoch.
    void randomInstantsMatchQt()
    {
        QRandomGenerator random(20261125);
        const qint64 first = utcMs(1, 1, 1);
        const qint64 last = utcMs(9999, 12, 31, 23, 59, 59, 999);
        for (int i = 0; i < 20000; ++i) {
            const qint64 msecs = i % 2 ? random.bounded(first, last)
                                       : random.bounded(-qint64(1) << 36, qint64(1) << 36);
            const QString ours = toIsoUtc(QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC));
            if (ours != qtIso(msecs))
                QFAIL(qPrintable(u"%1 ms: %2, Qt wrote %3"_s.arg(msecs).arg(ours, qtIso(msecs))));
        }
    }
};

QTEST_GUILESS_MAIN(TestTimeFormat)
#include "tst_timeformat.moc"
