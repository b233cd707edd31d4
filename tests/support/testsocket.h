#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

namespace sb::test {

// A real WebSocket client (QWebSocket) that records every frame the server sends and waits for
// the ones a test expects: socket.waitForFrame(isEvent("message")). Each wait looks at the
// frames after the last one a wait returned, so consecutive waits read the stream in order.
class TestSocket
{
public:
    using Predicate = std::function<bool(const QJsonObject &)>;

    TestSocket();
    ~TestSocket();
    TestSocket(const TestSocket &) = delete;
    TestSocket &operator=(const TestSocket &) = delete;

    // Opens the connection (ws://.../api/v1/ws); false when it is not open within the timeout.
    bool connect(const QString &wsUrl, int timeoutMs = 5000);
    // connect(), the auth frame, and the server's ready frame; nullopt when any step fails.
    std::optional<QJsonObject> signIn(const QString &wsUrl, const QString &token,
                                      int timeoutMs = 5000);

    // A new socket, signed in; null when that fails.
    static std::unique_ptr<TestSocket> signedIn(const QString &wsUrl, const QString &token);

    void sendJson(const QJsonObject &frame);
    void sendText(const QString &text);

    // The first frame after the last one returned that matches; nullopt after the timeout.
    std::optional<QJsonObject> waitForFrame(const Predicate &predicate, int timeoutMs = 5000);
    // Whether any frame received so far (whether or not returned by a wait) matches.
    bool hasFrame(const Predicate &predicate) const;
    const QList<QJsonObject> &frames() const { return m_frames; }

    // A ping answered: every frame the server wrote to this socket before it handled the ping
    // has arrived (frames of different sockets may be handled in any order).
    bool pingPong();

    bool isConnected() const;
    bool waitForDisconnected(int timeoutMs = 5000);
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    void close();

    // Predicates for the frames of DESIGN.md "Real-time".
    static Predicate ofType(const QString &type);
    static Predicate isEvent(const QString &entity, const QString &id = {});
    // A presence frame of that ticket (or conversation, when conversation is true).
    static Predicate isPresence(const QString &roomId, bool conversation = false);

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    qsizetype m_cursor = 0;
    bool m_disconnected = false;
};

// The ids in a presence frame's list ("viewers" or "typing").
QStringList presenceIds(const QJsonObject &frame, const QString &list);

} // namespace sb::test
