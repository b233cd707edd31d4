// switchboard-bench-seed: fills a store with the benchmark's data set through the repositories,
// in large transactions, before the server starts on it (tests/bench/README.md).
//
//   switchboard-bench-seed (--data-dir DIR | --database-url URL) --out DIR
//       [--tickets 20000] [--messages 10] [--agents 200] [--customers 2000]
//
// Writes to --out: tickets.txt (every ticket id), writable.txt (the ids of tickets that are not
// closed, which take messages) and agents.txt (agent e-mails; password in BENCH_PASSWORD or
// "bench-password").
#include "benchcli.h"

#include <domain/slaclock.h>
#include <domain/slapolicy.h>
#include <server/passwordhasher.h>
#include <store/database.h>
#include <store/sqlquery.h>
#include <store/ticketrepository.h>
#include <store/userrepository.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <array>
#include <cstdio>
#include <random>

using namespace sb;

namespace {

constexpr int kTicketsPerTransaction = 500;

struct Options
{
    store::DatabaseConfig config;
    QString out;
    int tickets = 20000;
    int messages = 10;
    int agents = 200;
    int customers = 2000;
    QString password;
    int iterations = 1000;
};

using bench::die;

Options parseOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Seeds a store for tests/bench/run.sh."));
    const bench::StoreOptions storeOptions;
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Directory of id files."),
                                 QStringLiteral("dir"));
    const QCommandLineOption tickets(QStringLiteral("tickets"), QStringLiteral("Tickets."),
                                     QStringLiteral("n"), QStringLiteral("20000"));
    const QCommandLineOption messages(QStringLiteral("messages"),
                                      QStringLiteral("Messages per ticket."), QStringLiteral("n"),
                                      QStringLiteral("10"));
    const QCommandLineOption agents(QStringLiteral("agents"), QStringLiteral("Support agents."),
                                    QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption customers(QStringLiteral("customers"), QStringLiteral("Customers."),
                                       QStringLiteral("n"), QStringLiteral("2000"));
    parser.addOptions(
        {storeOptions.dataDir, storeOptions.url, out, tickets, messages, agents, customers});
    parser.addHelpOption();
    parser.process(arguments);

    Options o;
    o.config = storeOptions.config(parser, /*makeDir=*/true);
    if (!parser.isSet(out))
        die(QStringLiteral("give --out"));
    o.out = parser.value(out);
    o.tickets = bench::numberOption(parser, tickets, 1);
    o.messages = bench::numberOption(parser, messages, 0);
    o.agents = bench::numberOption(parser, agents, 1);
    o.customers = bench::numberOption(parser, customers, 1);
    o.password = qEnvironmentVariable("BENCH_PASSWORD", QStringLiteral("bench-password"));
    o.iterations = qEnvironmentVariableIntValue("SWITCHBOARD_PASSWORD_ITERATIONS");
    if (o.iterations < 1000)
        o.iterations = 1000;
    return o;
}

template<typename T>
T orDie(Result<T> result, const char *what)
{
    if (!result)
        die(QStringLiteral("%1: %2 %3")
                .arg(QLatin1StringView(what), result.error().code, result.error().message));
    return std::move(result).value();
}

void orDie(const Status &status, const char *what)
{
    if (!status)
        die(QStringLiteral("%1: %2 %3")
                .arg(QLatin1StringView(what), status.error().code, status.error().message));
}

void writeLines(const QString &path, const QStringList &lines)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        die(QStringLiteral("cannot write %1").arg(path));
    QTextStream(&file) << lines.join(u'\n') << u'\n';
}

// Agents bench.agent.N@example.test (one hash for all: the salt does not matter here and 200
// PBKDF2 runs would dominate a small seed) and customers.
QList<User> seedUsers(store::Database &db, const Options &o, Role role, int count,
                      const QDateTime &at)
{
    const QString hash = server::PasswordHasher(o.iterations).hash(o.password);
    const QString kind
        = role == Role::Customer ? QStringLiteral("customer") : QStringLiteral("agent");
    return orDie(db.transaction([&](QSqlDatabase &sql) -> Result<QList<User>> {
        store::UserRepository users(sql);
        QList<User> out;
        for (int i = 0; i < count; ++i) {
            User u;
            u.role = role;
            u.name = QStringLiteral("Bench %1 %2").arg(kind).arg(i);
            u.email = QStringLiteral("bench.%1.%2@example.test").arg(kind).arg(i);
            u.createdAt = at;
            if (u.isAgent())
                u.availability = Availability::Online;
            auto inserted = users.insert(u, hash);
            if (!inserted)
                return inserted.error();
            out << *inserted;
        }
        return out;
    }),
                 "users");
}

// A realistic queue: mostly active tickets, every priority and category.
TicketStatus statusFor(std::mt19937 &random)
{
    static constexpr std::array<std::pair<TicketStatus, int>, 6> weights {{
        {TicketStatus::Open, 30},
        {TicketStatus::Assigned, 20},
        {TicketStatus::InProgress, 20},
        {TicketStatus::Pending, 10},
        {TicketStatus::Resolved, 10},
        {TicketStatus::Closed, 10},
    }};
    int pick = std::uniform_int_distribution<int>(0, 99)(random);
    for (const auto &[status, weight] : weights) {
        if (pick < weight)
            return status;
        pick -= weight;
    }
    return TicketStatus::Open;
}

QString messageText(int ticket, int index)
{
    return QStringLiteral("Message %1 on ticket %2: the technician did not arrive at the time "
                          "agreed, and the booking page still shows the visit as confirmed. "
                          "Could you check what happened?")
        .arg(index)
        .arg(ticket);
}

// One ticket and its messages: customer and agent alternate, the fourth is an internal note.
Status seedTicket(QSqlDatabase &sql, const Options &o, int index, const QDateTime &createdAt,
                  const QString &customerId, const QString &agentId, std::mt19937 &random,
                  Ticket &ticket)
{
    static const SlaPolicy policy;
    constexpr auto &categories = EnumTraits<TicketCategory>::table;
    ticket = Ticket();
    ticket.subject = QStringLiteral("Bench ticket %1: visit did not happen").arg(index);
    ticket.description = messageText(index, 0);
    ticket.category = categories[index % std::size(categories)].first;
    ticket.priority = TicketPriority(std::uniform_int_distribution<int>(0, 3)(random));
    ticket.status = statusFor(random);
    ticket.customerId = customerId;
    if (ticket.status != TicketStatus::Open)
        ticket.assignedTo = agentId;
    ticket.createdAt = createdAt;
    ticket.updatedAt = createdAt.addSecs(o.messages * 60);
    ticket.sla = startSla(policy, ticket.priority, createdAt);
    if (o.messages > 1)
        recordFirstResponse(ticket.sla, createdAt.addSecs(60));
    store::TicketRepository tickets(sql);
    auto inserted = tickets.insert(ticket);
    if (!inserted)
        return inserted.error();
    ticket = *inserted;
    for (int m = 0; m < o.messages; ++m) {
        TicketMessage message;
        message.ticketId = ticket.id;
        const bool fromAgent = m % 2 == 1;
        message.senderId = fromAgent ? agentId : customerId;
        message.senderRole = fromAgent ? Role::Support : Role::Customer;
        message.isInternal = m == 3;
        message.message = messageText(index, m + 1);
        message.createdAt = createdAt.addSecs(m * 60);
        if (auto added = tickets.addMessage(message); !added)
            return added.error();
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const Options o = parseOptions(QCoreApplication::arguments());
    QDir().mkpath(o.out);

    QElapsedTimer timer;
    timer.start();
    auto db = orDie(store::Database::open(o.config), "open");
    // Tickets were opened over the last days, the newest a minute ago (the fake clock starts at
    // the real time).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime first = now.addSecs(-60LL * (o.tickets + 1));
    const QList<User> agents = seedUsers(*db, o, Role::Support, o.agents, first);
    const QList<User> customers = seedUsers(*db, o, Role::Customer, o.customers, first);

    std::mt19937 random(20240601); // the same data set on every run
    QStringList all;
    QStringList writable;
    for (int start = 0; start < o.tickets; start += kTicketsPerTransaction) {
        orDie(db->transaction([&](QSqlDatabase &sql) -> Status {
            for (int i = start; i < std::min(o.tickets, start + kTicketsPerTransaction); ++i) {
                Ticket t;
                const Status s = seedTicket(sql, o, i, first.addSecs(60LL * i),
                                            customers[i % customers.size()].id,
                                            agents[i % agents.size()].id, random, t);
                if (!s)
                    return s;
                all << t.id;
                if (t.status != TicketStatus::Closed)
                    writable << t.id;
            }
            return {};
        }),
              "tickets");
    }
    // PostgreSQL's autovacuum would analyze the new rows within a minute; do it now so that the
    // first seconds of the run do not use plans made for empty tables.
    if (db->dialect() == store::Dialect::Postgres) {
        for (const char *table : {"users", "tickets", "ticket_messages"}) {
            orDie(store::execDirect(db->connection(),
                                    QStringLiteral("ANALYZE %1").arg(QLatin1StringView(table))),
                  "analyze");
        }
    }

    QStringList emails;
    for (const User &a : agents)
        emails << a.email;
    writeLines(o.out + u"/tickets.txt", all);
    writeLines(o.out + u"/writable.txt", writable);
    writeLines(o.out + u"/agents.txt", emails);
    std::printf("seeded %lld users, %d tickets, %lld messages in %.1f s\n",
                qint64(agents.size() + customers.size()), o.tickets, qint64(o.tickets) * o.messages,
                timer.elapsed() / 1000.0);
    return 0;
}
