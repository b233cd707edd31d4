// Attachments over real HTTP, on SQLite and PostgreSQL: upload and download byte for byte, the
// size limit, who may download, content-addressed storage, and safe serving.
#include <support/seeder.h>
#include <support/testserver.h>

#include <store/attachmentrepository.h>
#include <store/ticketrepository.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>

using namespace sb;
using namespace sb::test;

namespace {

constexpr qint64 kLimit = 64 * 1024; // small, so that the 413 test sends little

QByteArray sampleBytes(int size, int seed = 0)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + seed * 7 + (i >> 8)) & 0xff); // every byte value, NULs too
    return bytes;
}

} // namespace

class tst_AttachmentApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }
    void init();
    void cleanup() { m_server.reset(); }

    void uploadAndDownloadAreByteExact();
    void oversizeUploadIs413();
    void unreferencedUploadIsTheUploadersOnly();
    void ticketAttachmentFollowsTheTicket();
    void internalNoteAttachmentIsNotFoundForTheCustomer();
    void sameBytesAreStoredOnce();
    void activeContentIsServedAsBytes_data();
    void activeContentIsServedAsBytes();
    void fileNameIsSanitisedAndQuoted_data();
    void fileNameIsSanitisedAndQuoted();
    void badUploadIs400NamingTheHeader_data();
    void badUploadIs400NamingTheHeader();
    void technicianMayNotUpload();
    void staleUploadIsRemovedAfter24Hours_data();
    void staleUploadIsRemovedAfter24Hours();
    void sharedContentOutlivesOneStaleUpload();

private:
    int runPurge(); // POST /admin/jobs/purgeExpiredData/run: the rows it removed
    QString filePath(const QByteArray &bytes) const;
    TestClient::Reply upload(const TestServer::Account &who, const QByteArray &bytes,
                             const QByteArray &type = "application/octet-stream",
                             const QByteArray &name = "file.bin");
    TestClient::Reply download(const TestServer::Account &who, const QString &id);
    // Links the attachment to a new ticket message (internal or not) of the customer's ticket.
    void attachToMessage(const QString &attachmentId, const User &customer, bool internal,
                         const QString &senderId);

    std::unique_ptr<TestServer> m_server;
    QString m_dataDir;
};

void tst_AttachmentApi::init()
{
    QString error;
    m_server = TestServer::start(&error, [this](server::ServerSettings &s) {
        s.maxAttachmentBytes = kLimit;
        m_dataDir = s.dataDir;
    });
    QVERIFY2(m_server, qPrintable(error));
}

TestClient::Reply tst_AttachmentApi::upload(const TestServer::Account &who, const QByteArray &bytes,
                                            const QByteArray &type, const QByteArray &name)
{
    TestClient::Headers headers {{"Content-Type", type}};
    if (!name.isNull())
        headers.append({"X-File-Name", name});
    return m_server->client(who)->send("POST", QStringLiteral("/attachments"), bytes, headers);
}

TestClient::Reply tst_AttachmentApi::download(const TestServer::Account &who, const QString &id)
{
    return m_server->client(who)->get(u"/attachments/" + id);
}

void tst_AttachmentApi::attachToMessage(const QString &attachmentId, const User &customer,
                                        bool internal, const QString &senderId)
{
    Seeder seed(m_server->database());
    const Ticket ticket = seed.ticket(customer.id);
    const auto added = m_server->database().transaction([&](QSqlDatabase &db) {
        TicketMessage m;
        m.ticketId = ticket.id;
        m.senderId = senderId;
        m.senderRole = Role::Support;
        m.message = QStringLiteral("see attached");
        m.isInternal = internal;
        m.createdAt = m_server->clock().now();
        Attachment a;
        a.id = attachmentId;
        m.attachments << a;
        return store::TicketRepository(db).addMessage(m);
    });
    QVERIFY2(added, added ? "" : qPrintable(added.error().message));
}

void tst_AttachmentApi::uploadAndDownloadAreByteExact()
{
    const auto customer = m_server->account(Role::Customer);
    const QByteArray bytes = sampleBytes(50000);
    const auto up = upload(customer, bytes, "image/png", "photo.png");
    QCOMPARE(up.status, 201);
    const QString id = up.json.value(u"id").toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(up.json.value(u"fileName").toString(), QStringLiteral("photo.png"));
    QCOMPARE(up.json.value(u"contentType").toString(), QStringLiteral("image/png"));
    QCOMPARE(up.json.value(u"size").toInteger(), qint64(bytes.size()));
    QCOMPARE(
        up.json.value(u"sha256").toString(),
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));

    const auto down = download(customer, id);
    QCOMPARE(down.status, 200);
    QCOMPARE(down.body.size(), bytes.size());
    QVERIFY(down.body == bytes);
    QCOMPARE(down.header("Content-Type"), QByteArray("image/png"));
    QCOMPARE(down.header("Content-Disposition"),
             QByteArray("attachment; filename=\"photo.png\"; filename*=UTF-8''photo.png"));
    QCOMPARE(down.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(down.header("Cache-Control"), QByteArray("no-store"));

    // The exact limit is still accepted.
    QCOMPARE(upload(customer, sampleBytes(int(kLimit), 3)).status, 201);
}

void tst_AttachmentApi::oversizeUploadIs413()
{
    const auto customer = m_server->account(Role::Customer);
    const auto r = upload(customer, sampleBytes(int(kLimit) + 1));
    QCOMPARE(r.status, 413);
    QCOMPARE(r.errorCode(), QStringLiteral("payload_too_large"));
    // Nothing was stored, and the server still answers.
    QDir attachments(m_dataDir + QStringLiteral("/attachments"));
    QVERIFY(!attachments.exists() || attachments.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
    QCOMPARE(upload(customer, sampleBytes(10)).status, 201);
}

void tst_AttachmentApi::unreferencedUploadIsTheUploadersOnly()
{
    const auto owner = m_server->account(Role::Customer);
    const QString id = upload(owner, sampleBytes(100)).json.value(u"id").toString();
    QCOMPARE(download(owner, id).status, 200);
    const auto other = download(m_server->account(Role::Customer), id);
    QCOMPARE(other.status, 404);
    QCOMPARE(download(m_server->account(Role::Support), id).status, 404);
    // Just like an id that names nothing.
    QCOMPARE(other.body, download(owner, QStringLiteral("no-such-id")).body);
    QCOMPARE(m_server->anonymousClient()->get(u"/attachments/" + id).status, 401);
}

void tst_AttachmentApi::ticketAttachmentFollowsTheTicket()
{
    const auto customer = m_server->account(Role::Customer);
    const auto agent = m_server->account(Role::Support);
    const auto other = m_server->account(Role::Customer);
    const QString id = upload(agent, sampleBytes(100)).json.value(u"id").toString();
    attachToMessage(id, customer.user, false, agent.user.id);

    QCOMPARE(download(customer, id).status, 200);
    QCOMPARE(download(m_server->account(Role::Admin), id).status, 200);
    QCOMPARE(download(other, id).status, 404);
}

void tst_AttachmentApi::internalNoteAttachmentIsNotFoundForTheCustomer()
{
    const auto customer = m_server->account(Role::Customer);
    const auto agent = m_server->account(Role::Support);
    const auto colleague = m_server->account(Role::Support);
    const QByteArray bytes = sampleBytes(300, 9);
    const QString id = upload(agent, bytes, "text/plain", "notes.txt").json.value(u"id").toString();
    attachToMessage(id, customer.user, true, agent.user.id);

    const auto forCustomer = download(customer, id);
    QCOMPARE(forCustomer.status, 404);
    QVERIFY(!forCustomer.body.contains(bytes.left(50)));
    const auto forColleague = download(colleague, id);
    QCOMPARE(forColleague.status, 200);
    QVERIFY(forColleague.body == bytes);
}

void tst_AttachmentApi::sameBytesAreStoredOnce()
{
    const QByteArray bytes = sampleBytes(4096, 5);
    const auto a = upload(m_server->account(Role::Customer), bytes, "image/png", "a.png");
    const auto b = upload(m_server->account(Role::Customer), bytes, "image/jpeg", "b.jpg");
    QCOMPARE(a.status, 201);
    QCOMPARE(b.status, 201);
    QVERIFY(a.json.value(u"id") != b.json.value(u"id")); // two uploads, two names
    const QString sha = a.json.value(u"sha256").toString();
    QCOMPARE(b.json.value(u"sha256").toString(), sha);

    QStringList files;
    QDirIterator it(m_dataDir + QStringLiteral("/attachments"), QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    QCOMPARE(files.size(), 1); // one copy, and no temporary file left behind
    QCOMPARE(files.first(), m_dataDir + QStringLiteral("/attachments/%1/%2").arg(sha.left(2), sha));
    QFile stored(files.first());
    QVERIFY(stored.open(QIODevice::ReadOnly));
    QVERIFY(stored.readAll() == bytes);

    const QString other = upload(m_server->account(Role::Customer), sampleBytes(4096, 6))
                              .json.value(u"sha256")
                              .toString();
    QVERIFY(other != sha);
    QVERIFY(
        QFile::exists(m_dataDir + QStringLiteral("/attachments/%1/%2").arg(other.left(2), other)));
}

void tst_AttachmentApi::activeContentIsServedAsBytes_data()
{
    QTest::addColumn<QByteArray>("uploaded");
    QTest::addColumn<QByteArray>("served");
    const QByteArray bytes = "application/octet-stream";
    QTest::newRow("html") << QByteArray("text/html") << bytes;
    QTest::newRow("html with charset") << QByteArray("text/html; charset=utf-8") << bytes;
    QTest::newRow("svg") << QByteArray("image/svg+xml") << bytes;
    QTest::newRow("javascript") << QByteArray("application/javascript") << bytes;
    QTest::newRow("text/javascript") << QByteArray("text/javascript") << bytes;
    QTest::newRow("xhtml") << QByteArray("application/xhtml+xml") << bytes;
    QTest::newRow("xml") << QByteArray("text/xml") << bytes;
    QTest::newRow("upper-case HTML") << QByteArray("TEXT/HTML") << bytes;
    QTest::newRow("unknown") << QByteArray("application/x-whatever") << bytes;
    QTest::newRow("png stays") << QByteArray("image/png") << QByteArray("image/png");
    QTest::newRow("pdf stays") << QByteArray("application/pdf") << QByteArray("application/pdf");
    QTest::newRow("plain text stays") << QByteArray("text/plain") << QByteArray("text/plain");
}

void tst_AttachmentApi::activeContentIsServedAsBytes()
{
    QFETCH(QByteArray, uploaded);
    QFETCH(QByteArray, served);
    const auto customer = m_server->account(Role::Customer);
    const QByteArray page = "<html><script>alert(document.cookie)</script></html>";
    const auto up = upload(customer, page, uploaded, "page.html");
    QCOMPARE(up.status, 201);
    // The upload's own type is kept as metadata.
    QCOMPARE(up.json.value(u"contentType").toString().toLatin1(),
             uploaded.split(';').first().trimmed().toLower());
    const auto down = download(customer, up.json.value(u"id").toString());
    QCOMPARE(down.status, 200);
    QCOMPARE(down.header("Content-Type"), served);
    QVERIFY(down.header("Content-Disposition").startsWith("attachment;"));
    QCOMPARE(down.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QVERIFY(down.header("Content-Security-Policy").contains("sandbox"));
    QVERIFY(down.body == page);
}

void tst_AttachmentApi::fileNameIsSanitisedAndQuoted_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QByteArray>("disposition");
    QTest::newRow("path is dropped")
        << QByteArray("../../etc/passwd") << QStringLiteral("passwd")
        << QByteArray("attachment; filename=\"passwd\"; filename*=UTF-8''passwd");
    QTest::newRow("windows path")
        << QByteArray("C:\\Users\\me\\scan.pdf") << QStringLiteral("scan.pdf")
        << QByteArray("attachment; filename=\"scan.pdf\"; filename*=UTF-8''scan.pdf");
    QTest::newRow("encoded slash")
        << QByteArray("a%2F..%2Fb.txt") << QStringLiteral("b.txt")
        << QByteArray("attachment; filename=\"b.txt\"; filename*=UTF-8''b.txt");
    QTest::newRow("quotes and UTF-8")
        << QByteArray("r%C3%A9sum%C3%A9%20%22final%22.pdf")
        << QStringLiteral("résumé \"final\".pdf")
        << QByteArray("attachment; filename=\"r_sum_ _final_.pdf\"; "
                      "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf");
    QTest::newRow("header injection")
        << QByteArray("a.txt%0D%0AX-Evil:%201") << QStringLiteral("a.txtX-Evil: 1")
        << QByteArray(
               "attachment; filename=\"a.txtX-Evil: 1\"; filename*=UTF-8''a.txtX-Evil%3A%201");
    QTest::newRow("right-to-left override")
        << QByteArray("invoice%E2%80%AEfdp.exe") << QStringLiteral("invoicefdp.exe")
        << QByteArray("attachment; filename=\"invoicefdp.exe\"; filename*=UTF-8''invoicefdp.exe");
}

void tst_AttachmentApi::fileNameIsSanitisedAndQuoted()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, stored);
    QFETCH(QByteArray, disposition);
    const auto customer = m_server->account(Role::Customer);
    const auto up = upload(customer, "x", "text/plain", header);
    QCOMPARE(up.status, 201);
    QCOMPARE(up.json.value(u"fileName").toString(), stored);
    const auto down = download(customer, up.json.value(u"id").toString());
    QCOMPARE(down.header("Content-Disposition"), disposition);
    QVERIFY(down.header("X-Evil").isEmpty());
}

void tst_AttachmentApi::badUploadIs400NamingTheHeader_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("code");
    const QByteArray png = "image/png";
    QTest::newRow("no name") << QByteArray() << png << QByteArray("x")
                             << QStringLiteral("X-File-Name") << QStringLiteral("missing_field");
    QTest::newRow("blank name") << QByteArray("  ") << png << QByteArray("x")
                                << QStringLiteral("X-File-Name") << QStringLiteral("missing_field");
    QTest::newRow("only a directory")
        << QByteArray("dir/") << png << QByteArray("x") << QStringLiteral("X-File-Name")
        << QStringLiteral("invalid_field");
    QTest::newRow("dot dot") << QByteArray("..") << png << QByteArray("x")
                             << QStringLiteral("X-File-Name") << QStringLiteral("invalid_field");
    QTest::newRow("name too long")
        << QByteArray(256, 'n') << png << QByteArray("x") << QStringLiteral("X-File-Name")
        << QStringLiteral("invalid_field");
    QTest::newRow("bad media type")
        << QByteArray("a.png") << QByteArray("not a type") << QByteArray("x")
        << QStringLiteral("Content-Type") << QStringLiteral("invalid_field");
    QTest::newRow("empty file") << QByteArray("a.png") << png << QByteArray()
                                << QStringLiteral("body") << QStringLiteral("invalid_field");
}

void tst_AttachmentApi::badUploadIs400NamingTheHeader()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    QFETCH(QString, code);
    const auto customer = m_server->account(Role::Customer);
    const auto r = upload(customer, body, type, name);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.field(), field);
    QCOMPARE(upload(customer, "ok", "text/plain", QByteArray(255, 'n')).status, 201);
}

void tst_AttachmentApi::technicianMayNotUpload()
{
    QCOMPARE(upload(m_server->account(Role::Technician), "x").status, 403);
}

int tst_AttachmentApi::runPurge()
{
    const auto admin = m_server->account(Role::Admin);
    const auto r
        = m_server->client(admin)->post(QStringLiteral("/admin/jobs/purgeExpiredData/run"));
    return r.status == 200 ? r.json.value(u"changed").toInt(-1) : -1;
}

QString tst_AttachmentApi::filePath(const QByteArray &bytes) const
{
    const QString sha
        = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    return QDir(m_dataDir).filePath(QStringLiteral("attachments/%1/%2").arg(sha.left(2), sha));
}

void tst_AttachmentApi::staleUploadIsRemovedAfter24Hours_data()
{
    QTest::addColumn<double>("hours");
    QTest::addColumn<bool>("referenced");
    QTest::addColumn<bool>("kept");
    QTest::newRow("23 h, loose: kept") << 23.0 << false << true;
    QTest::newRow("25 h, loose: removed") << 25.0 << false << false;
    QTest::newRow("25 h, on a message: kept") << 25.0 << true << true;
}

// DESIGN.md: an upload that nothing references is removed after 24 h, its file with it.
void tst_AttachmentApi::staleUploadIsRemovedAfter24Hours()
{
    QFETCH(double, hours);
    QFETCH(bool, referenced);
    QFETCH(bool, kept);
    const auto customer = m_server->account(Role::Customer);
    const QByteArray bytes = sampleBytes(2048, 11);
    const auto up = upload(customer, bytes, "application/pdf", "invoice.pdf");
    QCOMPARE(up.status, 201);
    const QString id = up.json.value(u"id").toString();
    if (referenced)
        attachToMessage(id, customer.user, false, customer.user.id);
    QVERIFY(QFile::exists(filePath(bytes)));

    m_server->clock().advance(qint64(hours * 3600));
    QVERIFY(runPurge() >= (kept ? 0 : 1));
    QCOMPARE(download(customer, id).status, kept ? 200 : 404);
    QCOMPARE(QFile::exists(filePath(bytes)), kept);
}

// Two uploads of the same bytes share one file: dropping the stale one keeps the file.
void tst_AttachmentApi::sharedContentOutlivesOneStaleUpload()
{
    const auto customer = m_server->account(Role::Customer);
    const QByteArray bytes = sampleBytes(1024, 12);
    const auto stale = upload(customer, bytes);
    m_server->clock().advance(20 * 3600);
    const auto fresh = upload(customer, bytes);
    QCOMPARE(stale.status, 201);
    QCOMPARE(fresh.status, 201);
    m_server->clock().advance(5 * 3600);

    QCOMPARE(runPurge(), 1);
    QCOMPARE(download(customer, stale.json.value(u"id").toString()).status, 404);
    const auto kept = download(customer, fresh.json.value(u"id").toString());
    QCOMPARE(kept.status, 200);
    QCOMPARE(kept.body, bytes);
    QVERIFY(QFile::exists(filePath(bytes)));
}

QTEST_GUILESS_MAIN(tst_AttachmentApi)
#include "tst_attachmentapi.moc"
