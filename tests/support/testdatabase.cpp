#include "testdatabase.h"

#include "postgrestestserver.h"

#include <QSqlDatabase>

namespace sb::test {

namespace {

QString env(const char *name)
{
    return qEnvironmentVariable(name).trimmed();
}

std::optional<StoreUnavailable> checkAvailable()
{
    if (TestStore::backend() == Backend::Sqlite) {
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
            return StoreUnavailable {true, QStringLiteral("The Qt SQLite driver is missing.")};
        return std::nullopt;
    }
    const bool required = env("SWITCHBOARD_REQUIRE_POSTGRES") == u"1";
    const QString url = env("SWITCHBOARD_TEST_DATABASE_URL");
    // Skipped, or with SWITCHBOARD_REQUIRE_POSTGRES=1 (CI) failed, with one line saying why.
    const QString outcome = required ? QStringLiteral("PostgreSQL store tests cannot run "
                                                      "(SWITCHBOARD_REQUIRE_POSTGRES=1): ")
                                     : QStringLiteral("PostgreSQL store tests skipped: ");
    if (url.isEmpty()) {
        return StoreUnavailable {
            required, outcome + u"SWITCHBOARD_TEST_DATABASE_URL is not set (see README)"};
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        return StoreUnavailable {required,
                                 outcome + u"the Qt PostgreSQL driver (QPSQL) is not installed"};
    }
    Result<store::DatabaseConfig> config = store::DatabaseConfig::fromUrl(url);
    if (!config) {
        return StoreUnavailable {
            true, QStringLiteral("SWITCHBOARD_TEST_DATABASE_URL: ") + config.error().message};
    }
    // A server that is configured but unusable is a failure, not a skip: someone meant it to run.
    if (Status s = PostgresTestServer::instance().connect(*config); !s)
        return StoreUnavailable {true, s.error().message};
    return std::nullopt;
}

} // namespace

Backend TestStore::backend()
{
    return env("SWITCHBOARD_TEST_BACKEND").compare(u"postgres", Qt::CaseInsensitive) == 0
        ? Backend::Postgres
        : Backend::Sqlite;
}

std::optional<StoreUnavailable> TestStore::unavailable()
{
    static const std::optional<StoreUnavailable> answer = checkAvailable();
    return answer;
}

std::unique_ptr<TestStore> TestStore::create(QString *error, Schema schema)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return std::unique_ptr<TestStore>();
    };
    if (const auto why = unavailable())
        return fail(why->reason);

    std::unique_ptr<TestStore> store(new TestStore);
    if (backend() == Backend::Sqlite) {
        store->m_dir = std::make_unique<QTemporaryDir>();
        if (!store->m_dir->isValid())
            return fail(QStringLiteral("Cannot create a temporary directory."));
        store->m_config
            = store::DatabaseConfig::sqlite(store->m_dir->filePath(QStringLiteral("store.db")));
    } else if (schema == Schema::Empty) {
        Result<store::DatabaseConfig> config = PostgresTestServer::instance().createOwn();
        if (!config)
            return fail(config.error().message);
        store->m_config = *config;
    } else {
        bool created = false;
        Result<store::DatabaseConfig> config = PostgresTestServer::instance().takePooled(&created);
        if (!config)
            return fail(config.error().message);
        store->m_config = *config;
        store->m_pooled = true;
        if (!store->database())
            return fail(QStringLiteral("Cannot open the test database %1.")
                            .arg(store->m_config.describe()));
        // A reused database still holds the rows of the test before.
        if (!created) {
            if (Status s = PostgresTestServer::emptyTables(store->connection()); !s)
                return fail(QStringLiteral("Cannot empty the pooled test database."));
        }
    }
    if (schema == Schema::Migrated && !store->database())
        return fail(
            QStringLiteral("Cannot open the test store %1.").arg(store->m_config.describe()));
    return store;
}

TestStore::~TestStore()
{
    // Reused only if nothing else (a server still running) holds it.
    const bool reusable = !m_database || m_database.use_count() == 1;
    m_database.reset();
    if (m_config.dialect != store::Dialect::Postgres)
        return;
    if (m_pooled)
        PostgresTestServer::instance().givePooled(m_config.database, reusable);
    else
        PostgresTestServer::instance().drop(m_config.database);
}

std::shared_ptr<store::Database> TestStore::database()
{
    if (!m_database) {
        Result<std::shared_ptr<store::Database>> opened = store::Database::open(m_config);
        if (!opened) {
            qWarning().noquote() << "test store:" << opened.error().code << opened.error().message;
            return nullptr;
        }
        m_database = *opened;
    }
    return m_database;
}

QSqlDatabase TestStore::connection()
{
    const std::shared_ptr<store::Database> db = database();
    return db ? db->connection() : QSqlDatabase();
}

} // namespace sb::test
