#pragma once

#include "databaseconfig.h"

#include <domain/result.h>

#include <QSqlDatabase>
#include <QString>

namespace sb::store {

class SqlFilter;

// The dialect behind a connection, for the few statements that must differ (full-text search,
// query plans, advisory locks).
Dialect dialectOf(const QSqlDatabase &db);

// The plan the database would use for sql with these bindings, one line per step:
// EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL. With preferIndexes, PostgreSQL is told to
// avoid sequential scans for this statement, so that a test on a handful of rows shows which
// index the query *can* use (on tiny tables the planner rightly prefers a scan).
Result<QString> explainQuery(const QSqlDatabase &db, const QString &sql, const SqlFilter &bindings,
                             bool preferIndexes = true);

} // namespace sb::store
