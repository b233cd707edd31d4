#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpSocket>

#include <functional>
#include <optional>

namespace sb::bench {

// A minimal HTTP/1.1 client on one keep-alive connection, for the benchmark tools: it writes the
// request at once (QNetworkAccessManager hands it to another thread first, which would blur a
// latency measured in microseconds) and parses Content-Length answers. One request at a time.
class BenchHttpClient : public QObject
{
    Q_OBJECT
public:
    struct Reply
    {
        int status = 0; // 0: no answer (connection lost or timed out)
        QByteArray body;
    };
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    BenchHttpClient(const QString &host, quint16 port, QObject *parent = nullptr);

    // Writes the request; the answer arrives while the event loop runs (see waitUntil).
    void send(const QByteArray &method, const QByteArray &path, const Headers &headers = {},
              const QByteArray &body = {});
    bool hasReply() const { return m_reply.has_value(); }
    Reply takeReply();

    // send, then wait (running the event loop) for the answer.
    Reply call(const QByteArray &method, const QByteArray &path, const Headers &headers = {},
               const QByteArray &body = {}, int timeoutMs = 10000);

private:
    void parse();

    QTcpSocket m_socket;
    QString m_host;
    quint16 m_port;
    QByteArray m_buffer;
    std::optional<Reply> m_reply;
};

// Runs the event loop until done() answers true (true) or timeoutMs passes (false).
bool waitUntil(const std::function<bool()> &done, int timeoutMs);

} // namespace sb::bench
