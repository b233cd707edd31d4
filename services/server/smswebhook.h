#pragma once

#include <domain/result.h>

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkReply;

namespace sb::server {

// Sends an SMS by POSTing {"to", "body"} as JSON to SMS_WEBHOOK_URL; a 2xx answer means sent.
// Credentials in the URL go as HTTP basic auth. Failures are an Error "sms_failed" whose
// details.permanent says whether retrying can help (a 4xx other than 408 or 429); neither the
// URL's credentials nor its query appear in an error.
class SmsWebhook : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const Status &)>;

    explicit SmsWebhook(const QUrl &url, int timeoutMs = 30000, QObject *parent = nullptr);
    ~SmsWebhook() override;

    // One at a time; `done` runs exactly once, later, unless abort() comes first.
    void send(const QString &to, const QString &body, Done done);
    void abort();
    bool busy() const { return static_cast<bool>(m_done); }

    // "http://host:port/path", for logs.
    QString describe() const;

private:
    void onFinished();

    QUrl m_url; // without user info
    QByteArray m_authorization;
    int m_timeoutMs;
    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    Done m_done;
};

} // namespace sb::server
