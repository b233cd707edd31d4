#include "logcapture.h"

#include <QMutex>
#include <QtGlobal>

namespace sb::test::LogCapture {

namespace {

QMutex s_mutex;
QStringList s_lines;
QtMessageHandler s_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&s_mutex);
        s_lines << QString::fromLatin1(context.category ? context.category : "") + u' ' + message;
    }
    if (s_previous)
        s_previous(type, context, message);
}

} // namespace

void install()
{
    s_previous = qInstallMessageHandler(capture);
}

QStringList lines()
{
    QMutexLocker lock(&s_mutex);
    return s_lines;
}

void clear()
{
    QMutexLocker lock(&s_mutex);
    s_lines.clear();
}

} // namespace sb::test::LogCapture
