#include "smswebhook.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace sb::server {

namespace {

// QNetworkReply::errorString() quotes the URL: describe the error by its kind instead.
QString describeNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the server closed the connection");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("timed out");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed");
    default:
        break;
    }
    const char *key = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(error);
    return key ? QString::fromLatin1(key) : QStringLiteral("network error %1").arg(int(error));
}

} // namespace

SmsWebhook::SmsWebhook(const QUrl &url, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_timeoutMs(timeoutMs)
{
    if (!url.userName().isEmpty()) {
        const QByteArray credentials = url.userName().toUtf8() + ':' + url.password().toUtf8();
        m_authorization = "Basic " + credentials.toBase64();
    }
    m_url.setUserInfo(QString());
    // 2xx only: a redirect is an answer we do not understand, not a place to resend to.
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

SmsWebhook::~SmsWebhook()
{
    abort();
}

QString SmsWebhook::describe() const
{
    return m_url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

void SmsWebhook::send(const QString &to, const QString &body, Done done)
{
    Q_ASSERT(!busy());
    abort();
    m_done = std::move(done);
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_authorization.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), m_authorization);
    request.setTransferTimeout(m_timeoutMs);
    const QByteArray json
        = QJsonDocument(QJsonObject {{QStringLiteral("to"), to}, {QStringLiteral("body"), body}})
              .toJson(QJsonDocument::Compact);
    m_reply = m_network.post(request, json);
    connect(m_reply, &QNetworkReply::finished, this, &SmsWebhook::onFinished);
}

void SmsWebhook::abort()
{
    m_done = nullptr;
    if (QNetworkReply *reply = m_reply) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void SmsWebhook::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply.clear();
    reply->deleteLater();
    const QVariant httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = httpStatus.isValid() ? httpStatus.toInt() : 0;

    Status result;
    if (status >= 200 && status < 300) {
        result = {};
    } else if (status != 0) {
        const bool permanent = status >= 400 && status < 500 && status != 408 && status != 429;
        result = Error::make(
            QStringLiteral("sms_failed"),
            QStringLiteral("SMS webhook %1 answered HTTP %2").arg(describe()).arg(status),
            {{QStringLiteral("permanent"), permanent}});
    } else {
        result = Error::make(QStringLiteral("sms_failed"),
                             QStringLiteral("SMS webhook %1: %2")
                                 .arg(describe(), describeNetworkError(reply->error())),
                             {{QStringLiteral("permanent"), false}});
    }
    Done done = std::exchange(m_done, nullptr);
    if (done)
        done(result);
}

} // namespace sb::server
