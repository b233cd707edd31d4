#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <vector>

class QWebSocket;

namespace sb::bench {

// The fan-out benchmark's listeners: N agent WebSockets on /api/v1/ws, each signed in with its
// auth frame, recording when each "message" event reaches it (on one shared clock).
class AgentSockets : public QObject
{
    Q_OBJECT
public:
    struct Arrival
    {
        int count = 0; // sockets that received the event
        qint64 firstNs = 0; // clock time of the first of them
        qint64 lastNs = 0; // and of the last
    };

    AgentSockets(const QElapsedTimer &clock, QObject *parent = nullptr);
    ~AgentSockets() override;

    // Opens one socket per token; they sign in while the event loop runs.
    void open(const QUrl &url, const QStringList &tokens);
    int size() const { return int(m_sockets.size()); }
    int ready() const { return m_ready; }
    int refused() const { return m_refused; }
    // Nothing while no socket has received the message's event.
    Arrival arrival(const QString &messageId) const { return m_arrivals.value(messageId); }

private:
    void onText(const QString &frame);

    const QElapsedTimer &m_clock;
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
    QHash<QString, Arrival> m_arrivals;
    int m_ready = 0;
    int m_refused = 0;
};

} // namespace sb::bench
