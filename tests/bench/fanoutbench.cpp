// switchboard-fanout-bench: latency from POSTing a ticket message to the last of N agent
// WebSockets receiving its event (tests/bench/README.md).
//
//   switchboard-fanout-bench --url http://127.0.0.1:PORT --agents agents.txt
//       --tickets writable.txt [--sockets 200] [--posts 300] [--warmup 20]
//
// Signs in the agents listed (one e-mail a line, password BENCH_PASSWORD or "bench-password";
// fewer accounts than sockets: sockets share tokens), connects the sockets, then posts one
// message at a time, each on the next ticket of the list. Prints a human line and a line
// "FANOUT key=value ..." for tests/bench/run.sh. Exits 1 when a delivery is missing.
#include "agentsockets.h"
#include "benchhttpclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUuid>

#include <algorithm>
#include <cstdio>

using sb::bench::AgentSockets;
using sb::bench::BenchHttpClient;
using sb::bench::waitUntil;

namespace {

constexpr int kDeliveryTimeoutMs = 5000;

struct Options
{
    QUrl url;
    QStringList agents;
    QStringList tickets;
    int sockets = 200;
    int posts = 300;
    int warmup = 20;
    QByteArray password;
};

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "switchboard-fanout-bench: %s\n", qPrintable(message));
    std::exit(1);
}

QStringList readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        die(QStringLiteral("cannot read %1").arg(path));
    QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    if (lines.isEmpty())
        die(QStringLiteral("%1 is empty").arg(path));
    return lines;
}

Options parseOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fan-out latency of ticket messages."));
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("Server base URL."),
                                 QStringLiteral("url"));
    const QCommandLineOption agents(
        QStringLiteral("agents"), QStringLiteral("File of agent e-mails."), QStringLiteral("file"));
    const QCommandLineOption tickets(QStringLiteral("tickets"),
                                     QStringLiteral("File of ticket ids to post on."),
                                     QStringLiteral("file"));
    const QCommandLineOption sockets(QStringLiteral("sockets"), QStringLiteral("Agent sockets."),
                                     QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption posts(QStringLiteral("posts"), QStringLiteral("Measured posts."),
                                   QStringLiteral("n"), QStringLiteral("300"));
    const QCommandLineOption warmup(QStringLiteral("warmup"),
                                    QStringLiteral("Posts before measuring."), QStringLiteral("n"),
                                    QStringLiteral("20"));
    parser.addOptions({url, agents, tickets, sockets, posts, warmup});
    parser.addHelpOption();
    parser.process(arguments);
    if (!parser.isSet(url) || !parser.isSet(agents) || !parser.isSet(tickets))
        die(QStringLiteral("give --url, --agents and --tickets"));

    Options o;
    o.url = QUrl(parser.value(url));
    o.agents = readLines(parser.value(agents));
    o.tickets = readLines(parser.value(tickets));
    const auto number = [&](const QCommandLineOption &option, int min, int max) {
        bool ok = false;
        const int n = parser.value(option).toInt(&ok);
        if (!ok || n < min || n > max) {
            die(QStringLiteral("--%1 must be between %2 and %3")
                    .arg(option.names().constFirst())
                    .arg(min)
                    .arg(max));
        }
        return n;
    };
    o.sockets = number(sockets, 1, 5000);
    o.posts = number(posts, 1, 100000);
    o.warmup = number(warmup, 0, 100000);
    o.password = qEnvironmentVariable("BENCH_PASSWORD", QStringLiteral("bench-password")).toUtf8();
    return o;
}

QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

// One token per account, at most one account per socket.
QStringList signIn(BenchHttpClient &http, const Options &o)
{
    QStringList tokens;
    const int accounts = std::min<int>(o.sockets, o.agents.size());
    for (int i = 0; i < accounts; ++i) {
        const QJsonObject credentials {{QStringLiteral("email"), o.agents[i]},
                                       {QStringLiteral("password"), QString::fromUtf8(o.password)}};
        const auto reply
            = http.call("POST", "/api/v1/auth/login", {{"Content-Type", "application/json"}},
                        QJsonDocument(credentials).toJson(QJsonDocument::Compact));
        const QString token = parseObject(reply.body).value(u"token").toString();
        if (reply.status != 200 || token.isEmpty())
            die(QStringLiteral("sign-in of %1 answered %2").arg(o.agents[i]).arg(reply.status));
        tokens << token;
    }
    QStringList perSocket;
    for (int i = 0; i < o.sockets; ++i)
        perSocket << tokens[i % tokens.size()];
    return perSocket;
}

qint64 percentile(const QList<qint64> &sorted, double p)
{
    const qsizetype index = qsizetype(p / 100.0 * double(sorted.size() - 1) + 0.5);
    return sorted[std::clamp<qsizetype>(index, 0, sorted.size() - 1)];
}

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const Options o = parseOptions(QCoreApplication::arguments());
    BenchHttpClient http(o.url.host(), quint16(o.url.port(80)));
    const QStringList tokens = signIn(http, o);

    QElapsedTimer clock;
    clock.start();
    AgentSockets sockets(clock);
    QUrl wsUrl = o.url;
    wsUrl.setScheme(QStringLiteral("ws"));
    wsUrl.setPath(QStringLiteral("/api/v1/ws"));
    sockets.open(wsUrl, tokens);
    if (!waitUntil([&] { return sockets.ready() + sockets.refused() >= sockets.size(); }, 60000)
        || sockets.refused() > 0) {
        die(QStringLiteral("%1 of %2 sockets ready, %3 refused")
                .arg(sockets.ready())
                .arg(sockets.size())
                .arg(sockets.refused()));
    }
    std::printf("%d agent sockets ready in %.0f ms\n", sockets.size(), ms(clock.nsecsElapsed()));

    const QByteArray bearer = "Bearer " + tokens.constFirst().toUtf8();
    const QByteArray run = QUuid::createUuid().toByteArray(QUuid::WithoutBraces).left(8);
    QList<qint64> fanout; // POST sent -> last socket received, ns
    QList<qint64> replies; // POST sent -> 201 received, ns
    QList<qint64> firsts; // POST sent -> first socket received, ns
    int missing = 0;
    for (int k = 0; k < o.warmup + o.posts; ++k) {
        const QByteArray path
            = "/api/v1/support/tickets/" + o.tickets[k % o.tickets.size()].toUtf8() + "/messages";
        const QByteArray body = R"({"message":"Fan-out probe )" + QByteArray::number(k) + "\"}";
        const qint64 sent = clock.nsecsElapsed();
        http.send("POST", path,
                  {{"Authorization", bearer},
                   {"Content-Type", "application/json"},
                   {"Idempotency-Key", "fanout-" + run + '-' + QByteArray::number(k)}},
                  body);
        if (!waitUntil([&] { return http.hasReply(); }, kDeliveryTimeoutMs))
            die(QStringLiteral("no answer to POST %1").arg(k));
        const qint64 answered = clock.nsecsElapsed();
        const auto reply = http.takeReply();
        const QString id = parseObject(reply.body).value(u"id").toString();
        if (reply.status != 201 || id.isEmpty())
            die(QStringLiteral("POST %1 answered %2: %3")
                    .arg(QString::fromUtf8(path))
                    .arg(reply.status)
                    .arg(QString::fromUtf8(reply.body.left(300))));
        const bool all = waitUntil([&] { return sockets.arrival(id).count >= sockets.size(); },
                                   kDeliveryTimeoutMs);
        if (!all)
            ++missing;
        if (k < o.warmup || !all)
            continue;
        fanout << sockets.arrival(id).lastNs - sent;
        firsts << sockets.arrival(id).firstNs - sent;
        replies << answered - sent;
    }
    if (fanout.isEmpty())
        die(QStringLiteral("no post reached every socket"));
    std::sort(fanout.begin(), fanout.end());
    std::sort(replies.begin(), replies.end());
    std::sort(firsts.begin(), firsts.end());
    // The first delivery and the answer tell the server's part from the spread over sockets
    // (this one-thread client reads the 200 frames one after the other).
    std::printf("fan-out to %d sockets over %lld posts: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, "
                "max %.2f ms (first socket: p50 %.2f ms; POST answered: p50 %.2f ms, p99 %.2f "
                "ms); %d incomplete\n",
                sockets.size(), qint64(fanout.size()), ms(percentile(fanout, 50)),
                ms(percentile(fanout, 95)), ms(percentile(fanout, 99)), ms(fanout.last()),
                ms(percentile(firsts, 50)), ms(percentile(replies, 50)),
                ms(percentile(replies, 99)), missing);
    std::printf("FANOUT sockets=%d posts=%lld p50_us=%lld p95_us=%lld p99_us=%lld max_us=%lld "
                "post_p50_us=%lld post_p99_us=%lld incomplete=%d\n",
                sockets.size(), qint64(fanout.size()), percentile(fanout, 50) / 1000,
                percentile(fanout, 95) / 1000, percentile(fanout, 99) / 1000, fanout.last() / 1000,
                percentile(replies, 50) / 1000, percentile(replies, 99) / 1000, missing);
    std::fflush(stdout);
    return missing == 0 ? 0 : 1;
}
