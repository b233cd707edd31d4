#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGTERM/SIGINT (Ctrl+C / console close on Windows) into a Qt signal delivered on the
// event loop, where it is safe to drain and close the store.
class ShutdownSignals : public QObject
{
    Q_OBJECT

public:
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

signals:
    void shutdownRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};
