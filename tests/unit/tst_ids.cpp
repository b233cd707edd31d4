#include <store/ids.h>

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QThread>

using namespace sb::store;

// Ids are UUIDv7: RFC 9562's layout, the time of their making first, so that new rows append to
// their indexes; and never the same twice.
class TestIds : public QObject
{
    Q_OBJECT

private slots:
    void hasTheLayoutOfAVersion7Uuid()
    {
        static const QRegularExpression layout(QStringLiteral(
            "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        for (int i = 0; i < 1000; ++i) {
            const QString id = newId();
            QVERIFY2(layout.match(id).hasMatch(), qPrintable(id));
        }
    }

    void beginsWithTheMillisecondItWasMadeIn()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const QString id = newId();
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        bool ok = false;
        const qint64 ms = QString(id).remove(u'-').left(12).toLongLong(&ok, 16);
        QVERIFY(ok);
        QVERIFY2(ms >= before && ms <= after, qPrintable(id));
    }

    void idsMadeLaterSortAfter()
    {
        QString previous = newId();
        for (int i = 0; i < 5; ++i) {
            QThread::msleep(2);
            const QString next = newId();
            QVERIFY2(previous < next, qPrintable(previous + u" then " + next));
            previous = next;
        }
    }

    void neverRepeatsEvenWithinOneMillisecond()
    {
        QSet<QString> seen;
        constexpr int kCount = 200000;
        seen.reserve(kCount);
        for (int i = 0; i < kCount; ++i)
            seen.insert(newId());
        QCOMPARE(seen.size(), kCount);
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
