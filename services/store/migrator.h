#pragma once

#include "databaseconfig.h"

#include <domain/result.h>

#include <QList>
#include <QString>
#include <QStringList>

namespace sb::store {

class Database;

struct Migration
{
    int version = 0;
    QString name;
    QStringList statements;
};

// Versioned, forward-only migrations from resources/migrations/<dialect>/NNNN_name.sql, applied
// at open in one transaction. A database newer than this program is refused, not touched.
class Migrator
{
public:
    explicit Migrator(Database &db)
        : m_db(db)
    { }

    // Answers the schema version after migrating.
    Result<int> migrate() const;

    static QList<Migration> available(Dialect dialect);
    // Splits a script into statements; a CREATE TRIGGER ... END; block stays one statement.
    static QStringList splitStatements(const QString &script);

private:
    Database &m_db;
};

} // namespace sb::store
