// switchboard-server as an operator starts it: a real process, its stdout line, its exit codes.
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

class tst_ServerProcess : public QObject
{
    Q_OBJECT

private slots:
    void startsAnswersHealthAndStopsOnSignal_data();
    void startsAnswersHealthAndStopsOnSignal();
    void refusesBadArguments_data();
    void refusesBadArguments();
    void printsVersionAndHelp();
    void readsConfigFile();
    void createsBootstrapAdminOnce();

private:
    struct Started
    {
        std::unique_ptr<QProcess> process;
        QString baseUrl;
    };
    Started start(const QStringList &args, const QProcessEnvironment &env = cleanEnvironment());
    static QProcessEnvironment cleanEnvironment();
    QJsonObject getJson(const QString &url, int *status = nullptr);
    int runToExit(const QStringList &args, QByteArray *stderrText = nullptr,
                  const QProcessEnvironment &env = cleanEnvironment());

    QNetworkAccessManager m_net;
};

QProcessEnvironment tst_ServerProcess::cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"SWITCHBOARD_"))
            env.remove(key);
    }
    env.insert(QStringLiteral("SWITCHBOARD_PASSWORD_ITERATIONS"), QStringLiteral("1000"));
    return env;
}

tst_ServerProcess::Started tst_ServerProcess::start(const QStringList &args,
                                                    const QProcessEnvironment &env)
{
    Started s;
    s.process = std::make_unique<QProcess>();
    s.process->setProcessEnvironment(env);
    s.process->setProcessChannelMode(QProcess::SeparateChannels);
    s.process->start(QStringLiteral(SWITCHBOARD_SERVER_BINARY), args);
    if (!s.process->waitForStarted(10000))
        return s;
    static const QRegularExpression line(QStringLiteral(R"(^listening on (http://\S+:\d+)\n$)"));
    QByteArray out;
    for (int i = 0; i < 100 && !out.contains('\n'); ++i) {
        s.process->waitForReadyRead(100);
        out += s.process->readAllStandardOutput();
        if (s.process->state() != QProcess::Running)
            break;
    }
    const auto match = line.match(QString::fromUtf8(out));
    if (match.hasMatch())
        s.baseUrl = match.captured(1);
    else
        qWarning() << "unexpected output:" << out << s.process->readAllStandardError();
    return s;
}

QJsonObject tst_ServerProcess::getJson(const QString &url, int *status)
{
    std::unique_ptr<QNetworkReply> reply(m_net.get(QNetworkRequest(QUrl(url))));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

int tst_ServerProcess::runToExit(const QStringList &args, QByteArray *stderrText,
                                 const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SWITCHBOARD_SERVER_BINARY), args);
    if (!p.waitForFinished(15000)) {
        p.kill();
        return -1;
    }
    if (stderrText)
        *stderrText = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void tst_ServerProcess::startsAnswersHealthAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void tst_ServerProcess::startsAnswersHealthAndStopsOnSignal()
{
    QFETCH(int, signal);
    QTemporaryDir dataDir;
    auto s = start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                    dataDir.path()});
    QVERIFY2(!s.baseUrl.isEmpty(), "the server printed no 'listening on' line");
    QVERIFY(!s.baseUrl.endsWith(u":0"));

    int status = 0;
    const QJsonObject health = getJson(s.baseUrl + u"/api/v1/health", &status);
    QCOMPARE(status, 200);
    QCOMPARE(health.value(u"status").toString(), QStringLiteral("ok"));
    QCOMPARE(health.value(u"database").toString(), QStringLiteral("sqlite"));
    QVERIFY(health.value(u"schemaVersion").toInt() >= 1);
    QVERIFY(QFile::exists(dataDir.filePath(QStringLiteral("switchboard.sqlite"))));

    ::kill(static_cast<pid_t>(s.process->processId()), signal);
    QVERIFY(s.process->waitForFinished(10000));
    QCOMPARE(s.process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(s.process->exitCode(), 0);
}

void tst_ServerProcess::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option")
        << QStringList {QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
    QTest::newRow("port too large")
        << QStringList {QStringLiteral("--port"), QStringLiteral("70000")}
        << QStringLiteral("--port");
    QTest::newRow("port not a number")
        << QStringList {QStringLiteral("--port"), QStringLiteral("http")}
        << QStringLiteral("--port");
    QTest::newRow("bad listen address")
        << QStringList {QStringLiteral("--listen"), QStringLiteral("not-an-address")}
        << QStringLiteral("--listen");
    QTest::newRow("missing option value")
        << QStringList {QStringLiteral("--data-dir")} << QStringLiteral("data-dir");
    QTest::newRow("positional argument")
        << QStringList {QStringLiteral("serve")} << QStringLiteral("serve");
    QTest::newRow("missing config file")
        << QStringList {QStringLiteral("--config"), QStringLiteral("/nonexistent/switchboard.conf")}
        << QStringLiteral("/nonexistent/switchboard.conf");
    QTest::newRow("unusable data dir")
        << QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                        QStringLiteral("/proc/switchboard")}
        << QStringLiteral("data directory");
    QTest::newRow("bad database url")
        << QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--config"),
                        QStringLiteral(":bad-url")}
        << QStringLiteral("database URL");
}

void tst_ServerProcess::refusesBadArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir dir;
    if (args.contains(u":bad-url")) {
        const QString path = dir.filePath(QStringLiteral("bad.conf"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("SWITCHBOARD_DATABASE_URL=mysql://nowhere/db\nSWITCHBOARD_DATA_DIR="
                + dir.path().toUtf8() + "\n");
        f.close();
        args.replace(args.indexOf(u":bad-url"), path);
    }
    QByteArray err;
    QCOMPARE(runToExit(args, &err), 2);
    QVERIFY2(QString::fromUtf8(err).contains(message, Qt::CaseInsensitive), err.constData());
    QVERIFY2(!err.contains("Segmentation") && !err.contains("terminate"), err.constData());
}

void tst_ServerProcess::printsVersionAndHelp()
{
    QProcess p;
    p.start(QStringLiteral(SWITCHBOARD_SERVER_BINARY), {QStringLiteral("--version")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(p.readAllStandardOutput().startsWith("switchboard-server " SWITCHBOARD_VERSION));

    p.start(QStringLiteral(SWITCHBOARD_SERVER_BINARY), {QStringLiteral("--help")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray help = p.readAllStandardOutput();
    for (const char *expected : {"--listen", "--port", "--data-dir", "--config", "--fake-clock",
                                 "COMPLETION_ESCALATION_HOURS", "SWITCHBOARD_DATABASE_URL"})
        QVERIFY2(help.contains(expected), expected);
}

void tst_ServerProcess::readsConfigFile()
{
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("from-config"));
    const QString path = dir.filePath(QStringLiteral("server.conf"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# comment\nSWITCHBOARD_PORT=0\nSWITCHBOARD_DATA_DIR=\"" + dataDir.toUtf8() + "\"\n");
    f.close();

    auto s = start({QStringLiteral("--config"), path});
    QVERIFY(!s.baseUrl.isEmpty());
    QVERIFY(QFile::exists(dataDir + u"/switchboard.sqlite"));
    s.process->terminate();
    QVERIFY(s.process->waitForFinished(10000));
    QCOMPARE(s.process->exitCode(), 0);
}

void tst_ServerProcess::createsBootstrapAdminOnce()
{
    QTemporaryDir dir;
    QProcessEnvironment env = cleanEnvironment();
    env.insert(QStringLiteral("SWITCHBOARD_ADMIN_EMAIL"), QStringLiteral("root@example.com"));
    env.insert(QStringLiteral("SWITCHBOARD_ADMIN_PASSWORD"), QStringLiteral("correct horse"));
    const QStringList args {QStringLiteral("--port"), QStringLiteral("0"),
                            QStringLiteral("--data-dir"), dir.path()};
    for (int run = 0; run < 2; ++run) {
        auto s = start(args, env);
        QVERIFY(!s.baseUrl.isEmpty());
        s.process->terminate();
        QVERIFY(s.process->waitForFinished(10000));
        const QByteArray err = s.process->readAllStandardError();
        QCOMPARE(err.contains("created the first admin"), run == 0);
        QVERIFY2(!err.contains("correct horse"), "the admin password reached the log");
    }

    env.insert(QStringLiteral("SWITCHBOARD_ADMIN_PASSWORD"), QStringLiteral("short"));
    QTemporaryDir other;
    QByteArray err;
    QCOMPARE(runToExit({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                        other.path()},
                       &err, env),
             1);
    QVERIFY(err.contains("at least 8 characters"));
}

QTEST_GUILESS_MAIN(tst_ServerProcess)
#include "tst_serverprocess.moc"
