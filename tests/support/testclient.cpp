#include "testclient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>

namespace sb::test {

QString TestClient::Reply::errorCode() const
{
    return json.value(u"error").toObject().value(u"code").toString();
}

QString TestClient::Reply::field() const
{
    return json.value(u"error").toObject().value(u"details").toObject().value(u"field").toString();
}

TestClient::TestClient(const QString &baseUrl)
    : m_baseUrl(baseUrl)
{ }

QUrl TestClient::url(const QString &path) const
{
    if (path.startsWith(u"http"))
        return QUrl(path);
    return QUrl(m_baseUrl + QStringLiteral("/api/v1") + path);
}

TestClient::Reply TestClient::get(const QString &path, const Headers &headers)
{
    return send("GET", path, {}, headers);
}

TestClient::Reply TestClient::post(const QString &path, const QJsonObject &body,
                                   const Headers &headers)
{
    Headers h = headers;
    h.prepend({"Content-Type", "application/json"});
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), h);
}

TestClient::Reply TestClient::put(const QString &path, const QJsonObject &body,
                                  const Headers &headers)
{
    Headers h = headers;
    h.prepend({"Content-Type", "application/json"});
    return send("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact), h);
}

TestClient::Reply TestClient::send(const QByteArray &method, const QString &path,
                                   const QByteArray &body, const Headers &headers)
{
    QNetworkRequest request(url(path));
    request.setTransferTimeout(20000);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);

    std::unique_ptr<QNetworkReply> reply(m_net.sendCustomRequest(request, method, body));
    Reply out;
    if (!reply->isFinished()) {
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!finished.wait(25000))
            return out;
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        out.headers.insert(name.toLower(), value);
    const QJsonDocument doc = QJsonDocument::fromJson(out.body);
    if (doc.isObject())
        out.json = doc.object();
    else if (doc.isArray())
        out.array = doc.array();
    return out;
}

bool TestClient::login(const QString &email, const QString &password)
{
    const QString saved = std::exchange(m_token, QString());
    const Reply r
        = post(QStringLiteral("/auth/login"),
               {{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
    if (r.status != 200) {
        m_token = saved;
        return false;
    }
    m_token = r.json.value(u"token").toString();
    return !m_token.isEmpty();
}

} // namespace sb::test
