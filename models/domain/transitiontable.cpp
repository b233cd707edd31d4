#include "transitiontable.h"

#include <QJsonArray>

namespace sb {

Error transitionError(const QString &subject, const QString &from, const QString &to,
                      const QStringList &allowed)
{
    const QString message = allowed.isEmpty()
        ? QStringLiteral("A %1 that is %2 cannot move any more").arg(subject, from)
        : QStringLiteral("A %1 that is %2 can move to: %3")
              .arg(subject, from, allowed.join(QStringLiteral(", ")));
    return Error::make(
        QStringLiteral("invalid_transition"), message,
        QJsonObject {{QStringLiteral("from"), from},
                     {QStringLiteral("to"), to},
                     {QStringLiteral("allowed"), QJsonArray::fromStringList(allowed)}});
}

} // namespace sb
