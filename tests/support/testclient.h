#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>

namespace sb::test {

// A real HTTP client (QNetworkAccessManager) that waits for each answer, so that tests read
// top to bottom: client.post("/support/tickets", {...}).status == 201.
class TestClient
{
public:
    struct Reply
    {
        int status = 0; // 0: no answer (connection refused, timeout)
        QByteArray body;
        QJsonObject json;
        QJsonArray array;
        QHash<QByteArray, QByteArray> headers; // lower-case names

        QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
        QString errorCode() const;
        QString field() const; // error.details.field
    };
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    explicit TestClient(const QString &baseUrl); // http://127.0.0.1:PORT

    void setToken(const QString &token) { m_token = token; }
    const QString &token() const { return m_token; }

    // Paths are under /api/v1 unless they start with "http".
    Reply get(const QString &path, const Headers &headers = {});
    Reply post(const QString &path, const QJsonObject &body = {}, const Headers &headers = {});
    Reply put(const QString &path, const QJsonObject &body = {}, const Headers &headers = {});
    Reply send(const QByteArray &method, const QString &path, const QByteArray &body,
               const Headers &headers = {});

    // Signs in through POST /auth/login and keeps the token.
    bool login(const QString &email, const QString &password);

    QUrl url(const QString &path) const;

private:
    QString m_baseUrl;
    QString m_token;
    QNetworkAccessManager m_net;
};

} // namespace sb::test
