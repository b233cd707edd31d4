#include <store/bookingrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

class TstBookingRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_seed = std::make_unique<Seeder>(*m_store->database());
        m_customer = m_seed->customer();
        m_technician = m_seed->technician();
        m_agent = m_seed->agent();
    }

    void cleanup()
    {
        m_seed.reset();
        m_store.reset();
    }

    void insertAndFindRoundTripsEveryField()
    {
        Booking b = m_seed->booking(m_customer.id, [&](Booking &b) {
            b.technicianId = m_technician.id;
            b.status = BookingStatus::Completed;
            CompletionRequest cr;
            cr.requestedBy = m_technician.id;
            cr.requestedAt = m_now;
            cr.status = CompletionStatus::Rejected;
            cr.customerResponse = {m_now.addSecs(5), false, u"meh"_s, u"tap still drips"_s};
            cr.supportFollowUp.initiated = true;
            cr.supportFollowUp.initiatedAt = m_now.addSecs(6);
            cr.supportFollowUp.supportAgent = m_agent.id;
            cr.supportFollowUp.outcome = FollowUpOutcome::CustomerDisputed;
            cr.supportFollowUp.completedBy = m_agent.id;
            cr.supportFollowUp.completedAt = m_now.addSecs(7);
            cr.supportFollowUp.notes = u"spoke to them"_s;
            cr.escalationDeadline = m_now.addSecs(3600);
            cr.autoEscalated = true;
            cr.reminderSent = true;
            b.completionRequest = cr;
        });
        QVERIFY(!b.id.isEmpty());
        QCOMPARE(b.version, 1);
        const std::optional<Booking> found = *repo().findById(b.id);
        QVERIFY(found);
        QVERIFY(found->completionRequest);
        QCOMPARE(found->completionRequest->customerResponse.approved, std::optional<bool>(false));
        QVERIFY(*found == b);
    }

    void bookingWithoutRequestHasNone()
    {
        const Booking b = m_seed->booking(m_customer.id);
        const std::optional<Booking> found = *repo().findById(b.id);
        QVERIFY(found);
        QVERIFY(!found->completionRequest);
        QVERIFY(!found->review);
        QVERIFY(!repo().findById(u"nope"_s)->has_value());
    }

    void updateIsOptimistic()
    {
        Booking b = m_seed->booking(m_customer.id);
        b.status = BookingStatus::Confirmed;
        b.technicianId = m_technician.id;
        Result<Booking> first = repo().update(b, 1);
        QVERIFY(first);
        QCOMPARE(first->version, 2);
        QCOMPARE((*repo().findById(b.id))->technicianId, m_technician.id);

        b.status = BookingStatus::Cancelled;
        Result<Booking> stale = repo().update(b, 1);
        QVERIFY(!stale);
        QCOMPARE(stale.error().code, u"version_conflict"_s);
        QCOMPARE(toString((*repo().findById(b.id))->status), u"confirmed"_s);

        b.id = u"missing"_s;
        QCOMPARE(repo().update(b, 1).error().code, u"not_found"_s);
    }

    void listFiltersAndPages()
    {
        const User other = m_seed->customer();
        for (int i = 0; i < 5; ++i)
            m_seed->booking(m_customer.id, [&](Booking &b) {
                b.status = i % 2 ? BookingStatus::Confirmed : BookingStatus::Pending;
                b.technicianId = i < 2 ? m_technician.id : QString();
            });
        m_seed->booking(other.id);

        BookingFilter f;
        f.customerId = m_customer.id;
        f.limit = 2;
        BookingPage page = *repo().list(f);
        QCOMPARE(page.total, 5);
        QCOMPARE(page.items.size(), 2);
        QVERIFY(page.items[0].createdAt > page.items[1].createdAt); // newest first
        f.offset = 4;
        page = *repo().list(f);
        QCOMPARE(page.items.size(), 1);

        BookingFilter byStatus;
        byStatus.statuses = {BookingStatus::Confirmed};
        QCOMPARE(repo().list(byStatus)->total, 2);
        BookingFilter byTechnician;
        byTechnician.technicianId = m_technician.id;
        QCOMPARE(repo().list(byTechnician)->total, 2);
        QCOMPARE(repo().list(BookingFilter {})->total, 6);
    }

    void contactAttemptsAreReadBackInOrder()
    {
        const Booking b = escalatedBooking(m_now);
        ContactAttempt second {ContactMethod::Sms, m_now.addSecs(20), true, u"reached"_s};
        ContactAttempt first {ContactMethod::Call, m_now.addSecs(10), false, u"voicemail"_s};
        QVERIFY(repo().addContactAttempt(b.id, second, m_agent.id));
        QVERIFY(repo().addContactAttempt(b.id, first, m_agent.id));
        const Booking found = **repo().findById(b.id);
        const QList<ContactAttempt> expected {first, second};
        QVERIFY(found.completionRequest->supportFollowUp.contactAttempts == expected);

        const Status missing = repo().addContactAttempt(u"missing"_s, first, m_agent.id);
        QCOMPARE(missing.error().code, u"not_found"_s);
    }

    void dueForEscalationBoundaries_data()
    {
        QTest::addColumn<qint64>("deadlineOffsetMs"); // from now
        QTest::addColumn<bool>("due");
        QTest::newRow("deadline 1 ms before now") << qint64(-1) << true;
        QTest::newRow("deadline exactly now") << qint64(0) << true;
        QTest::newRow("deadline 1 ms after now") << qint64(1) << false;
    }

    void dueForEscalationBoundaries()
    {
        QFETCH(qint64, deadlineOffsetMs);
        QFETCH(bool, due);
        const Booking b = pendingBooking(m_now.addMSecs(deadlineOffsetMs));
        const QList<Booking> found = *repo().dueForEscalation(m_now, 10);
        QCOMPARE(found.size(), due ? 1 : 0);
        QCOMPARE(*repo().markEscalated(b.id, m_now), due);
    }

    void dueForEscalationSkipsOthersAndOrdersByDeadline()
    {
        const Booking late = pendingBooking(m_now.addSecs(-10));
        const Booking early = pendingBooking(m_now.addSecs(-100));
        pendingBooking(m_now.addSecs(100)); // not yet
        Booking escalated = pendingBooking(m_now.addSecs(-50));
        QVERIFY(*repo().markEscalated(escalated.id, m_now));
        m_seed->booking(m_customer.id); // no request at all

        QList<Booking> found = *repo().dueForEscalation(m_now, 10);
        QCOMPARE(found.size(), 2);
        QCOMPARE(found[0].id, early.id);
        QCOMPARE(found[1].id, late.id);
        QCOMPARE(repo().dueForEscalation(m_now, 1)->size(), 1);
    }

    // The job's query must stay on the partial index, not scan every booking.
    void dueForEscalationUsesThePartialIndex()
    {
        pendingBooking(m_now);
        const Result<QString> plan = repo().explainDueForEscalation(m_now, 10);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().message));
        QVERIFY2(plan->contains(u"bookings_escalation_due"_s), qPrintable(*plan));
        QVERIFY2(!plan->contains(u"Seq Scan"_s), qPrintable(*plan));
        QVERIFY2(!plan->contains(u"SCAN b\n"_s) && !plan->endsWith(u"SCAN b"_s), qPrintable(*plan));
    }

    void markEscalatedTwiceChangesOnce()
    {
        const Booking b = pendingBooking(m_now.addSecs(-1));
        QCOMPARE(*repo().markEscalated(b.id, m_now), true);
        const Booking once = **repo().findById(b.id);
        QCOMPARE(toString(once.completionRequest->status), u"escalated"_s);
        QVERIFY(once.completionRequest->autoEscalated);
        QVERIFY(once.completionRequest->supportFollowUp.initiated);
        QCOMPARE(once.completionRequest->supportFollowUp.initiatedAt, m_now);
        QCOMPARE(once.version, 2);

        QCOMPARE(*repo().markEscalated(b.id, m_now.addSecs(60)), false);
        const Booking twice = **repo().findById(b.id);
        QVERIFY(twice == once);
    }

    void dueForReminderWindow()
    {
        const Booking inWindow = pendingBooking(m_now.addSecs(3600));
        pendingBooking(m_now); // already due: the escalation job's, not the reminder's
        pendingBooking(m_now.addSecs(25 * 3600)); // after the window
        const Booking atEnd = pendingBooking(m_now.addSecs(24 * 3600));

        const QList<Booking> found = *repo().dueForReminder(m_now, m_now.addSecs(24 * 3600), 10);
        QCOMPARE(found.size(), 2);
        QCOMPARE(found[0].id, inWindow.id);
        QCOMPARE(found[1].id, atEnd.id);

        QCOMPARE(*repo().markReminderSent(inWindow.id), true);
        QCOMPARE(*repo().markReminderSent(inWindow.id), false);
        const QList<Booking> after = *repo().dueForReminder(m_now, m_now.addSecs(24 * 3600), 10);
        QCOMPARE(after.size(), 1);
        QCOMPARE(after[0].id, atEnd.id);
    }

    void pendingCompletionsListsOverdueAndOpenFollowUps()
    {
        const Booking overdue = pendingBooking(m_now.addSecs(-10));
        pendingBooking(m_now.addSecs(10)); // not yet due
        const Booking escalated = escalatedBooking(m_now.addSecs(-100));
        const Booking settled = escalatedBooking(m_now.addSecs(-200));
        QVERIFY(*repo().completeFollowUp(settled.id, FollowUpOutcome::CustomerConfirmed,
                                         BookingStatus::Verified, m_now, m_agent.id, {}));

        BookingPage page = *repo().pendingCompletions(m_now, 10, 0);
        QCOMPARE(page.total, 2);
        QCOMPARE(page.items.size(), 2);
        QCOMPARE(page.items[0].id, escalated.id); // earlier deadline first
        QCOMPARE(page.items[1].id, overdue.id);
        page = *repo().pendingCompletions(m_now, 1, 1);
        QCOMPARE(page.total, 2);
        QCOMPARE(page.items.size(), 1);
        QCOMPARE(page.items[0].id, overdue.id);
    }

    void completeFollowUpTwiceChangesOnce()
    {
        const Booking b = escalatedBooking(m_now.addSecs(-10));
        QCOMPARE(*repo().completeFollowUp(b.id, FollowUpOutcome::Unreachable,
                                          BookingStatus::Verified, m_now, {}, u"auto"_s),
                 true);
        QCOMPARE(*repo().completeFollowUp(b.id, FollowUpOutcome::CustomerDisputed,
                                          BookingStatus::Disputed, m_now.addSecs(5), m_agent.id,
                                          {}),
                 false);
        const Booking found = **repo().findById(b.id);
        QCOMPARE(toString(found.status), u"verified"_s);
        QVERIFY(found.completionRequest->supportFollowUp.outcome == FollowUpOutcome::Unreachable);
        QCOMPARE(found.completionRequest->supportFollowUp.completedAt, m_now);
    }

    void openFollowUpsInitiatedBefore()
    {
        const Booking old = escalatedBooking(m_now.addSecs(-100)); // initiated at now - 100 s + 1
        const Booking recent = escalatedBooking(m_now.addSecs(-10));
        const QList<Booking> found = *repo().openFollowUpsInitiatedBefore(m_now.addSecs(-50), 10);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found[0].id, old.id);
        QCOMPARE(repo().openFollowUpsInitiatedBefore(m_now, 10)->size(), 2);
        Q_UNUSED(recent);
    }

    void reviewOncePerBooking()
    {
        const Booking b = m_seed->booking(m_customer.id);
        Review r;
        r.bookingId = b.id;
        r.customerId = m_customer.id;
        r.technicianId = m_technician.id;
        r.rating = 5;
        r.comment = u"great"_s;
        r.createdAt = m_now;
        Result<Review> first = repo().insertReview(r);
        QVERIFY(first);
        QVERIFY(!first->id.isEmpty());
        r.rating = 1;
        Result<Review> second = repo().insertReview(r);
        QVERIFY(!second);
        QCOMPARE(second.error().code, u"already_reviewed"_s);

        const std::optional<Review> found = *repo().findReviewByBooking(b.id);
        QVERIFY(found);
        QCOMPARE(found->rating, 5);
        QVERIFY((*repo().findById(b.id))->review == *found);
    }

private:
    BookingRepository repo() { return BookingRepository(m_store->connection()); }

    Booking pendingBooking(const QDateTime &deadline)
    {
        return m_seed->booking(m_customer.id, [&](Booking &b) {
            b.technicianId = m_technician.id;
            b.status = BookingStatus::Completed;
            CompletionRequest cr;
            cr.requestedBy = m_technician.id;
            cr.requestedAt = deadline.addSecs(-48 * 3600);
            cr.escalationDeadline = deadline;
            b.completionRequest = cr;
        });
    }

    // Auto-escalated by the job at deadline + 1 s.
    Booking escalatedBooking(const QDateTime &deadline)
    {
        const Booking b = pendingBooking(deadline);
        if (!*repo().markEscalated(b.id, deadline.addSecs(1)))
            QTest::qFail("could not escalate the booking", __FILE__, __LINE__);
        return **repo().findById(b.id);
    }

    const QDateTime m_now = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
    User m_customer;
    User m_technician;
    User m_agent;
};

QTEST_GUILESS_MAIN(TstBookingRepository)
#include "tst_bookingrepository.moc"
