// The API description lists every route the server registers, and nothing it does not serve.
#include <server/apirouter.h>
#include <server/apiserver.h>
#include <support/testserver.h>

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace sb;
using namespace sb::test;

class tst_OpenApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void documentIsServedWithoutSignIn();
    void everyRegisteredRouteIsDescribed();
    void everyDescribedRouteIsRegistered();
    void everyReferenceResolves();
    void everyOperationHasResponses();

private:
    QSet<QString> describedOperations();
    QSet<QString> registeredOperations();
    std::unique_ptr<TestServer> m_server;
    QJsonObject m_document;
};

void tst_OpenApi::initTestCase()
{
    SB_REQUIRE_TEST_STORE();
    QString error;
    m_server = TestServer::start(&error);
    QVERIFY2(m_server, qPrintable(error));
    const auto r = m_server->anonymousClient()->get(QStringLiteral("/openapi.json"));
    QCOMPARE(r.status, 200);
    m_document = r.json;
}

void tst_OpenApi::documentIsServedWithoutSignIn()
{
    QCOMPARE(m_document.value(u"openapi").toString().left(2), QStringLiteral("3."));
    QVERIFY(m_document.value(u"paths").toObject().size() > 30);
    QVERIFY(m_document.value(u"components")
                .toObject()
                .value(u"schemas")
                .toObject()
                .contains(u"Ticket"));
}

// "GET /api/v1/support/tickets/{}" for both sides: path parameters named alike.
QSet<QString> tst_OpenApi::describedOperations()
{
    static const QRegularExpression param(QStringLiteral("\\{[^}]+\\}"));
    QSet<QString> out;
    const QJsonObject paths = m_document.value(u"paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        QString path = QStringLiteral("/api/v1") + it.key();
        path.replace(param, QStringLiteral("{}"));
        for (const QString &method : it.value().toObject().keys())
            out.insert(method.toUpper() + u' ' + path);
    }
    return out;
}

QSet<QString> tst_OpenApi::registeredOperations()
{
    static const QRegularExpression param(QStringLiteral(":[A-Za-z]+"));
    QSet<QString> out;
    for (auto [method, path] : m_server->instance().api().router().routeList()) {
        path.replace(param, QStringLiteral("{}"));
        out.insert(method + u' ' + path);
    }
    out.insert(QStringLiteral("GET /api/v1/ws")); // the WebSocket upgrade, outside the router
    return out;
}

void tst_OpenApi::everyRegisteredRouteIsDescribed()
{
    const QSet<QString> missing = registeredOperations() - describedOperations();
    QVERIFY2(missing.isEmpty(), qPrintable(QStringList(missing.values()).join(u", ")));
}

void tst_OpenApi::everyDescribedRouteIsRegistered()
{
    const QSet<QString> extra = describedOperations() - registeredOperations();
    QVERIFY2(extra.isEmpty(), qPrintable(QStringList(extra.values()).join(u", ")));
}

namespace {

void collectRefs(const QJsonValue &value, QStringList &out)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() == u"$ref")
                out << it.value().toString();
            else
                collectRefs(it.value(), out);
        }
    } else if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            collectRefs(v, out);
    }
}

} // namespace

// A "$ref" to a schema, parameter or response that is not in the document breaks every client
// generator that reads it.
void tst_OpenApi::everyReferenceResolves()
{
    QStringList refs;
    collectRefs(m_document, refs);
    QVERIFY(refs.size() > 50);
    for (const QString &ref : std::as_const(refs)) {
        QVERIFY2(ref.startsWith(u"#/"), qPrintable(ref));
        QJsonValue at = m_document;
        for (const QString &part : ref.mid(2).split(u'/'))
            at = at.toObject().value(part);
        QVERIFY2(at.isObject(), qPrintable(QStringLiteral("unresolved: ") + ref));
    }
}

void tst_OpenApi::everyOperationHasResponses()
{
    const QJsonObject paths = m_document.value(u"paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject methods = it.value().toObject();
        for (auto m = methods.begin(); m != methods.end(); ++m) {
            const QJsonObject op = m.value().toObject();
            const QString where = m.key() + u' ' + it.key();
            QVERIFY2(!op.value(u"summary").toString().isEmpty(), qPrintable(where));
            QVERIFY2(!op.value(u"responses").toObject().isEmpty(), qPrintable(where));
        }
    }
}

QTEST_GUILESS_MAIN(tst_OpenApi)
#include "tst_openapi.moc"
