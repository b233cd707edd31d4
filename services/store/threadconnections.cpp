#include "threadconnections.h"

#include <QSqlDatabase>

namespace sb::store {

ThreadConnections::~ThreadConnections()
{
    statements.clear();
    for (const QString &name : std::as_const(names))
        QSqlDatabase::removeDatabase(name);
}

void ThreadConnections::forgetStatements(const QString &connectionName)
{
    const QString prefix = connectionName + u'\x1f';
    std::erase_if(statements, [&](const auto &entry) { return entry.first.startsWith(prefix); });
}

void ThreadConnections::remove(const QString &connectionName)
{
    forgetStatements(connectionName);
    if (QSqlDatabase::contains(connectionName)) {
        QSqlDatabase::database(connectionName, false).close();
        QSqlDatabase::removeDatabase(connectionName);
    }
    names.removeAll(connectionName);
}

ThreadConnections &threadConnections()
{
    thread_local ThreadConnections connections;
    return connections;
}

} // namespace sb::store
