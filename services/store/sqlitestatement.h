#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QVariant>

#include <memory>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;
class QSqlDatabase;

namespace sb::store {

// One prepared statement run on the SQLite handle of a QtSql connection, not through QtSql:
// a bound value goes straight to sqlite3_bind_*, a column straight into a QVariant. (QtSql's
// driver builds a QSqlRecord of QSqlFields at every execution, finds a named parameter by
// walking the statement's list at each bind, and copies each row into a cache before it is
// read: most of a short statement's cost.) SqlQuery uses it on SQLite; values read as QtSql's
// SQLite driver reads them (INTEGER qlonglong, REAL double, TEXT QString, BLOB QByteArray, NULL
// a null QString).
class SqliteStatement
{
public:
    // nullptr, with the reason in *error, when SQLite cannot prepare it.
    static std::unique_ptr<SqliteStatement> prepare(sqlite3 *db, const QString &sql,
                                                    QString *error);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // ":name" -> 1-based index, 0 when the statement has no such parameter.
    int parameterIndex(const QString &placeholder);
    void bind(int index, const QVariant &value);

    // Runs it (from the start, with the values bound): false on an error, see errorText().
    bool exec();
    // Moves to the next row of the answer; false after the last one (or on an error).
    bool next();
    QVariant value(int column) const;
    // -1 when the answer has no such column. A name in code (UTF-8, ASCII being both) is looked
    // up without building a string.
    int columnIndex(const QString &name);
    int columnIndex(QUtf8StringView name);

    ::sqlite3 *handle() const { return m_db; }
    int rowsAffected() const { return m_changes; }
    qint64 lastInsertId() const { return m_lastInsertId; }
    QString errorText() const { return m_error; }

    // Ends the execution (its read locks and answer released); with clearBindings, its values
    // too, so that the next user of a cached statement starts from NULLs.
    void reset(bool clearBindings = false);

private:
    SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt)
        : m_db(db)
        , m_stmt(stmt)
    { }
    bool step();
    // Holds the text or blob bound at `index` (SQLITE_STATIC: SQLite reads it in place, where
    // SQLITE_TRANSIENT made it copy every value) until that parameter is bound again, the
    // bindings are cleared or the statement is finalized.
    void keep(int index, QByteArray bytes);

    enum class State { Idle, RowPending, OnRow, Done };
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt;
    State m_state = State::Idle;
    int m_changes = 0;
    qint64 m_lastInsertId = 0;
    QString m_error;
    QHash<QString, int> m_parameters;
    QHash<QByteArray, int> m_columns; // UTF-8 name -> index, filled on first use
    std::vector<QByteArray> m_kept; // by parameter index - 1
};

// The sqlite3 handle under a QtSql SQLite connection; nullptr for any other driver.
sqlite3 *sqliteHandle(const QSqlDatabase &db);

} // namespace sb::store
