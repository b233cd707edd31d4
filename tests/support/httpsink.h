#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

namespace sb::test {

// An HTTP/1.1 server on 127.0.0.1 that keeps every request it reads and answers each with
// `status` (one request per connection). close() and listen(samePort) play a service that is
// down, then up again.
class HttpSink : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
        int answeredStatus = 0;
    };

    explicit HttpSink(QObject *parent = nullptr);
    ~HttpSink() override;

    bool listen(quint16 port = 0);
    void close();
    quint16 port() const { return m_port; }
    QString url(const QString &path = QStringLiteral("/sms")) const;

    int status = 200;
    bool hang = false; // read requests, never answer

    QList<Request> requests() const { return m_requests; }
    // The requests answered with a 2xx status.
    QList<Request> accepted() const;

private:
    void onConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    quint16 m_port = 0;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
};

} // namespace sb::test
