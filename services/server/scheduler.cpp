#include "scheduler.h"

#include "serverlog.h"

#include <domain/timeformat.h>

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace sb::server {

namespace {

// The timer never sleeps longer than this: a host clock that jumps (suspend, NTP) is noticed
// within the hour instead of after a stale multi-day wait.
constexpr qint64 kMaxSleepMs = 3600 * 1000;

} // namespace

Scheduler::Scheduler(Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &Scheduler::onTimer);
}

Scheduler::~Scheduler() = default;

void Scheduler::add(const QString &name, const CronSchedule &schedule, Work work)
{
    m_jobs.push_back(Job {name, schedule, std::move(work), std::nullopt, 0, QDateTime()});
}

QDateTime Scheduler::nextRunAt(const Job &job) const
{
    return job.schedule.next(m_clock.now());
}

Result<JobRun> Scheduler::run(const QString &name)
{
    const auto it = std::find_if(m_jobs.begin(), m_jobs.end(),
                                 [&](const Job &job) { return job.name == name; });
    if (it == m_jobs.end()) {
        return Error::make(QStringLiteral("not_found"),
                           QStringLiteral("There is no job named \"%1\".").arg(name.left(60)));
    }
    return runJob(*it, m_clock.now());
}

QList<JobRun> Scheduler::runDueBetween(const QDateTime &from, const QDateTime &to)
{
    QList<JobRun> runs;
    for (Job &job : m_jobs) {
        if (m_stopped)
            break;
        if (!job.schedule.firesBetween(from, to))
            continue;
        // Each at `to`, the time the clock now shows: the jobs' queries compare against now.
        if (const auto ran = runJob(job, to))
            runs << *ran;
    }
    return runs;
}

Result<JobRun> Scheduler::runJob(Job &job, const QDateTime &now)
{
    QElapsedTimer elapsed;
    elapsed.start();
    const Result<int> changed = job.work(now);
    if (!changed) {
        qCWarning(lcJobs).noquote() << "job" << job.name << "failed:" << changed.error().message;
        return changed.error();
    }
    const JobRun ran {job.name, *changed, now};
    job.lastRun = ran;
    ++job.runs;
    qCInfo(lcJobs).noquote() << "job" << job.name << "at" << toIsoUtc(now) << "changed" << *changed
                             << "in" << elapsed.elapsed() << "ms";
    return ran;
}

void Scheduler::start()
{
    m_stopped = false;
    if (dynamic_cast<FakeClock *>(&m_clock))
        return; // runDueBetween, driven by POST /admin/clock
    const QDateTime now = m_clock.now();
    for (Job &job : m_jobs)
        job.due = job.schedule.next(now);
    armTimer();
}

void Scheduler::stop()
{
    m_stopped = true;
    m_timer->stop();
}

void Scheduler::armTimer()
{
    QDateTime earliest;
    for (const Job &job : m_jobs) {
        if (job.due.isValid() && (!earliest.isValid() || job.due < earliest))
            earliest = job.due;
    }
    if (!earliest.isValid() || m_stopped)
        return;
    const qint64 wait = std::clamp<qint64>(m_clock.now().msecsTo(earliest), 0, kMaxSleepMs);
    m_timer->start(std::chrono::milliseconds(wait));
}

void Scheduler::onTimer()
{
    // Timers may fire a little early; a job runs only once its firing time has come.
    for (Job &job : m_jobs) {
        if (m_stopped)
            return;
        if (!job.due.isValid() || job.due > m_clock.now())
            continue;
        // A failure is logged by runJob; the next firing tries again.
        static_cast<void>(runJob(job, m_clock.now()));
        job.due = job.schedule.next(m_clock.now());
    }
    armTimer();
}

} // namespace sb::server
