#pragma once

#include "cronschedule.h"

#include <domain/clock.h>
#include <domain/result.h>

#include <QDateTime>
#include <QObject>

#include <functional>
#include <optional>
#include <vector>

class QTimer;

namespace sb::server {

// One run of a job: how many rows it changed, at which business time.
struct JobRun
{
    QString job;
    int changed = 0;
    QDateTime ranAt;
};

// The server's cron (DESIGN.md "Scheduler and configuration"): named jobs, each on a cron
// schedule (UTC), run on the thread that owns the scheduler, the HTTP thread.
//
// - Real clock: one timer wakes at the earliest next firing and runs every job due by then.
//   A job that took longer than its period does not run twice to catch up: the next firing is
//   computed after the run.
// - Fake clock: nothing runs by itself; runDueBetween(from, to), called by POST /admin/clock
//   before it answers, runs each job whose schedule fired in (from, to] exactly once, at `to`,
//   in the order the jobs were added, however many firings the jump spanned.
// - run(name): POST /admin/jobs/:name/run, now.
//
// Jobs are synchronous and short-transactioned, so a shutdown request (SIGTERM) is handled by
// the event loop after the running job has finished; stop() then keeps any other from starting.
class Scheduler : public QObject
{
    Q_OBJECT

public:
    // A job's work at business time `now`; answers the number of rows it changed.
    using Work = std::function<Result<int>(const QDateTime &now)>;

    struct Job
    {
        QString name;
        CronSchedule schedule;
        Work work;
        std::optional<JobRun> lastRun;
        int runs = 0; // successful runs since the server started
        QDateTime due; // real clock: the firing the timer waits for
    };

    explicit Scheduler(Clock &clock, QObject *parent = nullptr);
    ~Scheduler() override;

    void add(const QString &name, const CronSchedule &schedule, Work work);
    const std::vector<Job> &jobs() const { return m_jobs; }
    // The job's next firing after the business clock's now.
    QDateTime nextRunAt(const Job &job) const;

    // Error "not_found" for an unknown name; the job's own error when it failed.
    Result<JobRun> run(const QString &name);
    QList<JobRun> runDueBetween(const QDateTime &from, const QDateTime &to);

    // Arms the timer (real clock). Does nothing more with a fake clock.
    void start();
    // No job starts after this.
    void stop();

private:
    Result<JobRun> runJob(Job &job, const QDateTime &now);
    void armTimer();
    void onTimer();

    Clock &m_clock;
    std::vector<Job> m_jobs;
    QTimer *m_timer = nullptr;
    bool m_stopped = false;
};

} // namespace sb::server
