#include "httpsink.h"

#include <QTcpSocket>

namespace sb::test {

HttpSink::HttpSink(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpSink::onConnection);
}

HttpSink::~HttpSink()
{
    close();
}

bool HttpSink::listen(quint16 port)
{
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void HttpSink::close()
{
    m_server.close();
    const auto sockets = m_buffers.keys();
    m_buffers.clear();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

QString HttpSink::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
}

QList<HttpSink::Request> HttpSink::accepted() const
{
    QList<Request> out;
    for (const Request &r : m_requests) {
        if (r.answeredStatus >= 200 && r.answeredStatus < 300)
            out << r;
    }
    return out;
}

void HttpSink::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void HttpSink::onReadyRead(QTcpSocket *socket)
{
    if (!m_buffers.contains(socket))
        return;
    QByteArray &in = m_buffers[socket];
    in += socket->readAll();
    const qsizetype headerEnd = in.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    Request request;
    const QList<QByteArray> lines = in.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    for (const QByteArray &line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.insert(line.left(colon).trimmed().toLower(),
                                   line.mid(colon + 1).trimmed());
    }
    const qsizetype length = request.headers.value("content-length", "0").toLongLong();
    if (in.size() < headerEnd + 4 + length)
        return; // the rest of the body is on its way
    request.body = in.mid(headerEnd + 4, length);
    in.clear();
    if (hang) {
        m_requests << request;
        return;
    }
    request.answeredStatus = status;
    m_requests << request;
    const QByteArray body = status / 100 == 2 ? "{\"ok\":true}" : "{\"error\":\"sink says no\"}";
    socket->write("HTTP/1.1 " + QByteArray::number(status)
                  + " Sink\r\nContent-Type: "
                    "application/json\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}

} // namespace sb::test
