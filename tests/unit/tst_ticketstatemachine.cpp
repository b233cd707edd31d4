// Every (from, to) pair of ticket statuses against the table of DESIGN.md, written out here.
#include <domain/ticketstatemachine.h>

#include <QJsonArray>
#include <QTest>

using namespace sb;
using S = TicketStatus;

Q_DECLARE_METATYPE(sb::TicketStatus)

namespace {

const QList<std::pair<S, QString>> statuses = {
    {S::Open, QStringLiteral("open")},
    {S::Assigned, QStringLiteral("assigned")},
    {S::InProgress, QStringLiteral("in_progress")},
    {S::Pending, QStringLiteral("pending")},
    {S::Resolved, QStringLiteral("resolved")},
    {S::Closed, QStringLiteral("closed")},
};

// The moves out of each status, in the order the API lists them.
QStringList expectedMoves(const QString &from)
{
    static const QHash<QString, QStringList> moves = {
        {QStringLiteral("open"), {QStringLiteral("assigned")}},
        {QStringLiteral("assigned"), {QStringLiteral("in_progress")}},
        {QStringLiteral("in_progress"), {QStringLiteral("pending"), QStringLiteral("resolved")}},
        {QStringLiteral("pending"), {QStringLiteral("in_progress")}},
        {QStringLiteral("resolved"), {QStringLiteral("closed"), QStringLiteral("in_progress")}},
        {QStringLiteral("closed"), {}},
    };
    return moves.value(from);
}

} // namespace

class tst_TicketStateMachine : public QObject
{
    Q_OBJECT

private slots:
    void everyPair_data();
    void everyPair();
    void allowedMoves_data();
    void allowedMoves();
    void everyStatusCovered();
};

void tst_TicketStateMachine::everyPair_data()
{
    QTest::addColumn<S>("from");
    QTest::addColumn<S>("to");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QStringList>("moves");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("fromName");
    QTest::addColumn<QString>("toName");
    for (const auto &[from, fromName] : statuses) {
        const QStringList moves = expectedMoves(fromName);
        const QString message = moves.isEmpty()
            ? QStringLiteral("A ticket that is %1 cannot move any more").arg(fromName)
            : QStringLiteral("A ticket that is %1 can move to: %2")
                  .arg(fromName, moves.join(QStringLiteral(", ")));
        for (const auto &[to, toName] : statuses) {
            // The same status is a no-op the route answers with 200.
            const bool allowed = from == to || moves.contains(toName);
            QTest::addRow("%s -> %s", qPrintable(fromName), qPrintable(toName))
                << from << to << allowed << moves << message << fromName << toName;
        }
    }
}

void tst_TicketStateMachine::everyPair()
{
    QFETCH(S, from);
    QFETCH(S, to);
    QFETCH(bool, allowed);
    QFETCH(QStringList, moves);
    QFETCH(QString, message);
    QFETCH(QString, fromName);
    QFETCH(QString, toName);

    QCOMPARE(canMoveTicket(from, to), allowed);
    const Status status = checkTicketMove(from, to);
    QCOMPARE(status.ok(), allowed);
    if (allowed)
        return;
    QCOMPARE(status.error().code, QStringLiteral("invalid_transition"));
    QCOMPARE(status.error().message, message);
    const QJsonObject details = status.error().details;
    QCOMPARE(details.value(QStringLiteral("from")).toString(), fromName);
    QCOMPARE(details.value(QStringLiteral("to")).toString(), toName);
    QCOMPARE(details.value(QStringLiteral("allowed")).toArray(), QJsonArray::fromStringList(moves));
}

void tst_TicketStateMachine::allowedMoves_data()
{
    QTest::addColumn<S>("from");
    QTest::addColumn<QStringList>("moves");
    for (const auto &[from, name] : statuses)
        QTest::newRow(qPrintable(name)) << from << expectedMoves(name);
}

void tst_TicketStateMachine::allowedMoves()
{
    QFETCH(S, from);
    QFETCH(QStringList, moves);
    QStringList actual;
    for (const S to : allowedTicketMoves(from))
        actual << toString(to);
    QCOMPARE(actual, moves);
}

// A status added to the enum must be added to this test's table too.
void tst_TicketStateMachine::everyStatusCovered()
{
    QCOMPARE(enumStrings<TicketStatus>().size(), statuses.size());
}

QTEST_GUILESS_MAIN(tst_TicketStateMachine)
#include "tst_ticketstatemachine.moc"
