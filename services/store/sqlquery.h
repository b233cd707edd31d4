#pragma once

#include <domain/result.h>

#include <QDateTime>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <algorithm>
#include <memory>
#include <type_traits>

namespace sb::store {

class SqliteStatement;

// A prepared statement with bound values. Every failure is logged with the driver's text and
// the statement, and answered to the caller as a clean "storage_error" (no SQL in it).
// Statements are prepared once per connection and reused (SQLite parses the SQL once; on
// PostgreSQL a prepare is a round trip of its own). A statement already in use by another live
// SqlQuery of the same text is prepared afresh, so nesting is safe. On SQLite it runs on the
// connection's sqlite3 handle itself (SqliteStatement), on PostgreSQL through QtSql.
class SqlQuery
{
public:
    SqlQuery(const QSqlDatabase &db, const QString &sql);
    ~SqlQuery();
    SqlQuery(const SqlQuery &) = delete;
    SqlQuery &operator=(const SqlQuery &) = delete;

    SqlQuery &bind(const QString &placeholder, const QVariant &value);
    // By 0-based position, for statements written with "?" markers.
    void bindAt(int position, const QVariant &value);
    Status exec();

    bool next();
    QVariant value(int index) const;
    // By column name: the name-to-index map is built once per statement, not per call (Qt's
    // QSqlQuery::value(name) rebuilds the record on every call).
    QVariant value(const QString &name) const;
    // The same for a name in code: no QString built on SQLite (a row's reader asks dozens).
    QVariant value(QLatin1StringView name) const;
    int rowsAffected() const;
    // The rowid of the last row inserted (SQLite), invalid where the driver has none.
    QVariant lastInsertId() const;
    // Ends the execution early: its locks and answer are released (the destructor does it too).
    void finish();

private:
    QSqlQuery m_own; // when the cached statement of this text is busy
    QSqlQuery *m_query = &m_own;
    std::unique_ptr<SqliteStatement> m_ownNative;
    SqliteStatement *m_native = nullptr; // on SQLite, instead of m_query
    bool *m_inUse = nullptr; // the cached statement's flag, when using it
    QHash<QString, int> m_ownColumns;
    QHash<QString, int> *m_columns = &m_ownColumns; // the cached statement's map, when using it
    QString m_sql;
    bool m_prepared = false;
};

// Binds one row of a multi-row statement of RowValues by the one-row statement's placeholder
// names, so that code binding a row through a template parameter (bind(placeholder, value))
// serves both statements.
class RowBinder
{
public:
    RowBinder(SqlQuery &query, const QHash<QString, int> &columns, int first)
        : m_query(query)
        , m_columns(columns)
        , m_first(first)
    { }
    RowBinder &bind(const QString &placeholder, const QVariant &value);

private:
    SqlQuery &m_query;
    const QHash<QString, int> &m_columns;
    int m_first;
};

// The VALUES of a multi-row INSERT: rows of these placeholders (":id", ...), written with
// positional markers.
class RowValues
{
public:
    explicit RowValues(const QStringList &placeholders);
    // "(?, ?, ...), (?, ?, ...)" for `rows` rows.
    QString sql(qsizetype rows) const;
    // Rows to put in one statement: up to 5,000 values. Fewer statements are fewer round trips
    // on PostgreSQL and, on SQLite, fewer statement journals and full-text index flushes (FTS5
    // writes a segment per statement). Values are bound by position, at no cost per marker.
    qsizetype rowsPerStatement() const;
    RowBinder row(SqlQuery &query, qsizetype row) const
    {
        return RowBinder(query, m_columns, int(row * m_columns.size()));
    }

    // Inserts `count` rows with as few statements as rowsPerStatement allows: each statement is
    // `head` + these VALUES + `tail`; bindRow(RowBinder, index) binds row `index`, and
    // readAnswer(SqlQuery &, first, n), when given, reads what a statement answered (RETURNING).
    template<typename BindRow, typename ReadAnswer = std::nullptr_t>
    Status insert(const QSqlDatabase &db, const QString &head, const QString &tail, qsizetype count,
                  BindRow &&bindRow, ReadAnswer &&readAnswer = nullptr) const
    {
        const qsizetype perStatement = rowsPerStatement();
        for (qsizetype from = 0; from < count; from += perStatement) {
            const qsizetype n = std::min(perStatement, count - from);
            SqlQuery q(db, head + sql(n) + tail);
            for (qsizetype i = 0; i < n; ++i)
                bindRow(row(q, i), from + i);
            if (Status s = q.exec(); !s)
                return s;
            if constexpr (!std::is_null_pointer_v<std::decay_t<ReadAnswer>>) {
                if (Status s = readAnswer(q, from, n); !s)
                    return s;
            }
        }
        return {};
    }

private:
    QHash<QString, int> m_columns;
};

// The rowid SQLite gave the first of the n rows a multi-row INSERT (without RETURNING) just
// wrote. It numbers them in VALUES order, each the largest rowid so far + 1, while the statement
// holds the write lock: the last one, which it reports, tells them all. (RETURNING would cost an
// ephemeral table per statement.)
Result<qint64> firstInsertedRowid(const SqlQuery &q, qsizetype n);

// One statement that is not worth preparing (DDL, PRAGMA, BEGIN).
Status execDirect(const QSqlDatabase &db, const QString &sql);

Error storageError();

// Column codecs: times are UTC milliseconds, empty references are NULL.
QVariant dbTime(const QDateTime &t);
QDateTime fromDbTime(const QVariant &v);
QVariant dbRef(const QString &id);
QString fromDbRef(const QVariant &v);

} // namespace sb::store
