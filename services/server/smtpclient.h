#pragma once

#include "mailmessage.h"

#include <domain/result.h>

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QStringList>
#include <QTimer>

#include <functional>

class QSslSocket;

namespace sb::server {

// Where and how to send e-mail: SMTP_URL, smtp://user:password@host:port (25 by default;
// STARTTLS when the server offers it) or smtps://... (TLS from the first byte, 465).
struct SmtpConfig
{
    QString host;
    quint16 port = 25;
    bool implicitTls = false;
    QString user;
    QString password;
    int stepTimeoutMs = 30000; // for each reply
    int messageTimeoutMs = 120000; // for one whole message
    // Trusted besides the system's CAs (a private relay's own CA; the tests' sink). The server's
    // certificate is always verified: a STARTTLS that fails verification sends nothing.
    QList<QSslCertificate> caCertificates;

    // Errors never quote the URL: it may hold the password.
    static Result<SmtpConfig> fromUrl(const QString &url);
    // "smtp://host:port", for logs: never the user or password.
    QString describe() const;
};

// A small asynchronous SMTP client (RFC 5321): one message per connection. EHLO (HELO when
// refused), STARTTLS when offered (then EHLO again), AUTH PLAIN or LOGIN when the URL has
// credentials (refused over a clear connection except to a loopback host), MAIL, RCPT, DATA with
// dot-stuffing, QUIT. Every failure ends as an Error "smtp_failed" whose details.permanent says
// whether retrying can help (a 5xx to RCPT or to the message); no error or log line holds the
// password.
class SmtpClient : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const Status &)>;

    explicit SmtpClient(const SmtpConfig &config, QObject *parent = nullptr);
    ~SmtpClient() override;

    // Sends one message; `done` runs exactly once, later, unless abort() comes first. One send at
    // a time.
    void send(const MailMessage &message, Done done);
    // Drops the connection of the send in flight; its `done` never runs.
    void abort();
    bool busy() const { return static_cast<bool>(m_done); }

    // Lines starting with "." get one more (RFC 5321 4.5.2); CRLF line ends, ending with CRLF.
    static QByteArray dotStuff(const QByteArray &content);

private:
    enum class Step {
        Greeting,
        Ehlo,
        Helo,
        StartTls,
        AuthPlain,
        AuthLogin,
        AuthLoginUser,
        AuthLoginPassword,
        MailFrom,
        RcptTo,
        Data,
        Content
    };

    void onReadyRead();
    void onReply(int code, const QStringList &lines);
    void onEncrypted();
    void onSocketError();
    void afterHello();
    void authenticate();
    void command(const QByteArray &line, Step next);
    void fail(const QString &problem, bool permanent = false);
    void refused(int code, const QStringList &lines, const QString &what, bool permanent = false);
    void finish(const Status &result);
    void dropSocket(bool quit);
    QString scrub(QString text) const;

    SmtpConfig m_config;
    QPointer<QSslSocket> m_socket;
    QTimer m_stepTimer;
    QTimer m_messageTimer;
    Done m_done;
    MailMessage m_message;
    Step m_step = Step::Greeting;
    QByteArray m_in;
    QStringList m_replyLines;
    QStringList m_capabilities; // EHLO keywords, upper case; "AUTH PLAIN LOGIN" kept whole
    bool m_encrypted = false;
};

} // namespace sb::server
