#include "smtpsink.h"

#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

namespace sb::test {

struct SmtpSink::Session
{
    enum class State { Command, Data, AuthLoginUser, AuthLoginPassword } state = State::Command;
    QByteArray in;
    Message message;
    QByteArray authUser;
    QByteArray authPassword;
    bool tls = false;
};

namespace {

// Test-only key and self-signed certificate for 127.0.0.1 and localhost, valid 2000 to 2100.
// Generated for this sink; it protects nothing.
const char kCertificatePem[] = "-----BEGIN CERTIFICATE-----\n"
                               "MIIDFTCCAf2gAwIBAgIBATANBgkqhkiG9w0BAQsFADAUMRIwEAYDVQQDDAkxMjcu\n"
                               "MC4wLjEwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBQxEjAQBgNV\n"
                               "BAMMCTEyNy4wLjAuMTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAOUG\n"
                               "SZZduD9E2ROqiEXA+jw5i3IBTheBosQ4Q/IYLoyXAHFgtXDALC+GY1ypTGiTsUe/\n"
                               "XwYPN7uIaha3z1DE1JEDHraOrTDSD5wQS3kFSXJffo3XR1ogAvovJQ4XQD+i36GK\n"
                               "c7cbEU0V+C9GnHQFnUj+hSxRMymSkLGftdd0aVF5DapaZyIOU1a7D1SAe03rbKJb\n"
                               "Hx4BErnboYIwL5BFqKl3fkP6f+f0OY1GVEGAYI356sxdxhA4wXQVIiuBh3OXQjQi\n"
                               "xSsu81RfdGUCbrdb+dshCr6zXomcdgdLBEgnl0X8ot52R4gekrybkgrVfrqbiCwH\n"
                               "WsHGpg5Xxq8gGCl1oNMCAwEAAaNwMG4wGgYDVR0RBBMwEYcEfwAAAYIJbG9jYWxo\n"
                               "b3N0MA8GA1UdEwEB/wQFMAMBAf8wCwYDVR0PBAQDAgKkMBMGA1UdJQQMMAoGCCsG\n"
                               "AQUFBwMBMB0GA1UdDgQWBBSDmXSv+vP5GetXiclQM7jTghzUhzANBgkqhkiG9w0B\n"
                               "AQsFAAOCAQEAbm7EXRIgmBe1Puqhj2n1BdtnsoZWWeVTxQquPD+IQSta4kf8kLdh\n"
                               "iLC6JLdz3FAtAS9JxGxW3HkwZKucHAOVsAyznctUbQPVgh1GRsc/uGSVGhvM+qLc\n"
                               "k3+N/ExAFDRaDFy2eVApJRfu25PJqgW1firKNKvUF559iWeD/EmluS23WOtO6aQK\n"
                               "2oj1fUeTqV+y8a9i6AO9Wi/0TcwGsbMA+0Qvtd1Djj0hBexuFpY+b20r1EtBwmKE\n"
                               "wwv1Wv4AiumQPkwRTXwPpqe8fZdFnjDaohV5rntdJlF67OrWemY148tcTiTP8t0s\n"
                               "VsLx0ksLs7i3bVn++cHPTtgNdMNHtYAwsw==\n"
                               "-----END CERTIFICATE-----\n";

const char kPrivateKeyPem[] = "-----BEGIN PRIVATE KEY-----\n"
                              "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDlBkmWXbg/RNkT\n"
                              "qohFwPo8OYtyAU4XgaLEOEPyGC6MlwBxYLVwwCwvhmNcqUxok7FHv18GDze7iGoW\n"
                              "t89QxNSRAx62jq0w0g+cEEt5BUlyX36N10daIAL6LyUOF0A/ot+hinO3GxFNFfgv\n"
                              "Rpx0BZ1I/oUsUTMpkpCxn7XXdGlReQ2qWmciDlNWuw9UgHtN62yiWx8eARK526GC\n"
                              "MC+QRaipd35D+n/n9DmNRlRBgGCN+erMXcYQOMF0FSIrgYdzl0I0IsUrLvNUX3Rl\n"
                              "Am63W/nbIQq+s16JnHYHSwRIJ5dF/KLedkeIHpK8m5IK1X66m4gsB1rBxqYOV8av\n"
                              "IBgpdaDTAgMBAAECggEAT/xcqfPMW+hnKgumcTofCvaMAYJ8LBB98Kq37C7O3xID\n"
                              "uRUt+RVcuTJltGB6S5G9WhH3lW2uKMRRTOLgOFSt6oFc8iQtT34lrnswaLFUf+nj\n"
                              "EJWtmUfR0l+xwNSU/0SadtgcZshAyBvSpGw0Sv8E+g/OIfav+CZ0e1yMjRVejPGh\n"
                              "cB5mxv9ka0cM+PN47+ZX6UWBd1IMA3/mgWGwiRRrOxWLWG3H5IBzNCZKdeyKVszo\n"
                              "99k/rld3zF2TieOjUVhdMip1biel583M8hBNYihRMp6vnFNE9gmPU4liSql/si0q\n"
                              "f1NuCyAbu4HeqSszB+JOcRbSaUucoNUoQ/1TK23LvQKBgQD8kMZ/x9/1aDq8jgDc\n"
                              "4LYeGsnpwyJEVXPtaSEV1NuklY5g90D3ye1F5DZ0/d2W0ALD+mo2Y+z1fauTA6xe\n"
                              "qiz358V7YB1SPvOQ9qtXANsCEcIBUM6DHw/yyZ7ZSdMmTYcQZ5fgrYzdCQMLGGMC\n"
                              "ndaOtBTwjAXY11RomumsCJBthwKBgQDoI4/Vazak/dA6tLt4HW+l5a/hMq2Z5u/D\n"
                              "yWwLwmqODqgFQjLU0Br8n7B3PSjzXhZ4pOiLQ+hz+vXWlje3WLpOBy4TpaTlnNOA\n"
                              "EWvAU+APvT+VP5/YNVfeNdGMijlqR7iLPTff+MhngiFqDRLnc1oHXG4Cy5raWhXF\n"
                              "T8rQIh1lVQKBgQC+Qe1WKuI6AvdkPPDHcvud9/4se1Of+GNo7639vShsdkEYKIon\n"
                              "X1S/NqgTP34icrXynfxO1r2VPML372d0tGtFoLHyO7g60bM3e6oc00cn6uqjhRTc\n"
                              "T5T7BwkDlIpcK0DYicEufm5Dv9ssC4XiXbZYL64qesCY1bT/S9tFPfpWlwKBgQCJ\n"
                              "B6T6GEWzc1gdr14Sc13akhEWYDH17UqPSjELaAI6RRCNuhwDX6zuft1OJb4smtes\n"
                              "87uJqdZn0DaaKyZMhoXDVZ2vX1JNcBuxN5dheqGC6PXFhj83A5YQx7ggu99Ui222\n"
                              "U7bN8S9rWnebAIiuM3traPZPlBye1BqR1J4l6l1r2QKBgH/QKiMPJTRE3NT4FMHZ\n"
                              "McvpbnAGs5nKRvdHKfrKgWvtCmbKB6g408t9BgY49RjU+VxcsVccs/ObjkHKY+gG\n"
                              "9uQj23oXtWp3YVF33T4DlbMYzPH/rfV62Wyh9y3Tp8OUJOoEeW/R1dYAczYxywNs\n"
                              "uL/Z7osvELak8Y46MpT8NMUR\n"
                              "-----END PRIVATE KEY-----\n";

// Accepted connections are QSslSockets in clear, so that a session can start TLS later.
class SslCapableServer : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        addPendingConnection(socket);
    }
};

QByteArray unfoldedHeaders(const QByteArray &content)
{
    const qsizetype end = content.indexOf("\r\n\r\n");
    return end < 0 ? content : content.left(end + 2);
}

QByteArray angleArgument(const QByteArray &line)
{
    const qsizetype open = line.indexOf('<');
    const qsizetype close = line.lastIndexOf('>');
    return open >= 0 && close > open ? line.mid(open + 1, close - open - 1) : QByteArray();
}

} // namespace

QByteArray SmtpSink::Message::header(const QByteArray &name) const
{
    const QList<QByteArray> lines = unfoldedHeaders(content).split('\n');
    QByteArray value;
    bool inside = false;
    for (QByteArray line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (inside && (line.startsWith(' ') || line.startsWith('\t'))) {
            value += line; // a folded continuation keeps its leading space
            continue;
        }
        if (inside)
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).compare(name, Qt::CaseInsensitive) == 0) {
            value = line.mid(colon + 1).trimmed();
            inside = true;
        }
    }
    return value;
}

QList<QByteArray> SmtpSink::Message::headerNames() const
{
    QList<QByteArray> names;
    for (const QByteArray &line : unfoldedHeaders(content).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && !line.startsWith(' ') && !line.startsWith('\t'))
            names << line.left(colon);
    }
    return names;
}

QByteArray SmtpSink::Message::body() const
{
    const qsizetype end = content.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : content.mid(end + 4);
}

QSslCertificate SmtpSink::certificate()
{
    return QSslCertificate(QByteArray(kCertificatePem), QSsl::Pem);
}

SmtpSink::SmtpSink(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<SslCapableServer>())
{
    connect(m_server.get(), &QTcpServer::newConnection, this, &SmtpSink::onConnection);
}

SmtpSink::~SmtpSink()
{
    close();
}

bool SmtpSink::listen(quint16 port)
{
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server->serverPort();
    return true;
}

void SmtpSink::close()
{
    m_server->close();
    const auto sessions = m_sessions;
    m_sessions.clear();
    for (auto it = sessions.cbegin(); it != sessions.cend(); ++it) {
        it.key()->disconnect(this);
        it.key()->abort();
        it.key()->deleteLater();
        delete it.value();
    }
}

void SmtpSink::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ++m_connections;
        Session *session = new Session;
        m_sessions.insert(socket, session);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            delete m_sessions.take(socket);
            socket->deleteLater();
        });
        if (options.implicitTls)
            startTls(socket, *session); // the greeting waits in the socket until it is encrypted
        if (options.silent)
            continue;
        if (options.multiLineGreeting) {
            reply(socket, "GREETING",
                  "220-sink.test ESMTP ready\r\n220-This server keeps every message\r\n"
                  "220 for the tests");
        } else {
            reply(socket, "GREETING", "220 sink.test ESMTP ready");
        }
    }
}

void SmtpSink::reply(QTcpSocket *socket, const QByteArray &verb, const QByteArray &usual)
{
    const QByteArray text = options.replies.value(verb, usual);
    if (text == "CLOSE") {
        socket->disconnectFromHost();
        return;
    }
    const QByteArray bytes = text + "\r\n";
    if (!options.fragmentReplies) {
        socket->write(bytes);
        return;
    }
    // A few bytes at a time, a few ms apart, so the client reads replies in pieces.
    for (qsizetype i = 0, n = 0; i < bytes.size(); i += 3, ++n) {
        const QByteArray piece = bytes.mid(i, 3);
        QTimer::singleShot(int(n * 2), socket, [socket, piece] {
            socket->write(piece);
            socket->flush();
        });
    }
}

void SmtpSink::startTls(QTcpSocket *socket, Session &session)
{
    auto *ssl = qobject_cast<QSslSocket *>(socket);
    ssl->setLocalCertificate(certificate());
    ssl->setPrivateKey(QSslKey(QByteArray(kPrivateKeyPem), QSsl::Rsa));
    session.tls = true;
    session.in.clear(); // what came in clear is not read as if it were inside TLS
    ssl->startServerEncryption();
}

void SmtpSink::onReadyRead(QTcpSocket *socket)
{
    Session *session = m_sessions.value(socket);
    if (!session)
        return;
    session->in += socket->readAll();
    qsizetype end;
    while ((end = session->in.indexOf("\r\n")) >= 0) {
        const QByteArray line = session->in.left(end);
        session->in.remove(0, end + 2);
        onLine(socket, *session, line);
        if (!m_sessions.contains(socket))
            return;
    }
}

void SmtpSink::onLine(QTcpSocket *socket, Session &s, const QByteArray &line)
{
    using State = Session::State;
    if (s.state == State::Data) {
        if (line == ".") {
            s.state = State::Command;
            s.message.authUser = s.authUser;
            s.message.authPassword = s.authPassword;
            s.message.tls = s.tls;
            const QByteArray refusal = options.replies.value("CONTENT");
            if (refusal.isEmpty() || refusal.startsWith('2'))
                m_messages << s.message;
            s.message = {};
            reply(socket, "CONTENT", "250 2.0.0 Ok: queued"); // may hang up: s is gone then
            return;
        }
        s.message.wire += line + "\r\n";
        s.message.content += (line.startsWith('.') ? line.mid(1) : line) + "\r\n";
        return;
    }
    m_commands << line;
    if (!s.tls)
        m_clearCommands << line;
    if (s.state == State::AuthLoginUser) {
        s.authUser = QByteArray::fromBase64(line);
        s.state = State::AuthLoginPassword;
        socket->write("334 UGFzc3dvcmQ6\r\n");
        return;
    }
    if (s.state == State::AuthLoginPassword) {
        s.authPassword = QByteArray::fromBase64(line);
        s.state = State::Command;
        reply(socket, "AUTH",
              options.acceptAuth ? "235 2.7.0 Authentication successful"
                                 : "535 5.7.8 Authentication credentials invalid");
        return;
    }
    const QByteArray verb = line.split(' ').value(0).toUpper();
    if (verb == "EHLO") {
        if (options.rejectEhlo)
            return reply(socket, "EHLO", "502 5.5.2 EHLO not implemented");
        QList<QByteArray> lines {"sink.test greets you"};
        lines << options.extensions;
        if (options.startTls && !s.tls)
            lines << "STARTTLS";
        if (!options.authMechanisms.isEmpty())
            lines << "AUTH " + options.authMechanisms.join(' ');
        QByteArray text;
        for (qsizetype i = 0; i < lines.size(); ++i)
            text += "250" + QByteArray(i + 1 < lines.size() ? "-" : " ") + lines.at(i) + "\r\n";
        text.chop(2);
        reply(socket, "EHLO", text);
    } else if (verb == "STARTTLS" && options.startTls && !s.tls) {
        socket->write("220 2.0.0 Ready to start TLS\r\n"); // in clear, before the handshake
        s.message = {};
        startTls(socket, s);
    } else if (verb == "HELO") {
        reply(socket, "HELO", "250 sink.test");
    } else if (verb == "AUTH") {
        const QList<QByteArray> parts = line.split(' ');
        const QByteArray mechanism = parts.value(1).toUpper();
        if (mechanism == "PLAIN" && parts.size() > 2) {
            const QList<QByteArray> fields = QByteArray::fromBase64(parts.at(2)).split('\0');
            s.authUser = fields.value(1);
            s.authPassword = fields.value(2);
            reply(socket, "AUTH",
                  options.acceptAuth ? "235 2.7.0 Authentication successful"
                                     : "535 5.7.8 Authentication credentials invalid");
        } else if (mechanism == "LOGIN") {
            s.state = State::AuthLoginUser;
            socket->write("334 VXNlcm5hbWU6\r\n");
        } else {
            reply(socket, "AUTH", "504 5.5.4 Unrecognized authentication type");
        }
    } else if (verb == "MAIL") {
        s.message = {};
        s.message.mailFrom = angleArgument(line);
        reply(socket, "MAIL", "250 2.1.0 Ok");
    } else if (verb == "RCPT") {
        s.message.rcptTo << angleArgument(line);
        reply(socket, "RCPT", "250 2.1.5 Ok");
    } else if (verb == "DATA") {
        const QByteArray refusal = options.replies.value("DATA");
        if (refusal.isEmpty() || refusal.startsWith('3'))
            s.state = State::Data;
        reply(socket, "DATA", "354 End data with <CR><LF>.<CR><LF>");
    } else if (verb == "RSET" || verb == "NOOP") {
        reply(socket, verb, "250 2.0.0 Ok");
    } else if (verb == "QUIT") {
        socket->write("221 2.0.0 Bye\r\n");
        socket->disconnectFromHost();
    } else {
        reply(socket, verb, "502 5.5.2 Command not recognized");
    }
}

} // namespace sb::test
