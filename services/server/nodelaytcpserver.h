#pragma once

#include <QTcpServer>

namespace sb::server {

// The listening socket of the HTTP server: every accepted connection has Nagle's algorithm off.
// An answer larger than one write of the socket's buffer (a page of tickets) and WebSocket frames
// sent back to back otherwise wait for the peer's delayed ACK, 40 ms on Linux.
class NoDelayTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr socketDescriptor) override;
};

} // namespace sb::server
