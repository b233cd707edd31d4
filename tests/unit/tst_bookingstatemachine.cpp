// Every (from, to) pair of booking statuses and of completion-request statuses against the
// tables of DESIGN.md and the spec, written out here; and the follow-up outcome mappings.
#include <domain/bookingstatemachine.h>

#include <QHash>
#include <QJsonArray>
#include <QTest>

#include <functional>

using namespace sb;

namespace {

// One state machine, type-erased so both share the tests: statuses travel as their enum index.
struct Machine
{
    QString subject; // as the error message names it
    QStringList states; // every status, in enum order
    QHash<QString, QStringList> moves; // expected moves out of each status, in the API's order
    std::function<bool(int, int)> can;
    std::function<Status(int, int)> check;
    std::function<QStringList(int)> allowed;
};

template<typename E>
Machine machine(const QString &subject, const QStringList &states,
                const QHash<QString, QStringList> &moves, bool (*can)(E, E), Status (*check)(E, E),
                QList<E> (*allowed)(E))
{
    return {subject,
            states,
            moves,
            [can](int from, int to) { return can(E(from), E(to)); },
            [check](int from, int to) { return check(E(from), E(to)); },
            [allowed](int from) {
                QStringList names;
                for (const E to : allowed(E(from)))
                    names << toString(to);
                return names;
            }};
}

Machine bookingMachine()
{
    return machine<BookingStatus>(
        QStringLiteral("booking"),
        {"pending", "confirmed", "in_progress", "completed", "verified", "disputed", "cancelled"},
        {
            {"pending", {"confirmed", "cancelled"}},
            {"confirmed", {"in_progress", "cancelled"}},
            {"in_progress", {"completed", "cancelled"}},
            {"completed", {"verified", "disputed", "in_progress"}},
            {"verified", {}},
            {"disputed", {}},
            {"cancelled", {}},
        },
        canMoveBooking, checkBookingMove, allowedBookingMoves);
}

Machine completionMachine()
{
    return machine<CompletionStatus>(
        QStringLiteral("completion request"),
        {"pending", "approved", "rejected", "escalated", "auto_approved"},
        {
            {"pending", {"approved", "rejected", "escalated"}},
            {"approved", {}},
            {"rejected", {}},
            {"escalated", {"escalated", "approved", "rejected", "auto_approved"}},
            {"auto_approved", {}},
        },
        canMoveCompletion, checkCompletionMove, allowedCompletionMoves);
}

const QList<std::pair<const char *, Machine>> &machines()
{
    static const QList<std::pair<const char *, Machine>> all = {
        {"booking", bookingMachine()},
        {"completion", completionMachine()},
    };
    return all;
}

} // namespace

Q_DECLARE_METATYPE(Machine)
Q_DECLARE_METATYPE(sb::FollowUpOutcome)
Q_DECLARE_METATYPE(sb::BookingStatus)
Q_DECLARE_METATYPE(sb::CompletionStatus)

class tst_BookingStateMachine : public QObject
{
    Q_OBJECT

private slots:
    void everyPair_data();
    void everyPair();
    void allowedMoves_data();
    void allowedMoves();
    void everyStatusCovered();
    void outcome_data();
    void outcome();
};

void tst_BookingStateMachine::everyPair_data()
{
    QTest::addColumn<Machine>("machine");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<bool>("allowed");
    for (const auto &[name, m] : machines()) {
        for (int from = 0; from < m.states.size(); ++from) {
            const QStringList moves = m.moves.value(m.states[from]);
            for (int to = 0; to < m.states.size(); ++to) {
                // No same-status no-op here: a repeated booking action is a 409.
                QTest::addRow("%s: %s -> %s", name, qPrintable(m.states[from]),
                              qPrintable(m.states[to]))
                    << m << from << to << moves.contains(m.states[to]);
            }
        }
    }
}

void tst_BookingStateMachine::everyPair()
{
    QFETCH(Machine, machine);
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(bool, allowed);

    QCOMPARE(machine.can(from, to), allowed);
    const Status status = machine.check(from, to);
    QCOMPARE(status.ok(), allowed);
    if (allowed)
        return;
    const QString fromName = machine.states[from];
    const QStringList moves = machine.moves.value(fromName);
    const QString message = moves.isEmpty()
        ? QStringLiteral("A %1 that is %2 cannot move any more").arg(machine.subject, fromName)
        : QStringLiteral("A %1 that is %2 can move to: %3")
              .arg(machine.subject, fromName, moves.join(QStringLiteral(", ")));
    QCOMPARE(status.error().code, QStringLiteral("invalid_transition"));
    QCOMPARE(status.error().message, message);
    const QJsonObject details = status.error().details;
    QCOMPARE(details.value(QStringLiteral("from")).toString(), fromName);
    QCOMPARE(details.value(QStringLiteral("to")).toString(), machine.states[to]);
    QCOMPARE(details.value(QStringLiteral("allowed")).toArray(), QJsonArray::fromStringList(moves));
}

void tst_BookingStateMachine::allowedMoves_data()
{
    QTest::addColumn<Machine>("machine");
    QTest::addColumn<int>("from");
    for (const auto &[name, m] : machines()) {
        for (int from = 0; from < m.states.size(); ++from)
            QTest::addRow("%s: %s", name, qPrintable(m.states[from])) << m << from;
    }
}

void tst_BookingStateMachine::allowedMoves()
{
    QFETCH(Machine, machine);
    QFETCH(int, from);
    QCOMPARE(machine.allowed(from), machine.moves.value(machine.states[from]));
}

// The expected tables name every status, in enum order; a status added to an enum fails this.
void tst_BookingStateMachine::everyStatusCovered()
{
    QCOMPARE(enumStrings<BookingStatus>(), bookingMachine().states);
    QCOMPARE(enumStrings<CompletionStatus>(), completionMachine().states);
    for (const auto &[name, m] : machines())
        QCOMPARE(m.moves.size(), m.states.size());
}

void tst_BookingStateMachine::outcome_data()
{
    QTest::addColumn<FollowUpOutcome>("outcome");
    QTest::addColumn<BookingStatus>("booking");
    QTest::addColumn<CompletionStatus>("completion");
    QTest::newRow("customer_confirmed") << FollowUpOutcome::CustomerConfirmed
                                        << BookingStatus::Verified << CompletionStatus::Approved;
    QTest::newRow("customer_disputed") << FollowUpOutcome::CustomerDisputed
                                       << BookingStatus::Disputed << CompletionStatus::Rejected;
    QTest::newRow("unreachable") << FollowUpOutcome::Unreachable << BookingStatus::Verified
                                 << CompletionStatus::AutoApproved;
    QTest::newRow("auto_completed") << FollowUpOutcome::AutoCompleted << BookingStatus::Verified
                                    << CompletionStatus::AutoApproved;
}

// Each outcome settles a completed booking and an escalated request through allowed moves.
void tst_BookingStateMachine::outcome()
{
    QFETCH(FollowUpOutcome, outcome);
    QFETCH(BookingStatus, booking);
    QFETCH(CompletionStatus, completion);
    // Compared as wire strings: QCOMPARE on sb enums is ambiguous with sb::toString.
    QCOMPARE(toString(bookingStatusForOutcome(outcome)), toString(booking));
    QCOMPARE(toString(completionStatusForOutcome(outcome)), toString(completion));
    QVERIFY(canMoveBooking(BookingStatus::Completed, booking));
    QVERIFY(canMoveCompletion(CompletionStatus::Escalated, completion));
}

QTEST_GUILESS_MAIN(tst_BookingStateMachine)
#include "tst_bookingstatemachine.moc"
