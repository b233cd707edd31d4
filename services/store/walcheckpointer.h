#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct sqlite3;

namespace sb::store {

// Checkpoints a SQLite WAL from a thread and a connection of its own. SQLite's automatic
// checkpoint runs inside the commit that crosses its threshold: that request then copies the
// pages into the database file and waits for two fsyncs (~4 ms each on this kind of disk).
// Here commits only append to the WAL; this thread copies (PASSIVE: writers go on meanwhile).
// A PASSIVE pass never catches up with a busy writer, and SQLite rewinds the WAL only when a
// writer starts with everything copied; so when the WAL is big and the rest is small, one
// RESTART pass holds writers off for the rest (a few ms) and the next commit rewinds the WAL.
class WalCheckpointer
{
public:
    struct Options
    {
        int intervalMs = 50;
        int restartFrames = 32768; // WAL size (pages) at which it is rewound: 128 MB of 4 KB
        int restartBacklogFrames = 512; // a pass with no more to copy is short (its fsyncs)
        int busyTimeoutMs = 250; // how long the RESTART pass waits for the writer or readers
    };

    WalCheckpointer(const QString &path, Options options);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // The WAL's size in pages at the last pass, how many passes and how many rewinds there were.
    int lastLogFrames() const { return m_lastLog.load(); }
    int passes() const { return m_passes.load(); }
    int restarts() const { return m_restarts.load(); }

private:
    void run();
    void pass(::sqlite3 *db);
    bool passivePass(::sqlite3 *db, int &log, int &copied);

    QString m_path;
    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::atomic<int> m_lastLog {0};
    std::atomic<int> m_passes {0};
    std::atomic<int> m_restarts {0};
    int m_copied = 0; // frames of the current WAL copied into the database file (run() only)
    std::thread m_thread;
};

// A busy handler for SQLite connections that retries every 100 µs at first (SQLite's own
// sleeps 1, 2, 5, 10 ms...: a writer held off for 3 ms by a RESTART pass would wait 8) and
// gives up after timeoutMs.
void setFineBusyHandler(::sqlite3 *db, int timeoutMs);

} // namespace sb::store
