#pragma once

#include <domain/result.h>

#include <QDateTime>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace sb::store {

// A prepared statement with bound values. Every failure is logged with the driver's text and
// the statement, and answered to the caller as a clean "storage_error" (no SQL in it).
// Statements are prepared once per connection and reused (SQLite parses the SQL once; on
// PostgreSQL a prepare is a round trip of its own). A statement already in use by another live
// SqlQuery of the same text is prepared afresh, so nesting is safe.
class SqlQuery
{
public:
    SqlQuery(const QSqlDatabase &db, const QString &sql);
    ~SqlQuery();
    SqlQuery(const SqlQuery &) = delete;
    SqlQuery &operator=(const SqlQuery &) = delete;

    SqlQuery &bind(const QString &placeholder, const QVariant &value);
    Status exec();

    bool next() { return m_query->next(); }
    QVariant value(int index) const { return m_query->value(index); }
    // By column name: the name-to-index map is built once per statement, not per call (Qt's
    // QSqlQuery::value(name) rebuilds the record on every call).
    QVariant value(const QString &name) const;
    int rowsAffected() const { return m_query->numRowsAffected(); }
    QSqlQuery &raw() { return *m_query; }

private:
    QSqlQuery m_own; // when the cached statement of this text is busy
    QSqlQuery *m_query = &m_own;
    bool *m_inUse = nullptr; // the cached statement's flag, when using it
    QHash<QString, int> m_ownColumns;
    QHash<QString, int> *m_columns = &m_ownColumns; // the cached statement's map, when using it
    QString m_sql;
    bool m_prepared = false;
};

// One statement that is not worth preparing (DDL, PRAGMA, BEGIN).
Status execDirect(const QSqlDatabase &db, const QString &sql);

Error storageError();

// Column codecs: times are UTC milliseconds, empty references are NULL.
QVariant dbTime(const QDateTime &t);
QDateTime fromDbTime(const QVariant &v);
QVariant dbRef(const QString &id);
QString fromDbRef(const QVariant &v);

} // namespace sb::store
