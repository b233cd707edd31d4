#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QStringList>
#include <QTcpServer>

#include <memory>

class QTcpSocket;

namespace sb::test {

// A mail server on 127.0.0.1 that speaks just enough SMTP for the tests: greeting, EHLO/HELO,
// STARTTLS or TLS from the first byte (with certificate()), AUTH PLAIN/LOGIN, MAIL, RCPT, DATA
// (un-stuffing dots), RSET, NOOP, QUIT. It keeps every message it accepted. Replies can be
// swapped per command to play a refusing or broken server.
class SmtpSink : public QObject
{
    Q_OBJECT

public:
    struct Message
    {
        QByteArray mailFrom; // inside the angle brackets
        QList<QByteArray> rcptTo;
        QByteArray wire; // DATA as it came, dot-stuffed, without the final "."
        QByteArray content; // DATA after un-stuffing
        QByteArray authUser;
        QByteArray authPassword;
        bool tls = false; // it came over TLS

        // The header's value, unfolded; empty when absent.
        QByteArray header(const QByteArray &name) const;
        QList<QByteArray> headerNames() const;
        QByteArray body() const; // after the first empty line
    };

    struct Options
    {
        QList<QByteArray> extensions {"PIPELINING", "8BITMIME", "SIZE 10240000"};
        QList<QByteArray> authMechanisms; // offered as "AUTH PLAIN LOGIN" when not empty
        bool acceptAuth = true;
        bool multiLineGreeting = false;
        bool rejectEhlo = false; // 502 to EHLO; HELO works
        bool fragmentReplies = false; // replies go out a few bytes at a time
        bool silent = false; // accepts connections and never says a word
        bool startTls = false; // offers STARTTLS until the session is encrypted
        bool implicitTls = false; // TLS from the first byte (smtps)
        // Verb ("GREETING", "EHLO", "MAIL", "RCPT", "DATA", "CONTENT", "AUTH") -> the reply sent
        // instead of the usual one, e.g. {"RCPT", "550 5.1.1 No such user"}. "CLOSE" hangs up.
        QHash<QByteArray, QByteArray> replies;
    };

    explicit SmtpSink(QObject *parent = nullptr);
    ~SmtpSink() override;

    bool listen(quint16 port = 0);
    void close(); // stops listening and drops every connection
    quint16 port() const { return m_port; }

    Options options;
    QList<Message> messages() const { return m_messages; }
    QList<QByteArray> commands() const { return m_commands; } // every line received outside DATA
    QList<QByteArray> commandsInClear() const { return m_clearCommands; } // those before TLS
    // The sink's self-signed certificate (127.0.0.1 and localhost): what a client must trust.
    static QSslCertificate certificate();
    int connectionCount() const { return m_connections; }

private:
    struct Session;
    void onConnection();
    void onReadyRead(QTcpSocket *socket);
    void onLine(QTcpSocket *socket, Session &session, const QByteArray &line);
    void reply(QTcpSocket *socket, const QByteArray &verb, const QByteArray &usual);
    void startTls(QTcpSocket *socket, Session &session);

    std::unique_ptr<QTcpServer> m_server; // its sockets are QSslSockets, so they can turn to TLS
    quint16 m_port = 0;
    QHash<QTcpSocket *, Session *> m_sessions;
    QList<Message> m_messages;
    QList<QByteArray> m_commands;
    QList<QByteArray> m_clearCommands;
    int m_connections = 0;
};

} // namespace sb::test
