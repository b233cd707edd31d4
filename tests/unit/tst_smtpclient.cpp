// The SMTP client against a loopback sink: the conversation, multi-line and fragmented replies,
// dot-stuffing, MIME headers and encodings, AUTH, refusals, time-outs, and no password anywhere.
#include <server/mailmessage.h>
#include <server/smtpclient.h>
#include <support/smtpsink.h>

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTest>

#include <optional>

using namespace sb;
using namespace sb::server;
using sb::test::SmtpSink;

namespace {

MailMessage sampleMessage(const QString &body = QStringLiteral("Your job is done.\nThanks!"))
{
    MailMessage m;
    m.from = QStringLiteral("support@switchboard.test");
    m.to = QStringLiteral("ada@example.com");
    m.subject = QStringLiteral("Job completed");
    m.body = body;
    m.date = QDateTime(QDate(2025, 11, 25), QTime(16, 58, 7), Qt::UTC);
    m.messageId = QStringLiteral("d-1@switchboard.test");
    return m;
}

SmtpConfig configFor(const SmtpSink &sink)
{
    SmtpConfig c;
    c.host = QStringLiteral("127.0.0.1");
    c.port = sink.port();
    c.stepTimeoutMs = 3000;
    return c;
}

// Sends and waits for the outcome; nullopt when none came.
std::optional<Status> sendAndWait(const SmtpConfig &config, const MailMessage &message,
                                  int timeoutMs = 5000)
{
    SmtpClient client(config);
    std::optional<Status> outcome;
    int calls = 0;
    client.send(message, [&](const Status &s) {
        outcome = s;
        ++calls;
    });
    QElapsedTimer timer;
    timer.start();
    while (!outcome && timer.elapsed() < timeoutMs)
        QTest::qWait(10);
    QTest::qWait(20); // a second call would come now
    if (calls != 1)
        return Status(Error::make(QStringLiteral("test"), QStringLiteral("called twice")));
    return outcome;
}

QByteArray decodeQuotedPrintable(const QByteArray &qp)
{
    QByteArray out;
    QByteArray text = qp;
    text.replace("=\r\n", "");
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == '=' && i + 2 < text.size()) {
            out += char(text.mid(i + 1, 2).toInt(nullptr, 16));
            i += 2;
        } else {
            out += text.at(i);
        }
    }
    return out;
}

QString decodeEncodedWords(const QByteArray &value)
{
    static const QRegularExpression word(QStringLiteral(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)"));
    QByteArray out;
    auto it = word.globalMatch(QString::fromLatin1(value));
    bool any = false;
    while (it.hasNext()) {
        out += QByteArray::fromBase64(it.next().captured(1).toLatin1());
        any = true;
    }
    return any ? QString::fromUtf8(out) : QString::fromUtf8(value);
}

} // namespace

class tst_SmtpClient : public QObject
{
    Q_OBJECT

private slots:
    void parsesUrls_data();
    void parsesUrls();
    void deliversOneMessage();
    void readsMultiLineAndFragmentedReplies_data();
    void readsMultiLineAndFragmentedReplies();
    void fallsBackToHeloWhenEhloIsRefused();
    void dotStuffing_data();
    void dotStuffing();
    void headersCannotBeInjected();
    void encodesNonAsciiSubjects_data();
    void encodesNonAsciiSubjects();
    void quotedPrintableForNonAsciiBodies();
    void authenticates_data();
    void authenticates();
    void upgradesWithStartTls_data();
    void upgradesWithStartTls();
    void speaksTlsFromTheFirstByte();
    void untrustedCertificateSendsNothing();
    void refusals_data();
    void refusals();
    void timesOutOnASilentServer();
    void reportsARefusedConnection();
    void passwordNeverInAnError();
    void abortMeansNoCallback();
};

void tst_SmtpClient::parsesUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::newRow("plain") << "smtp://mail.example.com" << true << "mail.example.com" << 25 << false
                           << ""
                           << "";
    QTest::newRow("port and credentials") << "smtp://mailer:s%40cret%3A1@mail.example.com:587"
                                          << true << "mail.example.com" << 587 << false << "mailer"
                                          << "s@cret:1";
    QTest::newRow("implicit tls") << "smtps://u:p@mail.example.com" << true << "mail.example.com"
                                  << 465 << true << "u"
                                  << "p";
    QTest::newRow("wrong scheme") << "http://mail.example.com" << false << "" << 0 << false << ""
                                  << "";
    QTest::newRow("no host") << "smtp://" << false << "" << 0 << false << ""
                             << "";
}

void tst_SmtpClient::parsesUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    const auto config = SmtpConfig::fromUrl(url);
    QCOMPARE(config.ok(), ok);
    if (!ok) {
        QVERIFY(!config.error().message.contains(url));
        return;
    }
    QTEST(config->host, "host");
    QTEST(int(config->port), "port");
    QTEST(config->implicitTls, "tls");
    QTEST(config->user, "user");
    QTEST(config->password, "password");
    QVERIFY(!config->describe().contains(u'@'));
}

void tst_SmtpClient::deliversOneMessage()
{
    SmtpSink sink;
    QVERIFY(sink.listen());
    const auto outcome = sendAndWait(configFor(sink), sampleMessage());
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->error().message));

    QCOMPARE(sink.messages().size(), 1);
    const SmtpSink::Message m = sink.messages().first();
    QCOMPARE(m.mailFrom, QByteArray("support@switchboard.test"));
    QCOMPARE(m.rcptTo, QList<QByteArray> {"ada@example.com"});
    QCOMPARE(m.header("From"), QByteArray("support@switchboard.test"));
    QCOMPARE(m.header("To"), QByteArray("ada@example.com"));
    QCOMPARE(m.header("Subject"), QByteArray("Job completed"));
    QCOMPARE(m.header("Date"), QByteArray("Tue, 25 Nov 2025 16:58:07 +0000"));
    QCOMPARE(m.header("Message-ID"), QByteArray("<d-1@switchboard.test>"));
    QCOMPARE(m.header("MIME-Version"), QByteArray("1.0"));
    QCOMPARE(m.header("Content-Type"), QByteArray("text/plain; charset=UTF-8"));
    QCOMPARE(m.header("Content-Transfer-Encoding"), QByteArray("7bit"));
    QCOMPARE(m.body(), QByteArray("Your job is done.\r\nThanks!\r\n"));
    // The conversation, in order, ending politely.
    QTRY_VERIFY(sink.commands().contains("QUIT"));
    QStringList verbs;
    for (const QByteArray &c : sink.commands())
        verbs << QString::fromLatin1(c.split(' ').value(0));
    QCOMPARE(verbs, (QStringList {"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}));
}

void tst_SmtpClient::readsMultiLineAndFragmentedReplies_data()
{
    QTest::addColumn<bool>("multiLineGreeting");
    QTest::addColumn<bool>("fragmented");
    QTest::addColumn<int>("extensions");
    QTest::newRow("multi-line greeting") << true << false << 3;
    QTest::newRow("long EHLO list") << false << false << 40;
    QTest::newRow("fragmented replies") << false << true << 3;
    QTest::newRow("all of it") << true << true << 40;
}

void tst_SmtpClient::readsMultiLineAndFragmentedReplies()
{
    QFETCH(bool, multiLineGreeting);
    QFETCH(bool, fragmented);
    QFETCH(int, extensions);
    SmtpSink sink;
    sink.options.multiLineGreeting = multiLineGreeting;
    sink.options.fragmentReplies = fragmented;
    sink.options.extensions.clear();
    for (int i = 0; i < extensions; ++i)
        sink.options.extensions << "X-EXTENSION-" + QByteArray::number(i);
    QVERIFY(sink.listen());
    const auto outcome = sendAndWait(configFor(sink), sampleMessage(), 10000);
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->error().message));
    QCOMPARE(sink.messages().size(), 1);
    // One EHLO: a reply read in pieces is still one reply.
    QCOMPARE(sink.commands().count(sink.commands().first()), 1);
}

void tst_SmtpClient::fallsBackToHeloWhenEhloIsRefused()
{
    SmtpSink sink;
    sink.options.rejectEhlo = true;
    QVERIFY(sink.listen());
    const auto outcome = sendAndWait(configFor(sink), sampleMessage());
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->error().message));
    QCOMPARE(sink.messages().size(), 1);
    QVERIFY(sink.commands().value(1).startsWith("HELO "));
}

void tst_SmtpClient::dotStuffing_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QByteArray>("wireBody");
    QTest::newRow("a lone dot") << "before\n.\nafter" << QByteArray("before\r\n..\r\nafter\r\n");
    QTest::newRow("leading dots") << ".hidden\n..two" << QByteArray("..hidden\r\n...two\r\n");
    QTest::newRow("dot at the very end") << "end\n." << QByteArray("end\r\n..\r\n");
    QTest::newRow("CRLF dot CRLF inside") << "a\r\n.\r\nb" << QByteArray("a\r\n..\r\nb\r\n");
    QTest::newRow("dots elsewhere untouched") << "a.b\n x.\n" << QByteArray("a.b\r\n x.\r\n");
}

void tst_SmtpClient::dotStuffing()
{
    QFETCH(QString, body);
    QFETCH(QByteArray, wireBody);
    SmtpSink sink;
    QVERIFY(sink.listen());
    const auto outcome = sendAndWait(configFor(sink), sampleMessage(body));
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->error().message));
    QCOMPARE(sink.messages().size(), 1);
    const SmtpSink::Message m = sink.messages().first();
    // On the wire, stuffed; once the server has taken the dots off, the body as written.
    QVERIFY2(m.wire.endsWith(QByteArray("\r\n\r\n" + wireBody)), m.wire.constData());
    QByteArray expected = body.toUtf8().replace("\r\n", "\n").replace("\n", "\r\n");
    if (!expected.endsWith("\r\n"))
        expected += "\r\n";
    QCOMPARE(m.body(), expected);
    QCOMPARE(SmtpClient::dotStuff(".a\r\nb\r\n.\r\n"), QByteArray("..a\r\nb\r\n..\r\n"));
}

void tst_SmtpClient::headersCannotBeInjected()
{
    SmtpSink sink;
    QVERIFY(sink.listen());
    MailMessage message = sampleMessage();
    message.subject = QStringLiteral("Hello\r\nBcc: victim@example.com\r\n\r\nforged body");
    const auto outcome = sendAndWait(configFor(sink), message);
    QVERIFY(outcome && outcome->ok());
    const SmtpSink::Message m = sink.messages().first();
    QVERIFY(!m.headerNames().contains("Bcc"));
    QCOMPARE(m.header("Subject"), QByteArray("Hello Bcc: victim@example.com forged body"));
    QCOMPARE(m.rcptTo.size(), 1);

    // A recipient with a line break in it never reaches the wire.
    message = sampleMessage();
    message.to = QStringLiteral("ada@example.com>\r\nRCPT TO:<victim@example.com");
    const auto refused = sendAndWait(configFor(sink), message);
    QVERIFY(refused && !refused->ok());
    QVERIFY(refused->error().details.value(u"permanent").toBool());
    QCOMPARE(sink.messages().size(), 1);
}

void tst_SmtpClient::encodesNonAsciiSubjects_data()
{
    QTest::addColumn<QString>("subject");
    QTest::newRow("accents") << QStringLiteral("Votre réparation est terminée");
    QTest::newRow("long, multi-byte")
        << QString(QStringLiteral("Überprüfung ✓ 修理完了 ")).repeated(6);
    QTest::newRow("emoji") << QStringLiteral("Job done \U0001F527\U0001F527\U0001F527");
    QTest::newRow("looks encoded") << QStringLiteral("=?UTF-8?B?not really?=");
}

void tst_SmtpClient::encodesNonAsciiSubjects()
{
    QFETCH(QString, subject);
    SmtpSink sink;
    QVERIFY(sink.listen());
    MailMessage message = sampleMessage();
    message.subject = subject;
    const auto outcome = sendAndWait(configFor(sink), message);
    QVERIFY(outcome && outcome->ok());
    const SmtpSink::Message m = sink.messages().first();
    const QByteArray raw = m.header("Subject");
    QVERIFY(raw.startsWith("=?UTF-8?B?"));
    QCOMPARE(decodeEncodedWords(raw), subject.simplified());
    // Every header line stays short and ASCII (RFC 2047: words of at most 75 characters).
    for (const QByteArray &line : m.content.left(m.content.indexOf("\r\n\r\n")).split('\n')) {
        QVERIFY2(line.size() <= 78, line.constData());
        for (const char c : line)
            QVERIFY(static_cast<unsigned char>(c) < 0x80);
    }
}

void tst_SmtpClient::quotedPrintableForNonAsciiBodies()
{
    SmtpSink sink;
    QVERIFY(sink.listen());
    const QString body
        = QStringLiteral("Café = 5 € \nLine with trailing space \n") + QString(u'x').repeated(200);
    const auto outcome = sendAndWait(configFor(sink), sampleMessage(body));
    QVERIFY(outcome && outcome->ok());
    const SmtpSink::Message m = sink.messages().first();
    QCOMPARE(m.header("Content-Transfer-Encoding"), QByteArray("quoted-printable"));
    QVERIFY(m.body().startsWith("Caf=C3=A9 =3D 5 =E2=82=AC=20\r\n"));
    for (const QByteArray &line : m.body().split('\n'))
        QVERIFY2(line.size() <= 77, line.constData()); // 76 and the CR
    QCOMPARE(QString::fromUtf8(decodeQuotedPrintable(m.body())),
             QString(QString(body).replace(QStringLiteral("\n"), QStringLiteral("\r\n"))
                     + QStringLiteral("\r\n")));
}

void tst_SmtpClient::authenticates_data()
{
    QTest::addColumn<QByteArray>("mechanism");
    QTest::newRow("PLAIN") << QByteArray("PLAIN");
    QTest::newRow("LOGIN") << QByteArray("LOGIN");
}

void tst_SmtpClient::authenticates()
{
    QFETCH(QByteArray, mechanism);
    SmtpSink sink;
    sink.options.authMechanisms = {mechanism};
    QVERIFY(sink.listen());
    SmtpConfig config = configFor(sink);
    config.user = QStringLiteral("mailer");
    config.password = QStringLiteral("pä$$ wörd");
    const auto outcome = sendAndWait(config, sampleMessage());
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->error().message));
    const SmtpSink::Message m = sink.messages().first();
    QCOMPARE(m.authUser, QByteArray("mailer"));
    QCOMPARE(QString::fromUtf8(m.authPassword), config.password);

    // No mechanism we know: a clear error, nothing sent.
    sink.options.authMechanisms = {"CRAM-MD5"};
    const auto unsupported = sendAndWait(config, sampleMessage());
    QVERIFY(unsupported && !unsupported->ok());
    QVERIFY(unsupported->error().message.contains(QStringLiteral("AUTH")));
    QCOMPARE(sink.messages().size(), 1);
}

void tst_SmtpClient::upgradesWithStartTls_data()
{
    QTest::addColumn<QByteArray>("mechanism"); // empty: no credentials
    QTest::newRow("no credentials") << QByteArray();
    QTest::newRow("AUTH PLAIN") << QByteArray("PLAIN");
    QTest::newRow("AUTH LOGIN") << QByteArray("LOGIN");
}

// STARTTLS when the server offers it: only the first EHLO and STARTTLS go in clear; the second
// EHLO, the credentials and the message go encrypted.
void tst_SmtpClient::upgradesWithStartTls()
{
    // STARTTLS is required of the client: a build without Qt's TLS backend must fail here.
    QVERIFY2(QSslSocket::supportsSsl(), "no TLS backend (Qt's OpenSSL plugin and libssl3)");
    QFETCH(QByteArray, mechanism);
    SmtpSink sink;
    sink.options.startTls = true;
    if (!mechanism.isEmpty())
        sink.options.authMechanisms = {mechanism};
    QVERIFY(sink.listen());
    SmtpConfig config = configFor(sink);
    config.caCertificates = {SmtpSink::certificate()};
    if (!mechanism.isEmpty()) {
        config.user = QStringLiteral("mailer");
        config.password = QStringLiteral("S3cr3t-pa55");
    }
    const auto outcome = sendAndWait(config, sampleMessage());
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->error().message));
    QCOMPARE(sink.messages().size(), 1);
    const SmtpSink::Message m = sink.messages().first();
    QVERIFY(m.tls);
    QCOMPARE(m.body(), QByteArray("Your job is done.\r\nThanks!\r\n"));
    QCOMPARE(sink.commandsInClear().size(), 2);
    QVERIFY(sink.commandsInClear().at(0).startsWith("EHLO "));
    QCOMPARE(sink.commandsInClear().at(1), QByteArray("STARTTLS"));
    QVERIFY(sink.commands().value(2).startsWith("EHLO ")); // hello again, inside TLS
    if (!mechanism.isEmpty()) {
        QCOMPARE(m.authUser, QByteArray("mailer"));
        QCOMPARE(m.authPassword, QByteArray("S3cr3t-pa55"));
    }
}

void tst_SmtpClient::speaksTlsFromTheFirstByte()
{
    // STARTTLS is required of the client: a build without Qt's TLS backend must fail here.
    QVERIFY2(QSslSocket::supportsSsl(), "no TLS backend (Qt's OpenSSL plugin and libssl3)");
    SmtpSink sink;
    sink.options.implicitTls = true;
    QVERIFY(sink.listen());
    SmtpConfig config = configFor(sink);
    config.implicitTls = true;
    config.caCertificates = {SmtpSink::certificate()};
    const auto outcome = sendAndWait(config, sampleMessage());
    QVERIFY(outcome);
    QVERIFY2(outcome->ok(), qPrintable(outcome->error().message));
    QCOMPARE(sink.messages().size(), 1);
    QVERIFY(sink.messages().first().tls);
    QVERIFY(sink.commandsInClear().isEmpty());
}

// A certificate the client does not trust ends the send: no falling back to clear text.
void tst_SmtpClient::untrustedCertificateSendsNothing()
{
    // STARTTLS is required of the client: a build without Qt's TLS backend must fail here.
    QVERIFY2(QSslSocket::supportsSsl(), "no TLS backend (Qt's OpenSSL plugin and libssl3)");
    SmtpSink sink;
    sink.options.startTls = true;
    sink.options.authMechanisms = {"PLAIN"};
    QVERIFY(sink.listen());
    SmtpConfig config = configFor(sink); // trusts the system's CAs only
    config.user = QStringLiteral("mailer");
    config.password = QStringLiteral("S3cr3t-pa55");
    const auto outcome = sendAndWait(config, sampleMessage());
    QVERIFY(outcome && !outcome->ok());
    QCOMPARE(outcome->error().code, QStringLiteral("smtp_failed"));
    QVERIFY(!outcome->error().details.value(u"permanent").toBool());
    QVERIFY(sink.messages().isEmpty());
    QCOMPARE(sink.commands(), sink.commandsInClear()); // the handshake never completed
    for (const QByteArray &c : sink.commands())
        QVERIFY2(!c.startsWith("AUTH") && !c.startsWith("MAIL"), c.constData());
}

void tst_SmtpClient::refusals_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("permanent");
    QTest::newRow("greeting 554") << QByteArray("GREETING") << QByteArray("554 go away") << false;
    QTest::newRow("greeting multi-line 421")
        << QByteArray("GREETING") << QByteArray("421-busy\r\n421 try later") << false;
    QTest::newRow("sender 451") << QByteArray("MAIL") << QByteArray("451 4.3.0 try later") << false;
    QTest::newRow("recipient 550")
        << QByteArray("RCPT") << QByteArray("550 5.1.1 No such user here") << true;
    QTest::newRow("recipient 450")
        << QByteArray("RCPT") << QByteArray("450 4.2.1 mailbox busy") << false;
    QTest::newRow("data 554") << QByteArray("DATA") << QByteArray("554 5.5.1 no valid recipients")
                              << true;
    QTest::newRow("message 552") << QByteArray("CONTENT") << QByteArray("552 5.3.4 too big")
                                 << true;
    QTest::newRow("message 451") << QByteArray("CONTENT") << QByteArray("451 4.3.0 queue full")
                                 << false;
    QTest::newRow("hang-up after MAIL") << QByteArray("MAIL") << QByteArray("CLOSE") << false;
    QTest::newRow("not SMTP") << QByteArray("GREETING") << QByteArray("HTTP/1.1 400 Bad Request")
                              << false;
}

void tst_SmtpClient::refusals()
{
    QFETCH(QByteArray, verb);
    QFETCH(QByteArray, reply);
    QFETCH(bool, permanent);
    SmtpSink sink;
    sink.options.replies.insert(verb, reply);
    QVERIFY(sink.listen());
    const auto outcome = sendAndWait(configFor(sink), sampleMessage());
    QVERIFY(outcome);
    QVERIFY(!outcome->ok());
    QCOMPARE(outcome->error().code, QStringLiteral("smtp_failed"));
    QCOMPARE(outcome->error().details.value(u"permanent").toBool(), permanent);
    const QString message = outcome->error().message;
    QVERIFY2(message.startsWith(QStringLiteral("SMTP smtp://127.0.0.1:")), qPrintable(message));
    if (reply.at(0) >= '4' && reply.at(0) <= '5')
        QVERIFY2(message.contains(QString::fromLatin1(reply.left(3))), qPrintable(message));
    QVERIFY(!message.contains(u'\n'));
    QVERIFY(sink.messages().isEmpty());
}

void tst_SmtpClient::timesOutOnASilentServer()
{
    SmtpSink sink;
    sink.options.silent = true;
    QVERIFY(sink.listen());
    SmtpConfig config = configFor(sink);
    config.stepTimeoutMs = 300;
    QElapsedTimer timer;
    timer.start();
    const auto outcome = sendAndWait(config, sampleMessage());
    QVERIFY(outcome && !outcome->ok());
    QVERIFY2(outcome->error().message.contains(QStringLiteral("timed out")),
             qPrintable(outcome->error().message));
    QVERIFY(timer.elapsed() >= 250);
}

void tst_SmtpClient::reportsARefusedConnection()
{
    SmtpSink sink;
    QVERIFY(sink.listen());
    const SmtpConfig config = configFor(sink);
    sink.close(); // nobody listens there now
    const auto outcome = sendAndWait(config, sampleMessage());
    QVERIFY(outcome && !outcome->ok());
    QVERIFY(!outcome->error().details.value(u"permanent").toBool());
}

void tst_SmtpClient::passwordNeverInAnError()
{
    SmtpSink sink;
    sink.options.authMechanisms = {"PLAIN"};
    const QString password = QStringLiteral("S3cr3t-pa55");
    const QByteArray token = QByteArray("\0mailer\0", 8) + password.toUtf8();
    // A server that quotes what it got back to us.
    sink.options.replies.insert("AUTH", "535 5.7.8 bad credentials " + token.toBase64());
    QVERIFY(sink.listen());
    SmtpConfig config = configFor(sink);
    config.user = QStringLiteral("mailer");
    config.password = password;
    const auto outcome = sendAndWait(config, sampleMessage());
    QVERIFY(outcome && !outcome->ok());
    const QString message = outcome->error().message;
    QVERIFY2(message.contains(QStringLiteral("535")), qPrintable(message));
    QVERIFY(!message.contains(password));
    QVERIFY(!message.contains(QString::fromLatin1(token.toBase64())));
    QVERIFY(!message.contains(QString::fromLatin1(password.toUtf8().toBase64())));
}

void tst_SmtpClient::abortMeansNoCallback()
{
    SmtpSink sink;
    sink.options.silent = true;
    QVERIFY(sink.listen());
    SmtpClient client(configFor(sink));
    bool called = false;
    client.send(sampleMessage(), [&](const Status &) { called = true; });
    QTRY_COMPARE(sink.connectionCount(), 1);
    QVERIFY(client.busy());
    client.abort();
    QVERIFY(!client.busy());
    QTest::qWait(100);
    QVERIFY(!called);
}

QTEST_GUILESS_MAIN(tst_SmtpClient)
#include "tst_smtpclient.moc"
