#pragma once

#include <domain/result.h>
#include <store/deliveryrepository.h>

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace sb::server {

class SmsWebhook;
class SmtpClient;
struct ServerContext;

// Sends the queued e-mail and SMS deliveries of notifications (DESIGN.md "Notifications"): every
// 2 s, and at once when kicked after a commit that queued some, it claims due deliveries (a
// lease that other server instances respect) and sends them one at a time per channel. A failed
// attempt waits SWITCHBOARD_DELIVERY_RETRY_SECONDS (30 s), then twice as long each time up to 120
// times that (1 h); after SWITCHBOARD_DELIVERY_GIVE_UP_HOURS (24 h), or at once when the channel
// says retrying cannot help, the delivery fails for good (logged). A channel whose URL is unset
// has no lane: the Notifier only logs its messages.
class DeliverySender : public QObject
{
    Q_OBJECT

public:
    explicit DeliverySender(ServerContext &context, QObject *parent = nullptr);
    ~DeliverySender() override;

    void start();
    // Abandons the sends in flight and gives back this instance's claims: those deliveries stay
    // pending and go out from the next instance that runs.
    void stop();
    // Looks for due deliveries now rather than at the next tick. Safe from any thread.
    void kick();

    QString instanceId() const { return m_instanceId; }
    // The wait after the n-th failed attempt (n >= 1).
    static qint64 retryDelayMs(double baseSeconds, int failedAttempts);

private:
    struct Lane
    {
        store::DeliveryChannel channel;
        QList<store::NotificationDelivery> queue; // claimed, not yet sent
        QDateTime leaseEnds; // of the claims in queue
        std::optional<store::NotificationDelivery> current;
    };

    void pumpAll();
    void pump(Lane &lane);
    void transmit(Lane &lane);
    void settle(Lane &lane, const Status &result);
    void scheduleRetry(qint64 delayMs);
    void refreshMetrics();

    ServerContext &m_context;
    const QString m_instanceId;
    std::unique_ptr<SmtpClient> m_smtp; // null: e-mail logged only
    std::unique_ptr<SmsWebhook> m_sms; // null: SMS logged only
    Lane m_emailLane {store::DeliveryChannel::Email, {}, {}, {}};
    Lane m_smsLane {store::DeliveryChannel::Sms, {}, {}, {}};
    QTimer m_poll;
    QTimer m_retry; // the earliest retry this instance scheduled
    QDateTime m_metricsAt;
    std::atomic_bool m_kickPending = false;
    bool m_running = false;
};

} // namespace sb::server
