// switchboard-post-floor: the store's share of a message POST, alone (tests/bench/README.md,
// "The floor under the message POST"; tests/bench/run.sh runs it after each store's loads).
//
//   switchboard-post-floor (--data-dir DIR | --database-url URL) --tickets FILE [--posts 20000]
//       [--group 9]
//
// On the benchmark's store, in this process, the store calls of `POST .../messages` as the
// server makes them, with the same statements and payloads of the same sizes: the idempotency
// look-up, the narrow ticket read, the message, its change-log row and the stored answer, each
// POST in its savepoint, `--group` POSTs a transaction (the server's group commit formed 8.9 on
// average under the benchmark's load). No HTTP, no token check, no JSON: the CPU time this
// takes is what the store alone costs a POST, the floor under the server's own figure.
// Exits 1 unless every POST wrote its message, change-log row and stored answer. Prints one
// line, per POST: POSTFLOOR posts=N group=G cpu_us=C thread_us=T wall_us=W, where
// cpu_us counts the whole process (the store's WAL checkpointer thread too, as run.sh counts
// the server's threads) and thread_us the thread that ran the statements.
#include "benchcli.h"

#include <store/changelogrepository.h>
#include <store/database.h>
#include <store/idempotencyrepository.h>
#include <store/messagetarget.h>
#include <store/sqlquery.h>
#include <store/ticketrepository.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>
#include <ctime>
#include <random>

using namespace sb;

namespace {

using bench::die;

struct Options
{
    store::DatabaseConfig config;
    QStringList tickets;
    int posts = 20000;
    int group = 9;
};

Options parseOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Times the store's share of message POSTs."));
    const bench::StoreOptions storeOptions;
    const QCommandLineOption tickets(QStringLiteral("tickets"),
                                     QStringLiteral("File of ticket ids to post to."),
                                     QStringLiteral("file"));
    const QCommandLineOption posts(QStringLiteral("posts"), QStringLiteral("POSTs."),
                                   QStringLiteral("n"), QStringLiteral("20000"));
    const QCommandLineOption group(QStringLiteral("group"), QStringLiteral("POSTs a transaction."),
                                   QStringLiteral("n"), QStringLiteral("9"));
    parser.addOptions({storeOptions.dataDir, storeOptions.url, tickets, posts, group});
    parser.addHelpOption();
    parser.process(arguments);

    Options o;
    o.config = storeOptions.config(parser, /*makeDir=*/false);
    QFile file(parser.value(tickets));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        die(QStringLiteral("give --tickets, a file of ticket ids"));
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            o.tickets << QString::fromUtf8(line.trimmed());
    }
    if (o.tickets.isEmpty())
        die(QStringLiteral("no ticket ids in ") + file.fileName());
    o.posts = bench::numberOption(parser, posts, 1);
    o.group = bench::numberOption(parser, group, 1);
    return o;
}

double cpuUs(clockid_t clock)
{
    timespec t {};
    clock_gettime(clock, &t);
    return double(t.tv_sec) * 1e6 + double(t.tv_nsec) / 1e3;
}

// The rows a POST writes, counted.
QList<qint64> written(store::Database &db)
{
    QList<qint64> counts;
    for (const char *table : {"ticket_messages", "change_log", "idempotency_keys"})
        counts << bench::queryNumber(db, u"SELECT COUNT(*) FROM " + QLatin1StringView(table));
    return counts;
}

QString agentId(store::Database &db)
{
    store::SqlQuery q(db.connection(),
                      QStringLiteral("SELECT id FROM users WHERE role = 'support' ORDER BY id "
                                     "LIMIT 1"));
    if (!q.exec() || !q.next())
        die(QStringLiteral("no support agent in the store"));
    return q.value(0).toString();
}

// What the server stores for one POST: the message as the benchmark's wrk script writes it, and
// a change-log row and a stored answer of the size of the message's JSON (~330 bytes).
Status post(QSqlDatabase &db, const QString &agent, const QString &ticketId, int n)
{
    const QString key
        = QStringLiteral("floor-%1-%2").arg(QCoreApplication::applicationPid()).arg(n);
    const auto seen = store::IdempotencyRepository(db).find(agent, key);
    if (!seen)
        return seen.error();
    const auto target = store::MessageTarget::find(db, ticketId);
    if (!target)
        return target.error();
    if (!*target)
        return Error::make(QStringLiteral("not_found"), u"no ticket " + ticketId);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    TicketMessage m;
    m.ticketId = ticketId;
    m.senderId = agent;
    m.senderRole = Role::Support;
    m.message
        = u"Benchmark reply " + key + u": we have rescheduled the visit for tomorrow morning.";
    m.createdAt = now;
    const auto stored = store::TicketRepository(db).addMessage(m);
    if (!stored)
        return stored.error();
    const QByteArray json(330, 'j');
    Change change;
    change.entity = QStringLiteral("message");
    change.entityId = stored->id;
    change.dataJson = json;
    change.customerId = (*target)->customerId;
    change.createdAt = now;
    if (const auto seq = store::ChangeLogRepository(db).append(change); !seq)
        return seq.error();
    store::IdempotencyRecord answer;
    answer.userId = agent;
    answer.key = key;
    answer.method = QStringLiteral("POST");
    answer.path = u"/api/v1/support/tickets/" + ticketId + u"/messages";
    answer.requestHash = QString(64, u'h');
    answer.statusCode = 201;
    answer.responseBody = json;
    answer.createdAt = now;
    return store::IdempotencyRepository(db).store(answer);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const Options o = parseOptions(QCoreApplication::arguments());
    auto opened = store::Database::open(o.config);
    if (!opened)
        die(u"cannot open the store: " + opened.error().message);
    store::Database &db = **opened;
    const QString agent = agentId(db);

    const QList<qint64> before = written(db);
    std::mt19937 random(7919);
    std::uniform_int_distribution<qsizetype> pick(0, o.tickets.size() - 1);
    const double process = cpuUs(CLOCK_PROCESS_CPUTIME_ID);
    const double thread = cpuUs(CLOCK_THREAD_CPUTIME_ID);
    QElapsedTimer wall;
    wall.start();
    for (int done = 0; done < o.posts;) {
        const int size = std::min(o.group, o.posts - done);
        const Status group = db.transaction([&](QSqlDatabase &c) -> Status {
            for (int i = 0; i < size; ++i) {
                // Its own savepoint, as each POST of a group has.
                const Status one = db.transaction([&](QSqlDatabase &s) {
                    return post(s, agent, o.tickets.at(pick(random)), done + i);
                });
                if (!one)
                    return one;
            }
            Q_UNUSED(c)
            return {};
        });
        if (!group)
            die(u"a POST failed: " + group.error().message);
        done += size;
    }
    const double wallUs = double(wall.nsecsElapsed()) / 1e3;
    const double processUs = cpuUs(CLOCK_PROCESS_CPUTIME_ID) - process;
    const double threadUs = cpuUs(CLOCK_THREAD_CPUTIME_ID) - thread;
    const QList<qint64> after = written(db);
    for (qsizetype i = 0; i < after.size(); ++i) {
        if (after.at(i) - before.at(i) != o.posts)
            die(QStringLiteral("%1 POSTs wrote %2 rows of kind %3")
                    .arg(o.posts)
                    .arg(after.at(i) - before.at(i))
                    .arg(i));
    }
    std::printf("POSTFLOOR posts=%d group=%d cpu_us=%.0f thread_us=%.0f wall_us=%.0f\n", o.posts,
                o.group, processUs / o.posts, threadUs / o.posts, wallUs / o.posts);
    return 0;
}
