#include "walcheckpointer.h"

#include "storelog.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdint>

namespace sb::store {

namespace {

constexpr int kFineRetries = 50; // 5 ms of 100 µs sleeps, then 1 ms sleeps
constexpr int kMaxCatchUpPasses = 8;

int fineBusy(void *arg, int count)
{
    const auto timeoutMs = static_cast<int>(reinterpret_cast<std::intptr_t>(arg));
    const int waitedMs
        = count < kFineRetries ? count / 10 : kFineRetries / 10 + count - kFineRetries;
    if (waitedMs >= timeoutMs)
        return 0;
    std::this_thread::sleep_for(std::chrono::microseconds(count < kFineRetries ? 100 : 1000));
    return 1;
}

// Flushes the database file through SQLite's own file object (its VFS: fdatasync, fsync or
// F_FULLFSYNC as the platform wants), taking none of SQLite's locks.
void syncDatabaseFile(sqlite3 *db)
{
    sqlite3_file *file = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK && file
        && file->pMethods)
        (void)file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
}

} // namespace

void setFineBusyHandler(sqlite3 *db, int timeoutMs)
{
    sqlite3_busy_handler(db, fineBusy, reinterpret_cast<void *>(std::intptr_t(timeoutMs)));
}

WalCheckpointer::WalCheckpointer(const QString &path, Options options)
    : m_path(path)
    , m_options(options)
{
    m_thread = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void WalCheckpointer::run()
{
    sqlite3 *db = nullptr;
    const QByteArray path = m_path.toUtf8();
    if (sqlite3_open_v2(path.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        qCWarning(lcStore).noquote()
            << "WAL checkpoints: cannot open" << m_path << ":" << sqlite3_errmsg(db);
        sqlite3_close(db);
        return;
    }
    setFineBusyHandler(db, m_options.busyTimeoutMs);
    // A connection finds the WAL when it first reads; until then it has nothing to checkpoint.
    sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait_for(lock, std::chrono::milliseconds(m_options.intervalMs),
                        [this] { return m_stop; });
        if (m_stop)
            break;
        lock.unlock();
        pass(db);
        m_passes.fetch_add(1);
        lock.lock();
    }
    lock.unlock();
    sqlite3_close(db);
}

// SQLite flushes the database file only after a pass that copied the whole WAL, which a pass
// behind a busy writer never does: the copied pages would pile up in the OS's cache, and the
// RESTART pass's flush, under the write lock, would take ~100 ms (measured). So each pass that
// copied pages is followed by a flush of the file here, outside SQLite's locks.
bool WalCheckpointer::passivePass(sqlite3 *db, int &log, int &copied)
{
    const int before = m_copied;
    if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        != SQLITE_OK)
        return false;
    m_copied = copied;
    m_lastLog.store(log);
    if (copied != before)
        syncDatabaseFile(db);
    return true;
}

void WalCheckpointer::pass(sqlite3 *db)
{
    int log = 0;
    int copied = 0;
    if (!passivePass(db, log, copied) || log < m_options.restartFrames)
        return;
    // A pass's flushes take ms, during which a busy writer appends. More passes, until one had
    // little to copy: the RESTART pass then holds writers off only for what came during it.
    int fresh = log;
    for (int i = 0; i < kMaxCatchUpPasses && fresh > m_options.restartBacklogFrames; ++i) {
        const int before = copied;
        if (!passivePass(db, log, copied))
            return;
        fresh = log - before;
    }
    if (fresh > m_options.restartBacklogFrames)
        return; // the writer outpaces the copy for now; the backstop bounds the WAL
    const auto started = std::chrono::steady_clock::now();
    const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, &log, &copied);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    if (rc == SQLITE_OK) {
        m_restarts.fetch_add(1);
        m_copied = 0; // the next writer starts the WAL over
        qCDebug(lcStore) << "WAL rewound at" << log << "pages; writers held off for" << micros
                         << "us";
    } else {
        qCDebug(lcStore) << "WAL rewind deferred:" << sqlite3_errstr(rc);
    }
    m_lastLog.store(log);
}

} // namespace sb::store
