// switchboard-escalation-bench: the escalation job over a million bookings, on one store
// (tests/bench/README.md, "Escalation job"; tests/bench/escalation.sh runs it for both).
//
//   switchboard-escalation-bench --store sqlite|postgres [--database-url URL] [--bookings 1000000]
//       [--due 1000] [--runs 7] [--agents 10] [--strict] [--per-booking | --floor]
//
// SQLite: a store in a temporary directory. PostgreSQL: a database switchboard_escbench_<pid>
// created on the server of --database-url (else SWITCHBOARD_TEST_DATABASE_URL) and dropped at
// the end. Seeds it, prints the due-bookings query's plan (exit 1 unless it uses the partial
// index), then times the job as the scheduler runs it, through an ApiServer that is not
// listening (the production wiring: repositories, change recorder, WebSocket hub), against a
// baseline measured in the same run. Exit 1 when a run did not do exactly its work; with
// --strict, 2 when a target is missed. --floor also times the store's share alone, the hour
// after each job run (escalationfloor.h): the job's rows written by plain SQL, without the job.
#include "benchcli.h"
#include "escalationfloor.h"
#include "escalationseed.h"

#include <server/apiserver.h>
#include <server/completionworkflow.h>
#include <server/escalationjobs.h>
#include <server/jobloop.h>
#include <server/servercontext.h>
#include <store/bookingrepository.h>
#include <store/jobclaims.h>
#include <store/sqlquery.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>

#include <sys/resource.h>

using namespace sb;

namespace {

constexpr double kTargetMs = 200;

struct Options
{
    bool postgres = false;
    QString serverUrl;
    bench::EscalationSeedPlan plan;
    bool strict = false;
    bool perBooking = false;
    bool floor = false;
    int runs = 7; // timed runs of the job (and as many of the floor with --floor)
};

using bench::die;

void say(const QString &line)
{
    std::fprintf(stderr, "[escalation-bench] %s\n", qPrintable(line));
}

Options parseOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times the escalation job on one store."));
    const QCommandLineOption store(QStringLiteral("store"), QStringLiteral("sqlite or postgres."),
                                   QStringLiteral("name"), QStringLiteral("sqlite"));
    const QCommandLineOption url(
        QStringLiteral("database-url"),
        QStringLiteral("postgres:// URL of a database on the server to use (default: "
                       "SWITCHBOARD_TEST_DATABASE_URL); the bench creates its own next to it."),
        QStringLiteral("url"));
    const QCommandLineOption bookings(QStringLiteral("bookings"), QStringLiteral("Bookings."),
                                      QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption due(QStringLiteral("due"), QStringLiteral("Due bookings per run."),
                                 QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Timed runs."),
                                  QStringLiteral("n"), QStringLiteral("7"));
    const QCommandLineOption agents(QStringLiteral("agents"),
                                    QStringLiteral("Active support agents."), QStringLiteral("n"),
                                    QStringLiteral("10"));
    const QCommandLineOption strict(QStringLiteral("strict"),
                                    QStringLiteral("Exit 2 when a target is missed."));
    const QCommandLineOption perBooking(
        QStringLiteral("per-booking"),
        QStringLiteral("Time the job's one-booking-per-transaction path (its fallback, and the "
                       "whole job before batches) instead of the job."));
    const QCommandLineOption floor(
        QStringLiteral("floor"),
        QStringLiteral("Also time the store's share alone, the hour after each job run: the "
                       "job's rows, in its transactions, written by plain multi-row INSERTs."));
    parser.addOptions({store, url, bookings, due, runs, agents, strict, perBooking, floor});
    parser.addHelpOption();
    parser.process(arguments);

    Options o;
    const QString name = parser.value(store);
    if (name != u"sqlite" && name != u"postgres")
        die(QStringLiteral("--store must be sqlite or postgres"));
    o.postgres = name == u"postgres";
    o.serverUrl = parser.isSet(url) ? parser.value(url)
                                    : qEnvironmentVariable("SWITCHBOARD_TEST_DATABASE_URL");
    if (o.postgres && o.serverUrl.isEmpty())
        die(QStringLiteral("give --database-url or set SWITCHBOARD_TEST_DATABASE_URL"));
    o.plan.bookings = bench::numberOption(parser, bookings, 1);
    o.plan.due = bench::numberOption(parser, due, 1);
    o.floor = parser.isSet(floor);
    // With --floor each run takes two hours' due bookings: the job's, then the floor's.
    o.runs = bench::numberOption(parser, runs, 1);
    o.plan.laterHours = o.runs * (o.floor ? 2 : 1) - 1;
    o.plan.agents = bench::numberOption(parser, agents, 1);
    if (o.plan.laterHours > 40)
        die(QStringLiteral("at most 41 runs (20 with --floor): each is an hour of the 48 h "
                           "deadline"));
    if (qint64(o.plan.due) * (o.plan.laterHours + 1) * 10 > o.plan.bookings)
        die(QStringLiteral("the due bookings of all runs must be under a tenth of --bookings"));
    o.plan.start = QDateTime(QDate(2026, 11, 25), QTime(12, 0), Qt::UTC);
    o.strict = parser.isSet(strict);
    o.perBooking = parser.isSet(perBooking);
    if (o.perBooking && o.floor)
        die(QStringLiteral("--per-booking and --floor exclude each other"));
    return o;
}

// A database of the bench's own on the PostgreSQL server, dropped when it goes.
class ScratchDatabase
{
public:
    explicit ScratchDatabase(const QString &serverUrl)
    {
        const auto server = store::DatabaseConfig::fromUrl(serverUrl);
        if (!server)
            die(server.error().message);
        m_config = *server;
        m_config.database
            = QStringLiteral("switchboard_escbench_%1").arg(QCoreApplication::applicationPid());
        if (!run(*server, u"CREATE DATABASE " + m_config.database))
            die(u"cannot create the database " + m_config.database);
        m_server = *server;
    }
    ~ScratchDatabase()
    {
        // A plain DROP cancels an autovacuum worker still busy with the seeded tables (FORCE,
        // for a session left open, may not terminate one: 42501); FORCE only if that failed.
        if (!m_server.database.isEmpty()
            && !run(m_server, u"DROP DATABASE IF EXISTS " + m_config.database))
            run(m_server, u"DROP DATABASE IF EXISTS " + m_config.database + u" WITH (FORCE)");
    }
    const store::DatabaseConfig &config() const { return m_config; }

private:
    static bool run(const store::DatabaseConfig &server, const QString &sql)
    {
        const QString name = QStringLiteral("escbench-admin");
        bool ok = false;
        {
            QSqlDatabase db = store::addConnection(server, name);
            if (!db.open())
                say(u"cannot connect to " + server.describe() + u": " + db.lastError().text());
            else if (!(ok = bool(store::execDirect(db, sql))))
                say(u"failed: " + sql);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }

    store::DatabaseConfig m_server;
    store::DatabaseConfig m_config;
};

struct Figure
{
    QString name;
    QList<double> ms;
    QList<double> cpuMs; // this thread's CPU time
    QList<double> systemMs; // the part of it in the kernel (the WAL's writes, page faults)
    QList<double> queuedMs; // this thread's time runnable but waiting for a core
    static double median(QList<double> s)
    {
        std::sort(s.begin(), s.end());
        const qsizetype n = s.size();
        return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
    double median() const { return median(ms); }
    double min() const { return *std::min_element(ms.cbegin(), ms.cend()); }
    double max() const { return *std::max_element(ms.cbegin(), ms.cend()); }
};

// This thread's CPU time spent in the kernel.
double threadSystemMs()
{
#ifdef RUSAGE_THREAD
    rusage u {};
    getrusage(RUSAGE_THREAD, &u);
    return double(u.ru_stime.tv_sec) * 1e3 + double(u.ru_stime.tv_usec) / 1e3;
#else
    return 0; // Linux only; elsewhere the per-run lines say 0
#endif
}

double threadCpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// The time this thread has spent runnable but waiting for a core (/proc schedstat, second
// field): what a busy machine adds to the wall time, apart from waiting for I/O or the server.
double threadQueuedMs()
{
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toDouble() / 1e6 : 0;
}

// Wall time, the CPU time this thread spent and its time waiting for a core (on a shared machine
// the wall time counts that too; on PostgreSQL the server's work is not in the CPU figure).
template<typename Work>
void time(Figure &figure, Work &&work)
{
    const double cpu = threadCpuMs();
    const double system = threadSystemMs();
    const double queued = threadQueuedMs();
    QElapsedTimer timer;
    timer.start();
    work();
    figure.ms << double(timer.nsecsElapsed()) / 1e6;
    figure.cpuMs << threadCpuMs() - cpu;
    figure.systemMs << threadSystemMs() - system;
    figure.queuedMs << threadQueuedMs() - queued;
}

double timeMs(const std::function<void()> &work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return double(timer.nsecsElapsed()) / 1e6;
}

struct Counts
{
    qint64 tickets, notifications, changes;
};

Counts counts(store::Database &db)
{
    return {bench::queryNumber(db, QStringLiteral("SELECT COUNT(*) FROM tickets")),
            bench::queryNumber(db, QStringLiteral("SELECT COUNT(*) FROM notifications")),
            bench::queryNumber(db, QStringLiteral("SELECT COUNT(*) FROM change_log"))};
}

// The due-bookings query's plan, printed; false unless it reads the partial index.
bool checkPlan(store::Database &db, const Options &o)
{
    const auto plan = store::BookingRepository(db.connection())
                          .explainDueForEscalation(o.plan.start, server::kJobBatchSize,
                                                   /*preferIndexes=*/false);
    if (!plan)
        die(u"EXPLAIN failed: " + plan.error().message);
    std::printf("Plan of the due-bookings query (%s):\n\n```\n%s\n```\n\n",
                o.postgres ? "EXPLAIN" : "EXPLAIN QUERY PLAN", qPrintable(*plan));
    if (o.postgres)
        return plan->contains(u"Index Scan using bookings_escalation_due")
            && !plan->contains(u"Seq Scan");
    return plan->contains(u"SEARCH b USING INDEX bookings_escalation_due");
}

QString cell(double ms)
{
    return QString::number(ms, 'f', ms < 10 ? 2 : 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const Options o = parseOptions(QCoreApplication::arguments());
    const QString storeName = o.postgres ? QStringLiteral("postgres") : QStringLiteral("sqlite");

    QTemporaryDir dir;
    std::unique_ptr<ScratchDatabase> scratch;
    store::DatabaseConfig config;
    if (o.postgres) {
        scratch = std::make_unique<ScratchDatabase>(o.serverUrl);
        config = scratch->config();
    } else {
        if (!dir.isValid())
            die(QStringLiteral("cannot make a temporary directory"));
        config = store::DatabaseConfig::sqlite(dir.filePath(QStringLiteral("switchboard.db")));
    }

    bool ok = true;
    QList<Figure> figures;
    {
        auto opened = store::Database::open(config);
        if (!opened)
            die(u"cannot open the store: " + opened.error().message);
        std::shared_ptr<store::Database> db = *opened;

        say(QStringLiteral("%1: seeding %2 bookings").arg(storeName).arg(o.plan.bookings));
        bench::EscalationSeed seed(*db, o.plan);
        Status seeded = Status();
        const double seedMs = timeMs([&] { seeded = seed.run(); });
        if (!seeded)
            die(u"seeding failed: " + seeded.error().message);
        std::printf("## %s\n\nSeeded %d bookings (%lld with a completion request, %lld of them "
                    "pending), %d support agents, %d customers, %d technicians in %.1f s.\n\n",
                    qPrintable(storeName), o.plan.bookings, seed.withRequest(),
                    seed.pendingRequests(), o.plan.agents, o.plan.customers, o.plan.technicians,
                    seedMs / 1000);
        if (!checkPlan(*db, o)) {
            say(QStringLiteral("the plan does not use bookings_escalation_due"));
            ok = false;
        }

        // The production wiring, not listening: the job reaches the hub as it does in the server.
        auto clock = std::make_shared<FakeClock>(o.plan.start);
        server::ApiServer api(server::ServerSettings(), db, clock);
        server::EscalationJobs jobs(api.context());
        server::CompletionWorkflow workflow(api.context());
        bench::EscalationFloor floor(*db, server::kJobBatchSize);
        if (o.floor) {
            if (Status s = floor.prepare(); !s)
                die(u"the floor found no agents: " + s.error().message);
        }
        const auto runJob = [&](const QDateTime &now) -> Result<int> {
            if (!o.perBooking)
                return jobs.autoEscalateCompletionRequests(now);
            server::EscalationRun run;
            return server::forEachDueRow<Booking>(
                *db, QStringLiteral("per-booking"),
                [&] {
                    return store::BookingRepository(db->connection())
                        .dueForEscalation(now, server::kJobBatchSize);
                },
                [&](QSqlDatabase &c, const Booking &b) {
                    return store::JobClaims(c).dueEscalation(b.id, now);
                },
                [&](QSqlDatabase &c, const Booking &b) {
                    return workflow.escalate(c, b, now, run);
                });
        };
        // A run that must escalate exactly the due bookings and write their rows, timed.
        const auto timedRun = [&](Figure &figure, const QString &what, const QDateTime &now,
                                  const std::function<Result<int>(const QDateTime &)> &work) {
            const Counts before = counts(*db);
            Result<int> changed = 0;
            time(figure, [&] { changed = work(now); });
            const Counts after = counts(*db);
            const qint64 n = o.plan.due;
            if (!changed || *changed != o.plan.due || after.tickets - before.tickets != n
                || after.notifications - before.notifications != n * 2
                || after.changes - before.changes != n * 4) {
                say(QStringLiteral("%1 did not do its work: changed %2, +%3 tickets, +%4 "
                                   "notifications, +%5 change-log rows")
                        .arg(what)
                        .arg(changed ? QString::number(*changed) : changed.error().message)
                        .arg(after.tickets - before.tickets)
                        .arg(after.notifications - before.notifications)
                        .arg(after.changes - before.changes));
                ok = false;
            }
        };

        Figure baseline;
        baseline.name
            = QStringLiteral("baseline: 1,000 primary-key reads (BookingRepository::findById)");
        Figure job;
        job.name = QStringLiteral("job run: %1 due bookings escalated%2")
                       .arg(o.plan.due)
                       .arg(o.perBooking ? QStringLiteral(" (one per transaction)") : QString());
        Figure floorRun;
        floorRun.name = QStringLiteral("floor: the same rows written by the store alone "
                                       "(escalationfloor.h), the hour after each job run");
        Figure empty;
        empty.name = QStringLiteral("job run: nothing due");
        for (int r = 0; r < o.runs; ++r) {
            // With --floor the job takes the even hours' due bookings and the floor the odd ones.
            const QDateTime now = o.plan.start.addSecs(3600LL * (o.floor ? 2 * r : r));
            clock->set(now);
            time(baseline, [&] {
                store::BookingRepository bookings(db->connection());
                for (qsizetype i = 0; i < 1000; ++i) {
                    const QString &id = seed.sampleIds().at(i % seed.sampleIds().size());
                    if (const auto found = bookings.findById(id); !found || !*found)
                        die(u"cannot read booking " + id);
                }
            });
            timedRun(job, QStringLiteral("job run %1").arg(r), now, runJob);
            Result<int> changed = 0;
            time(empty, [&] { changed = runJob(now); });
            if (!changed || *changed != 0) {
                say(QStringLiteral("the run with nothing due changed something"));
                ok = false;
            }
            QString floorSaid;
            if (o.floor) {
                const QDateTime later = now.addSecs(3600);
                clock->set(later);
                timedRun(floorRun, QStringLiteral("floor run %1").arg(r), later,
                         [&](const QDateTime &t) { return floor.run(t); });
                floorSaid = QStringLiteral("; floor %1 ms (CPU %2 ms, in the kernel %3 ms)")
                                .arg(cell(floorRun.ms.last()), cell(floorRun.cpuMs.last()),
                                     cell(floorRun.systemMs.last()));
            }
            say(QStringLiteral("%1 run %2: baseline %3 ms, job %4 ms (CPU %5 ms, waiting for a "
                               "core %6 ms, in the kernel %8 ms), empty %7 ms%9")
                    .arg(storeName)
                    .arg(r)
                    .arg(cell(baseline.ms.last()), cell(job.ms.last()), cell(job.cpuMs.last()),
                         cell(job.queuedMs.last()), cell(empty.ms.last()),
                         cell(job.systemMs.last()), floorSaid));
        }
        const qint64 tickets
            = bench::queryNumber(*db, QStringLiteral("SELECT COUNT(*) FROM tickets"));
        const qint64 booked = bench::queryNumber(
            *db, QStringLiteral("SELECT COUNT(DISTINCT related_booking) FROM tickets"));
        if (tickets != booked || tickets != qint64(o.plan.due) * (o.plan.laterHours + 1)) {
            say(QStringLiteral("%1 tickets for %2 bookings").arg(tickets).arg(booked));
            ok = false;
        }
        // Every ticket went to an online agent, spread evenly (the seeded agents start idle; the
        // floor gives each batch's tickets to one agent).
        const qint64 unassigned = bench::queryNumber(
            *db, QStringLiteral("SELECT COUNT(*) FROM tickets WHERE assigned_to IS NULL"));
        const qint64 spread = bench::queryNumber(
            *db,
            QStringLiteral("SELECT MAX(n) - MIN(n) FROM (SELECT assigned_to, COUNT(*) AS n "
                           "FROM tickets GROUP BY assigned_to) t"));
        if (unassigned != 0 || (spread > 1 && !o.floor)) {
            say(QStringLiteral("%1 tickets unassigned, agents' counts differ by %2")
                    .arg(unassigned)
                    .arg(spread));
            ok = false;
        }
        figures = {baseline, job, empty};
        if (o.floor)
            figures.insert(2, floorRun);
    }

    std::printf("Each figure over %lld runs (the clock moved on an hour before each: %d more "
                "bookings due); the verdict is on the median.\n\n",
                figures.first().ms.size(), o.plan.due);
    std::printf(
        "| Store | Figure | median ms | min ms | max ms | × baseline | CPU ms | waiting "
        "for a core ms | Target | Verdict |\n|---|---|---:|---:|---:|---:|---:|---:|---|---|"
        "\n");
    bool missed = false;
    for (const Figure &f : figures) {
        // The baseline and the floor are measured beside the job, not held to its target.
        const bool isJob = f.name.startsWith(u"job run");
        const bool pass = f.median() <= kTargetMs;
        missed = missed || (isJob && !pass);
        std::printf("| %s | %s | %s | %s | %s | %.2f× | %s | %s | %s | %s |\n",
                    qPrintable(storeName), qPrintable(f.name), qPrintable(cell(f.median())),
                    qPrintable(cell(f.min())), qPrintable(cell(f.max())),
                    f.median() / figures.first().median(),
                    qPrintable(cell(Figure::median(f.cpuMs))),
                    qPrintable(cell(Figure::median(f.queuedMs))), isJob ? "≤ 200 ms" : "—",
                    !isJob     ? "—"
                        : pass ? "pass"
                               : "FAIL");
    }
    std::printf("\n");
    if (!ok)
        return 1;
    return missed && o.strict ? 2 : 0;
}
