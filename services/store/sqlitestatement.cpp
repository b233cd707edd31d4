#include "sqlitestatement.h"

#include "utf8text.h"

#include <QSqlDatabase>
#include <QSqlDriver>

#include <sqlite3.h>

namespace sb::store {

namespace {

// NULL as QtSql writes it: a null QVariant, and a null QString, QByteArray or time inside one.
bool isNullValue(const QVariant &value)
{
    if (value.isNull())
        return true;
    switch (value.typeId()) {
    case QMetaType::QString:
        return static_cast<const QString *>(value.constData())->isNull();
    case QMetaType::QByteArray:
        return static_cast<const QByteArray *>(value.constData())->isNull();
    case QMetaType::QDateTime:
    case QMetaType::QDate:
    case QMetaType::QTime:
        return value.toString().isNull();
    default:
        return false;
    }
}

} // namespace

std::unique_ptr<SqliteStatement> SqliteStatement::prepare(sqlite3 *db, const QString &sql,
                                                          QString *error)
{
    const QByteArray text = sql.toUtf8();
    sqlite3_stmt *stmt = nullptr;
    const char *tail = nullptr;
    // Persistent: the statement is cached for the connection's life (SqlQuery).
    const int rc = sqlite3_prepare_v3(db, text.constData(), int(text.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK || !stmt) {
        if (error)
            *error = rc == SQLITE_OK ? QStringLiteral("no statement")
                                     : QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(stmt);
        return nullptr;
    }
    // One statement a text, as QtSql's driver insists: a second one would never run.
    if (tail && !QByteArray(tail).trimmed().isEmpty()) {
        if (error)
            *error = QStringLiteral("more than one statement in one text");
        sqlite3_finalize(stmt);
        return nullptr;
    }
    return std::unique_ptr<SqliteStatement>(new SqliteStatement(db, stmt));
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

int SqliteStatement::parameterIndex(const QString &placeholder)
{
    const auto it = m_parameters.constFind(placeholder);
    if (it != m_parameters.cend())
        return *it;
    const int index = sqlite3_bind_parameter_index(m_stmt, placeholder.toUtf8().constData());
    m_parameters.insert(placeholder, index);
    return index;
}

void SqliteStatement::bind(int index, const QVariant &value)
{
    if (index <= 0)
        return;
    if (m_state != State::Idle)
        reset();
    if (isNullValue(value)) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Bool:
        sqlite3_bind_int(m_stmt, index, value.toBool() ? 1 : 0);
        return;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        sqlite3_bind_int64(m_stmt, index, value.toLongLong());
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        sqlite3_bind_double(m_stmt, index, value.toDouble());
        return;
    case QMetaType::QByteArray: {
        QByteArray bytes = value.toByteArray();
        sqlite3_bind_blob64(m_stmt, index, bytes.constData(), sqlite3_uint64(bytes.size()),
                            SQLITE_STATIC);
        keep(index, std::move(bytes));
        return;
    }
    default: {
        // UTF-8 as it is; QString, and whatever else as its text (as QtSql's driver does).
        QByteArray text = value.metaType() == QMetaType::fromType<Utf8Text>()
            ? static_cast<const Utf8Text *>(value.constData())->bytes
            : value.toString().toUtf8();
        sqlite3_bind_text64(m_stmt, index, text.constData(), sqlite3_uint64(text.size()),
                            SQLITE_STATIC, SQLITE_UTF8);
        keep(index, std::move(text));
        return;
    }
    }
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        m_state = m_state == State::Idle ? State::RowPending : State::OnRow;
        return true;
    }
    m_state = State::Done;
    if (rc == SQLITE_DONE)
        return true;
    m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_stmt); // the error stays with the statement until it is reset
    return false;
}

bool SqliteStatement::exec()
{
    if (m_state != State::Idle)
        sqlite3_reset(m_stmt);
    m_state = State::Idle;
    m_error.clear();
    if (!step()) {
        m_state = State::Idle;
        return false;
    }
    // A DML statement (with RETURNING too) has done all its work at its first step.
    m_changes = sqlite3_changes(m_db);
    m_lastInsertId = sqlite3_last_insert_rowid(m_db);
    return true;
}

bool SqliteStatement::next()
{
    switch (m_state) {
    case State::RowPending:
        m_state = State::OnRow;
        return true;
    case State::OnRow:
        return step() && m_state == State::OnRow;
    case State::Idle:
    case State::Done:
        break;
    }
    return false;
}

QVariant SqliteStatement::value(int column) const
{
    if (m_state != State::OnRow || column < 0 || column >= sqlite3_column_count(m_stmt))
        return {};
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_INTEGER:
        return QVariant(qlonglong(sqlite3_column_int64(m_stmt, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(m_stmt, column));
    case SQLITE_BLOB:
        return QVariant(QByteArray(static_cast<const char *>(sqlite3_column_blob(m_stmt, column)),
                                   sqlite3_column_bytes(m_stmt, column)));
    case SQLITE_NULL:
        return QVariant(QMetaType::fromType<QString>());
    default: {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
        return QVariant(QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column)));
    }
    }
}

int SqliteStatement::columnIndex(const QString &name)
{
    return columnIndex(QUtf8StringView(name.toUtf8()));
}

int SqliteStatement::columnIndex(QUtf8StringView name)
{
    if (m_columns.isEmpty()) {
        const int count = sqlite3_column_count(m_stmt);
        for (int i = 0; i < count; ++i) {
            QByteArray column(sqlite3_column_name(m_stmt, i));
            column.replace('"', "");
            m_columns.insert(column, i);
        }
    }
    return m_columns.value(QByteArray::fromRawData(name.data(), name.size()), -1);
}

void SqliteStatement::keep(int index, QByteArray bytes)
{
    if (m_kept.size() < size_t(index))
        m_kept.resize(size_t(sqlite3_bind_parameter_count(m_stmt)));
    m_kept[size_t(index) - 1] = std::move(bytes); // frees what `index` pointed to before
}

void SqliteStatement::reset(bool clearBindings)
{
    sqlite3_reset(m_stmt);
    if (clearBindings) {
        sqlite3_clear_bindings(m_stmt);
        m_kept.clear();
    }
    m_state = State::Idle;
}

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    const QSqlDriver *driver = db.driver();
    if (!driver)
        return nullptr;
    const QVariant handle = driver->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

} // namespace sb::store
