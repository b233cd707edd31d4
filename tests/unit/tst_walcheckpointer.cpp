#include <store/walcheckpointer.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using sb::store::WalCheckpointer;

// The checkpointer keeps a busy writer's WAL small (it copies and rewinds it while the writer
// goes on committing, with SQLite's own checkpoint off), and loses nothing.
class TestWalCheckpointer : public QObject
{
    Q_OBJECT

private slots:
    void keepsTheWalSmallUnderAWriter();
};

void TestWalCheckpointer::keepsTheWalSmallUnderAWriter()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("wal.sqlite"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("w"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode=WAL")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous=NORMAL")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA wal_autocheckpoint=0")));
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")));

        WalCheckpointer::Options options;
        options.intervalMs = 2;
        options.restartFrames = 64;
        options.restartBacklogFrames = 256;
        options.busyTimeoutMs = 1000;
        auto checkpointer = std::make_unique<WalCheckpointer>(path, options);

        // ~2 pages a commit for 2,000 commits: 4,000 frames (16 MB) without checkpoints.
        const QString body(3000, u'x');
        QSqlQuery insert(db);
        QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t (body) VALUES (?)")));
        qint64 largestWal = 0;
        for (int i = 0; i < 2000; ++i) {
            QVERIFY(db.transaction());
            insert.bindValue(0, body);
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
            QVERIFY2(db.commit(), qPrintable(db.lastError().text()));
            largestWal = std::max(largestWal, QFileInfo(path + u"-wal").size());
            if (i % 25 == 0) {
                // A gap, as a real load has: the checkpointer gets two passes, however slow
                // this machine's disk (a fixed sleep made the test depend on its fsync).
                const int passes = checkpointer->passes();
                QVERIFY(
                    QTest::qWaitFor([&] { return checkpointer->passes() >= passes + 2; }, 5000));
            }
        }
        const int restarts = checkpointer->restarts();
        checkpointer.reset();
        // Without the checkpointer the WAL would reach 16 MB; rewound every few bursts it
        // stays near restartFrames plus a burst (~0.5 MB).
        QVERIFY2(largestWal < 2 * 1024 * 1024, qPrintable(QString::number(largestWal)));
        QVERIFY2(restarts >= 10, qPrintable(QString::number(restarts)));
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*), MIN(LENGTH(body)) FROM t")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 2000);
        QCOMPARE(q.value(1).toInt(), 3000);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("w"));
}

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_walcheckpointer.moc"
