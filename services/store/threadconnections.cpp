#include "threadconnections.h"

#include <QSqlDatabase>

#include <sqlite3.h>

namespace sb::store {

ThreadConnections::Statement::~Statement()
{
    // QtSql deleted the connection's driver while this statement was prepared on its handle
    // (someone removed the connection without forgetStatements): QSQLiteDriver::close()'s
    // sqlite3_close() then failed, as SQLite refuses to close a handle that has statements, and
    // left the handle open with nobody to close it. The last of our statements on it does.
    if (!native || driver)
        return;
    sqlite3 *handle = native->handle();
    native.reset();
    if (sqlite3_next_stmt(handle, nullptr) == nullptr)
        sqlite3_close(handle);
}

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
