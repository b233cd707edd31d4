#include "benchhttpclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTimer>

namespace sb::bench {

BenchHttpClient::BenchHttpClient(const QString &host, quint16 port, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_port(port)
{
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] {
        m_buffer += m_socket.readAll();
        parse();
    });
}

void BenchHttpClient::send(const QByteArray &method, const QByteArray &path, const Headers &headers,
                           const QByteArray &body)
{
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        m_socket.abort();
        m_buffer.clear();
        m_socket.connectToHost(m_host, m_port);
        m_socket.waitForConnected(5000);
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    }
    m_reply.reset();
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: " + m_host.toLatin1() + ':'
        + QByteArray::number(m_port) + "\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method != "GET")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    m_socket.write(request);
    m_socket.flush();
}

BenchHttpClient::Reply BenchHttpClient::takeReply()
{
    Reply reply = m_reply.value_or(Reply {});
    m_reply.reset();
    return reply;
}

BenchHttpClient::Reply BenchHttpClient::call(const QByteArray &method, const QByteArray &path,
                                             const Headers &headers, const QByteArray &body,
                                             int timeoutMs)
{
    send(method, path, headers, body);
    waitUntil([this] { return hasReply(); }, timeoutMs);
    return takeReply();
}

// Status line, headers, and a body of Content-Length bytes (the server always sends one).
void BenchHttpClient::parse()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    qsizetype length = 0;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
            length = line.mid(colon + 1).trimmed().toLongLong();
    }
    if (m_buffer.size() < end + 4 + length)
        return;
    Reply reply;
    reply.status = lines.value(0).split(' ').value(1).toInt();
    reply.body = m_buffer.mid(end + 4, length);
    m_buffer.remove(0, end + 4 + length);
    m_reply = reply;
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    // A heartbeat, so that waiting for more events never outlasts the deadline by much.
    QTimer heartbeat;
    heartbeat.start(50);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

} // namespace sb::bench
