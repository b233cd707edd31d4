// Tickets and messages are answered through JsonWriter, and the jobs' change-log rows (bookings,
// tickets, notifications) are written through it, not QJsonDocument: every shape it writes
// must be byte for byte what QJsonDocument::toJson(Compact) writes for jsoncodec's toJson, for
// every field set and unset, and for any text a user can type (escapes, non-ASCII, emoji, lone
// surrogates).
#include <domain/changejsonwriter.h>
#include <domain/jsoncodec.h>
#include <domain/ticketjsonwriter.h>

#include <QJsonDocument>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;

namespace {

QDateTime at(int minutes)
{
    const QDateTime base(QDate(2026, 11, 25), QTime(16, 31, 43, 123), Qt::UTC);
    return base.addMSecs(qint64(minutes) * 60'001);
}

QByteArray viaQt(const QJsonObject &json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

template<typename T>
QByteArray viaWriter(const T &value)
{
    JsonWriter out;
    writeJson(out, value);
    return out.take();
}

// Text a user could type, and text no user should be able to break the JSON with.
const QString kTricky = u"Line one\n\t<b>\"quoted\"</b> \\ back/slash \x01\x1f\x7f  é ß 中文 "_s
    + QString::fromUtf8("\xF0\x9F\x98\x80") // an emoji: a surrogate pair
    + QChar(0xd800) + u"lone high, "_s + QChar(0xdc00) + u"lone low "_s + QChar(0xfffe)
    + QChar(0xd83d); // a high surrogate ending the string

Attachment attachment(const QString &id, const QString &text)
{
    return {id,   text + u".pdf"_s, u"application/pdf"_s, 5'000'000'123, u"9f86d0"_s, u"u-cust"_s,
            at(1)};
}

TicketMessage message(const QString &id, bool internal, const QString &text)
{
    return {id,           u"t-1"_s,
            u"u-agent"_s, Role::Support,
            text,         {attachment(u"a-2"_s, text), attachment(u"a-3"_s, QString())},
            internal,     at(3)};
}

Ticket fullTicket(const QString &text)
{
    Ticket t;
    t.id = u"t-1"_s;
    t.ticketNumber = u"TKT-000042"_s;
    t.subject = text;
    t.description = text + text;
    t.category = TicketCategory::Payment;
    t.priority = TicketPriority::Urgent;
    t.status = TicketStatus::Resolved;
    t.customerId = u"u-cust"_s;
    t.assignedTo = u"u-agent"_s;
    t.relatedBooking = u"b-1"_s;
    t.conversationId = u"c-1"_s;
    t.messages = {message(u"m-1"_s, false, text), message(u"m-2"_s, true, u""_s)};
    t.attachments = {attachment(u"a-1"_s, text)};
    t.sla = {at(4), at(5), at(6), at(7), true, true, 3600, at(8)};
    t.satisfaction = TicketSatisfaction {5, text, at(9)};
    t.escalation = TicketEscalation {u"u-lead"_s, u"u-agent"_s, text, at(10)};
    t.resolution = TicketResolution {text, ResolutionType::Workaround, text, u"u-agent"_s, at(11)};
    t.createdAt = at(0);
    t.updatedAt = at(12);
    t.version = 7;
    return t;
}

} // namespace

class TestJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    void ticketsAsQtWritesThem_data()
    {
        QTest::addColumn<Ticket>("ticket");
        QTest::newRow("every field") << fullTicket(u"Refund, please"_s);
        QTest::newRow("tricky text") << fullTicket(kTricky);
        QTest::newRow("defaults: nulls, no optionals, empty lists") << Ticket();
        Ticket partly = fullTicket(u"x"_s);
        partly.assignedTo.clear();
        partly.sla.firstResponseAt = QDateTime();
        partly.satisfaction.reset();
        partly.messages.first().senderId.clear();
        partly.messages.first().attachments.clear();
        QTest::newRow("some nulls") << partly;
        Ticket far = fullTicket(u"x"_s);
        far.createdAt = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
        far.updatedAt = QDateTime::fromMSecsSinceEpoch(-1, Qt::UTC);
        far.sla.resolutionDueAt = QDateTime(QDate(12000, 1, 1), QTime(0, 0), Qt::UTC);
        far.sla.pausedSeconds = -5;
        QTest::newRow("edge times and numbers") << far;
    }

    void ticketsAsQtWritesThem()
    {
        QFETCH(Ticket, ticket);
        QCOMPARE(viaWriter(ticket), viaQt(toJson(ticket)));
    }

    void listItemsHaveNoMessagesOrAttachmentKeys()
    {
        const Ticket ticket = fullTicket(kTricky);
        QJsonObject expected = toJson(ticket);
        expected.remove(u"messages"_s);
        expected.remove(u"attachments"_s);
        JsonWriter out;
        writeJson(out, ticket, TicketJsonParts::WithoutMessagesAndAttachments);
        QCOMPARE(out.bytes(), viaQt(expected));
    }

    void changeRowsOfTicketsHaveNoMessagesKey()
    {
        const Ticket ticket = fullTicket(kTricky);
        QJsonObject expected = toJson(ticket);
        expected.remove(u"messages"_s);
        JsonWriter out;
        writeJson(out, ticket, TicketJsonParts::WithoutMessages);
        QCOMPARE(out.bytes(), viaQt(expected));
    }

    void bookingsAsQtWriteThem_data()
    {
        QTest::addColumn<Booking>("booking");
        Booking plain;
        plain.id = u"b-1"_s;
        plain.customerId = u"u-cust"_s;
        plain.service = kTricky;
        plain.status = BookingStatus::Confirmed;
        plain.createdAt = at(0);
        plain.updatedAt = at(1);
        QTest::newRow("no request, no review, nulls") << plain;

        Booking full = plain;
        full.technicianId = u"u-tech"_s;
        full.description = kTricky;
        full.address = u"1 Main St"_s;
        full.scheduledAt = at(2);
        full.status = BookingStatus::Verified;
        full.version = 7;
        CompletionRequest cr;
        cr.requestedBy = u"u-tech"_s;
        cr.requestedAt = at(3);
        cr.status = CompletionStatus::Escalated;
        cr.customerResponse.respondedAt = at(4);
        cr.customerResponse.approved = false;
        cr.customerResponse.feedback = kTricky;
        cr.customerResponse.issues = u"leaks"_s;
        cr.escalationDeadline = at(5);
        cr.autoEscalated = true;
        SupportFollowUp &fu = cr.supportFollowUp;
        fu.initiated = true;
        fu.initiatedAt = at(6);
        fu.supportAgent = u"u-agent"_s;
        fu.contactAttempts = {{ContactMethod::Sms, at(7), false, kTricky},
                              {ContactMethod::InApp, at(8), true, QString()}};
        fu.outcome = FollowUpOutcome::Unreachable;
        fu.completedBy = u"u-agent"_s;
        fu.completedAt = at(9);
        fu.notes = u"done"_s;
        full.completionRequest = cr;
        full.review = Review {u"r-1"_s, u"b-1"_s, u"u-cust"_s, u"u-tech"_s, 4, kTricky, at(10)};
        QTest::newRow("every field") << full;

        Booking pending = full;
        pending.review.reset();
        pending.completionRequest->status = CompletionStatus::Pending;
        pending.completionRequest->customerResponse = {};
        pending.completionRequest->supportFollowUp = {};
        QTest::newRow("pending request: nulls inside") << pending;
    }

    void bookingsAsQtWriteThem()
    {
        QFETCH(Booking, booking);
        QCOMPARE(viaWriter(booking), viaQt(toJson(booking)));
    }

    void notificationsAsQtWritesThem()
    {
        Notification n {u"n-1"_s, u"u-1"_s, NotificationType::CompletionEscalated,
                        kTricky,  kTricky,  u"booking"_s,
                        u"b-1"_s, true,     at(2)};
        QCOMPARE(viaWriter(n), viaQt(toJson(n)));
        n.entity.clear();
        n.entityId.clear();
        n.read = false;
        QCOMPARE(viaWriter(n), viaQt(toJson(n)));
    }

    void messagesAndAttachmentsAsQtWritesThem()
    {
        const TicketMessage m = message(u"m-9"_s, true, kTricky);
        QCOMPARE(viaWriter(m), viaQt(toJson(m)));
        const Attachment a = attachment(u"a-9"_s, kTricky);
        QCOMPARE(viaWriter(a), viaQt(toJson(a)));
    }

    void containersAndScalars()
    {
        JsonWriter out;
        out.beginObject();
        out.key("empty"_L1).beginArray().endArray();
        out.key("items"_L1).beginArray();
        out.beginObject().endObject();
        out.integer(-42).boolean(false).null().string(u""_s);
        out.beginArray().integer(1).integer(2).endArray();
        out.endArray();
        out.key("latin1"_L1).string("in_progress"_L1);
        out.key("total"_L1).integer(std::numeric_limits<qint64>::max());
        out.endObject();
        QCOMPARE(out.bytes(),
                 QByteArray(R"({"empty":[],"items":[{},-42,false,null,"",[1,2]],)"
                            R"("latin1":"in_progress","total":9223372036854775807})"));
    }

    // The writer makes its room ahead of the cursor: from no room at all, past each growth,
    // and on after a look at what it has written so far.
    void growsFromNothingAndGoesOnAfterALook()
    {
        JsonWriter out(0);
        out.beginArray();
        QCOMPARE(out.bytes(), QByteArray("["));
        QByteArray expected("[");
        for (int i = 0; i < 300; ++i) {
            out.integer(std::numeric_limits<qint64>::min() + i).string(u"\u00e9\"x"_s);
            expected += (i ? "," : "") + QByteArray::number(std::numeric_limits<qint64>::min() + i)
                + ",\"\xc3\xa9\\\"x\"";
        }
        out.endArray();
        expected += ']';
        QCOMPARE(out.bytes(), expected);
        QCOMPARE(out.take(), expected);
        QCOMPARE(out.bytes(), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
