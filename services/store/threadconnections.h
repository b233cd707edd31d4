#pragma once

#include "sqlitestatement.h"

#include <QHash>
#include <QPointer>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <memory>
#include <unordered_map>

namespace sb::store {

// What one thread holds of the store: its named connections and their prepared statements.
// One object, so that at thread exit the statements are dropped before their connections are
// removed (QSqlDatabase warns, and breaks the queries, the other way round).
struct ThreadConnections
{
    struct Statement
    {
        // The connection's driver when prepared: QtSql deletes it when the connection is removed,
        // so a connection of the same name opened again never gets this statement.
        QPointer<QSqlDriver> driver;
        QSqlQuery query; // through QtSql (PostgreSQL)
        std::unique_ptr<SqliteStatement> native; // on the SQLite handle, instead of query
        bool inUse = false;
        QHash<QString, int> columns; // name -> index, filled on first use

        Statement() = default;
        Statement(const Statement &) = delete;
        Statement &operator=(const Statement &) = delete;
        ~Statement();
    };

    QStringList names;
    // "<connection name>\x1f<sql>"; unique_ptr: a statement in use keeps its address.
    std::unordered_map<QString, std::unique_ptr<Statement>> statements;

    ~ThreadConnections();
    void forgetStatements(const QString &connectionName);
    void remove(const QString &connectionName);
};

ThreadConnections &threadConnections();

} // namespace sb::store
