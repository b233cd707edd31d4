#pragma once

#include <store/database.h>
#include <store/databaseconfig.h>

#include <QString>
#include <QTemporaryDir>
#include <QtTest/QTest>

#include <memory>
#include <optional>

namespace sb::test {

enum class Backend { Sqlite, Postgres };

// Why this run cannot make stores: skip (the PostgreSQL run without a server configured) or fail
// (SWITCHBOARD_REQUIRE_POSTGRES=1, or a server configured but unusable).
struct StoreUnavailable
{
    bool fail = false;
    QString reason;
};

// A fresh store for one test, on the backend named by SWITCHBOARD_TEST_BACKEND (sqlite, the
// default, or postgres):
// - SQLite: a file in a temporary directory, removed with the TestStore.
// - PostgreSQL: a database on the server of SWITCHBOARD_TEST_DATABASE_URL. Creating and migrating
//   one costs about 0.3 s, so migrated databases are pooled per test executable: a TestStore
//   takes a free one and empties its tables (DELETE in foreign-key order, sequences reset; about
//   40 ms with the connection and the migration check, against 220 ms for TRUNCATE), or creates
//   one when none is free. The pool is dropped (WITH (FORCE)) when the application ends;
//   databases left by a crashed run are dropped by a later run once they are six hours old.
// A database still referenced elsewhere when its TestStore goes (a server that still runs) is not
// reused. Tests that change the schema itself ask for Schema::Empty: a database of their own,
// never pooled.
class TestStore
{
public:
    enum class Schema { Migrated, Empty };

    static Backend backend();
    // nullopt when stores can be made; computed once per process.
    static std::optional<StoreUnavailable> unavailable();
    // Null on failure, with the reason in *error.
    static std::unique_ptr<TestStore> create(QString *error = nullptr,
                                             Schema schema = Schema::Migrated);
    ~TestStore();

    TestStore(const TestStore &) = delete;
    TestStore &operator=(const TestStore &) = delete;

    store::Dialect dialect() const { return m_config.dialect; }
    // Where the store is: what a server under test is given.
    const store::DatabaseConfig &config() const { return m_config; }
    // Opened (and so migrated) on first use; null, with a warning logged, if that fails.
    std::shared_ptr<store::Database> database();
    // This thread's connection to database().
    QSqlDatabase connection();

private:
    TestStore() = default;

    store::DatabaseConfig m_config;
    std::shared_ptr<store::Database> m_database;
    std::unique_ptr<QTemporaryDir> m_dir; // SQLite
    bool m_pooled = false; // PostgreSQL
};

} // namespace sb::test

// In initTestCase(): skips (or fails) the whole test case, with one line saying why, when the
// backend under test cannot be used here.
// For a store test's init(): `store` (a std::unique_ptr<TestStore>) set to a fresh migrated
// store, or the test function fails with the reason.
#define SB_CREATE_TEST_STORE(store)                                                                \
    do {                                                                                           \
        QString storeError_;                                                                       \
        store = sb::test::TestStore::create(&storeError_);                                         \
        QVERIFY2(store, qPrintable(storeError_));                                                  \
    } while (false)

#define SB_REQUIRE_TEST_STORE()                                                                    \
    do {                                                                                           \
        if (const auto unavailable_ = sb::test::TestStore::unavailable()) {                        \
            if (unavailable_->fail)                                                                \
                QFAIL(qPrintable(unavailable_->reason));                                           \
            QSKIP(qPrintable(unavailable_->reason));                                               \
        }                                                                                          \
    } while (false)
