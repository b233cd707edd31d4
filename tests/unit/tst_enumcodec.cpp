// Every domain enum crosses the wire through its string: each value must have exactly the string
// the API promises (written out here, independently of enums.h), and nothing else may parse.
#include <domain/enums.h>

#include <QSet>
#include <QTest>

#include <functional>
#include <initializer_list>
#include <utility>

using namespace sb;

namespace {

// One enum, type-erased so its rows share a test: values travel as their declaration index.
struct Codec
{
    std::function<QString(int)> format;
    std::function<int(const QString &)> parse; // -1 when refused
    std::function<QStringList()> strings;
};

template<typename E>
Codec codecOf()
{
    return {
        [](int value) { return toString(static_cast<E>(value)); },
        [](const QString &text) {
            const std::optional<E> parsed = parseEnum<E>(text);
            return parsed ? static_cast<int>(*parsed) : -1;
        },
        [] { return enumStrings<E>(); },
    };
}

// Receives one enum's codec, its values and their expected strings, and adds test rows.
using AddRows = void (*)(const char *name, const Codec &codec, const QList<int> &values,
                         const QStringList &strings);

template<typename E>
void addEnum(AddRows add, const char *name,
             std::initializer_list<std::pair<E, const char *>> expected)
{
    QList<int> values;
    QStringList strings;
    for (const auto &[value, text] : expected) {
        values << static_cast<int>(value);
        strings << QString::fromLatin1(text);
    }
    add(name, codecOf<E>(), values, strings);
}

} // namespace

Q_DECLARE_METATYPE(Codec)

class tst_EnumCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void refused_data();
    void refused();
    void complete_data();
    void complete();
    void outOfRangeValueHasNoString();

private:
    static void addAll(AddRows add);
};

// Each enum and the exact wire strings the API documents, in declaration order.
void tst_EnumCodec::addAll(AddRows add)
{
    addEnum<Role>(add, "Role",
                  {{Role::Customer, "customer"},
                   {Role::Technician, "technician"},
                   {Role::Support, "support"},
                   {Role::Admin, "admin"}});
    addEnum<Availability>(add, "Availability",
                          {{Availability::Online, "online"},
                           {Availability::Away, "away"},
                           {Availability::Offline, "offline"}});
    addEnum<TicketStatus>(add, "TicketStatus",
                          {{TicketStatus::Open, "open"},
                           {TicketStatus::Assigned, "assigned"},
                           {TicketStatus::InProgress, "in_progress"},
                           {TicketStatus::Pending, "pending"},
                           {TicketStatus::Resolved, "resolved"},
                           {TicketStatus::Closed, "closed"}});
    addEnum<TicketPriority>(add, "TicketPriority",
                            {{TicketPriority::Low, "low"},
                             {TicketPriority::Medium, "medium"},
                             {TicketPriority::High, "high"},
                             {TicketPriority::Urgent, "urgent"}});
    addEnum<TicketCategory>(add, "TicketCategory",
                            {{TicketCategory::Account, "account"},
                             {TicketCategory::Booking, "booking"},
                             {TicketCategory::Payment, "payment"},
                             {TicketCategory::Technical, "technical"},
                             {TicketCategory::Billing, "billing"},
                             {TicketCategory::Complaint, "complaint"},
                             {TicketCategory::ServiceQuality, "service_quality"},
                             {TicketCategory::Other, "other"}});
    addEnum<ResolutionType>(add, "ResolutionType",
                            {{ResolutionType::Solved, "solved"},
                             {ResolutionType::Workaround, "workaround"},
                             {ResolutionType::Duplicate, "duplicate"},
                             {ResolutionType::NoResponse, "no_response"},
                             {ResolutionType::WontFix, "wont_fix"},
                             {ResolutionType::Other, "other"}});
    addEnum<BookingStatus>(add, "BookingStatus",
                           {{BookingStatus::Pending, "pending"},
                            {BookingStatus::Confirmed, "confirmed"},
                            {BookingStatus::InProgress, "in_progress"},
                            {BookingStatus::Completed, "completed"},
                            {BookingStatus::Verified, "verified"},
                            {BookingStatus::Disputed, "disputed"},
                            {BookingStatus::Cancelled, "cancelled"}});
    addEnum<CompletionStatus>(add, "CompletionStatus",
                              {{CompletionStatus::Pending, "pending"},
                               {CompletionStatus::Approved, "approved"},
                               {CompletionStatus::Rejected, "rejected"},
                               {CompletionStatus::Escalated, "escalated"},
                               {CompletionStatus::AutoApproved, "auto_approved"}});
    addEnum<ContactMethod>(add, "ContactMethod",
                           {{ContactMethod::Call, "call"},
                            {ContactMethod::Sms, "sms"},
                            {ContactMethod::Email, "email"},
                            {ContactMethod::InApp, "in_app"}});
    addEnum<FollowUpOutcome>(add, "FollowUpOutcome",
                             {{FollowUpOutcome::CustomerConfirmed, "customer_confirmed"},
                              {FollowUpOutcome::CustomerDisputed, "customer_disputed"},
                              {FollowUpOutcome::Unreachable, "unreachable"},
                              {FollowUpOutcome::AutoCompleted, "auto_completed"}});
    addEnum<ConversationStatus>(
        add, "ConversationStatus",
        {{ConversationStatus::Open, "open"}, {ConversationStatus::Closed, "closed"}});
    addEnum<NotificationType>(add, "NotificationType",
                              {{NotificationType::CompletionRequested, "completion_requested"},
                               {NotificationType::CompletionReminder, "completion_reminder"},
                               {NotificationType::CompletionApproved, "completion_approved"},
                               {NotificationType::CompletionRejected, "completion_rejected"},
                               {NotificationType::CompletionEscalated, "completion_escalated"},
                               {NotificationType::FollowUpOutcome, "followup_outcome"},
                               {NotificationType::AutoCompleted, "auto_completed"},
                               {NotificationType::ReviewRequested, "review_requested"},
                               {NotificationType::ReviewReceived, "review_received"},
                               {NotificationType::TicketCreated, "ticket_created"},
                               {NotificationType::TicketAssigned, "ticket_assigned"},
                               {NotificationType::TicketReply, "ticket_reply"},
                               {NotificationType::TicketStatusChanged, "ticket_status_changed"},
                               {NotificationType::TicketEscalated, "ticket_escalated"}});
    addEnum<ChangeOp>(add, "ChangeOp",
                      {{ChangeOp::Created, "created"},
                       {ChangeOp::Updated, "updated"},
                       {ChangeOp::Deleted, "deleted"}});
}

void tst_EnumCodec::roundTrip_data()
{
    QTest::addColumn<Codec>("codec");
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("text");
    addAll([](const char *name, const Codec &codec, const QList<int> &values,
              const QStringList &strings) {
        for (qsizetype i = 0; i < values.size(); ++i)
            QTest::addRow("%s::%s", name, qPrintable(strings[i]))
                << codec << values[i] << strings[i];
    });
}

void tst_EnumCodec::roundTrip()
{
    QFETCH(Codec, codec);
    QFETCH(int, value);
    QFETCH(QString, text);
    QCOMPARE(codec.format(value), text);
    QCOMPARE(codec.parse(text), value);
}

void tst_EnumCodec::refused_data()
{
    QTest::addColumn<Codec>("codec");
    QTest::addColumn<QString>("text");
    addAll(
        [](const char *name, const Codec &codec, const QList<int> &, const QStringList &strings) {
            const QString first = strings.first();
            const QString last = strings.last();
            const QList<std::pair<const char *, QString>> bad = {
                {"empty", QString()},
                {"unknown", QStringLiteral("no_such_value")},
                {"upper case", first.toUpper()},
                {"capitalised", first.left(1).toUpper() + first.mid(1)},
                {"leading space", u' ' + first},
                {"trailing space", last + u' '},
                {"prefix", first.left(first.size() - 1)},
                {"plural", last + u's'},
                {"quoted", u'"' + first + u'"'},
            };
            for (const auto &[what, text] : bad)
                QTest::addRow("%s: %s", name, what) << codec << text;
            // "in-progress" or "inprogress" for "in_progress": the spellings a client gets wrong.
            for (const QString &text : strings) {
                if (!text.contains(u'_'))
                    continue;
                QTest::addRow("%s: dashed %s", name, qPrintable(text))
                    << codec << QString(text).replace(u'_', u'-');
                QTest::addRow("%s: joined %s", name, qPrintable(text))
                    << codec << QString(text).remove(u'_');
            }
        });
}

void tst_EnumCodec::refused()
{
    QFETCH(Codec, codec);
    QFETCH(QString, text);
    QCOMPARE(codec.parse(text), -1);
}

void tst_EnumCodec::complete_data()
{
    QTest::addColumn<Codec>("codec");
    QTest::addColumn<QStringList>("expected");
    addAll([](const char *name, const Codec &codec, const QList<int> &,
              const QStringList &strings) { QTest::newRow(name) << codec << strings; });
}

// A value added to an enum without a string here, or two values sharing one, fails this.
void tst_EnumCodec::complete()
{
    QFETCH(Codec, codec);
    QFETCH(QStringList, expected);
    const QStringList strings = codec.strings();
    QCOMPARE(strings, expected);
    QCOMPARE(QSet<QString>(strings.cbegin(), strings.cend()).size(), strings.size());
    QCOMPARE(codec.format(int(strings.size())), QString());
}

void tst_EnumCodec::outOfRangeValueHasNoString()
{
    QCOMPARE(toString(static_cast<TicketStatus>(42)), QString());
    QCOMPARE(toString(static_cast<BookingStatus>(-1)), QString());
}

QTEST_GUILESS_MAIN(tst_EnumCodec)
#include "tst_enumcodec.moc"
