#include "shutdownsignals.h"

#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#else
#include <QMetaObject>
#include <QPointer>
#include <windows.h>
#endif

namespace {

#ifdef Q_OS_UNIX
// The self-pipe trick: the handler may only write(2); the notifier reads on the event loop.
int s_fds[2] = {-1, -1};

void onSignal(int signal)
{
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(s_fds[0], &byte, 1);
}
#else
QPointer<ShutdownSignals> s_instance;

BOOL WINAPI onConsoleEvent(DWORD type)
{
    if (!s_instance)
        return FALSE;
    QMetaObject::invokeMethod(s_instance, "shutdownRequested", Qt::QueuedConnection,
                              Q_ARG(int, static_cast<int>(type)));
    return TRUE;
}
#endif

} // namespace

ShutdownSignals::ShutdownSignals(QObject *parent)
    : QObject(parent)
{
#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_fds) != 0)
        return;
    m_notifier = new QSocketNotifier(s_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(s_fds[1], &byte, 1) == 1)
            emit shutdownRequested(byte);
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
#else
    s_instance = this;
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
#endif
}

ShutdownSignals::~ShutdownSignals()
{
#ifdef Q_OS_UNIX
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
#else
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
#endif
}
