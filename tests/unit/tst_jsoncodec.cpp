// The wire shapes of DESIGN.md "Resource shapes": values survive a trip through JSON text, keys
// are exactly the documented ones, and each kind of bad input is refused naming its field.
#include <domain/jsoncodec.h>

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include <functional>

using namespace sb;

namespace {

// 2026-11-25T16:31:43.123Z plus `minutes` (and as many ms), so every timestamp differs.
QDateTime at(int minutes = 0)
{
    const QDateTime base(QDate(2026, 11, 25), QTime(16, 31, 43, 123), Qt::UTC);
    return base.addMSecs(qint64(minutes) * 60'001);
}

Attachment fullAttachment(const QString &id)
{
    return {id,
            QStringLiteral("invoice.pdf"),
            QStringLiteral("application/pdf"),
            5'000'000'123,
            QStringLiteral("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            QStringLiteral("u-cust"),
            at(1)};
}

User fullUser()
{
    User user;
    user.id = QStringLiteral("u-agent");
    user.name = QStringLiteral("Ada Agent");
    user.email = QStringLiteral("ada@example.com");
    user.role = Role::Support;
    user.availability = Availability::Away;
    user.active = false;
    user.createdAt = at(2);
    return user; // lastAssignedAt stays unset: it is not on the wire
}

TicketMessage fullTicketMessage(const QString &id, bool internal)
{
    return {id,
            QStringLiteral("t-1"),
            QStringLiteral("u-agent"),
            Role::Support,
            QStringLiteral("Line one\n<b>not html</b> \"quoted\" é"),
            {fullAttachment(QStringLiteral("a-2")), fullAttachment(QStringLiteral("a-3"))},
            internal,
            at(3)};
}

Ticket fullTicket()
{
    Ticket ticket;
    ticket.id = QStringLiteral("t-1");
    ticket.ticketNumber = QStringLiteral("TKT-000042");
    ticket.subject = QStringLiteral("Issue with payment");
    ticket.description = QStringLiteral("Unable to complete payment for booking");
    ticket.category = TicketCategory::ServiceQuality;
    ticket.priority = TicketPriority::Urgent;
    ticket.status = TicketStatus::InProgress;
    ticket.customerId = QStringLiteral("u-cust");
    ticket.assignedTo = QStringLiteral("u-agent");
    ticket.relatedBooking = QStringLiteral("b-1");
    ticket.conversationId = QStringLiteral("c-1");
    ticket.messages = {fullTicketMessage(QStringLiteral("m-1"), false),
                       fullTicketMessage(QStringLiteral("m-2"), true)};
    ticket.attachments = {fullAttachment(QStringLiteral("a-1"))};
    ticket.sla = {at(4), at(5), at(6), at(7), true, true, 3601, at(8)};
    ticket.satisfaction = TicketSatisfaction {4, QStringLiteral("Quick"), at(9)};
    ticket.escalation = TicketEscalation {QStringLiteral("u-senior"), QStringLiteral("u-agent"),
                                          QStringLiteral("Requires manager approval"), at(10)};
    ticket.resolution
        = TicketResolution {QStringLiteral("Refunded"), ResolutionType::Workaround,
                            QStringLiteral("Manual refund"), QStringLiteral("u-agent"), at(11)};
    ticket.createdAt = at(12);
    ticket.updatedAt = at(13);
    ticket.version = 7;
    return ticket;
}

ConversationMessage fullConversationMessage(const QString &id)
{
    return {id,
            QStringLiteral("c-1"),
            QStringLiteral("u-cust"),
            Role::Customer,
            QStringLiteral("I need help with..."),
            at(14)};
}

Conversation fullConversation()
{
    return {QStringLiteral("c-1"),
            QStringLiteral("u-cust"),
            QStringLiteral("u-agent"),
            QStringLiteral("t-1"),
            ConversationStatus::Closed,
            {fullConversationMessage(QStringLiteral("cm-1")),
             fullConversationMessage(QStringLiteral("cm-2"))},
            at(15)};
}

CompletionRequest fullCompletionRequest()
{
    CompletionRequest request;
    request.requestedBy = QStringLiteral("u-tech");
    request.requestedAt = at(16);
    request.status = CompletionStatus::Escalated;
    request.customerResponse = {at(17), false, QStringLiteral("Meh"), QStringLiteral("Leaks")};
    request.supportFollowUp.initiated = true;
    request.supportFollowUp.initiatedAt = at(18);
    request.supportFollowUp.supportAgent = QStringLiteral("u-agent");
    request.supportFollowUp.contactAttempts = {
        {ContactMethod::Sms, at(19), false, QStringLiteral("No answer")},
        {ContactMethod::InApp, at(20), true, QStringLiteral("Customer confirmed completion")},
    };
    request.supportFollowUp.outcome = FollowUpOutcome::CustomerDisputed;
    request.supportFollowUp.completedBy = QStringLiteral("u-agent");
    request.supportFollowUp.completedAt = at(21);
    request.supportFollowUp.notes = QStringLiteral("Spoke with customer");
    request.escalationDeadline = at(22);
    request.autoEscalated = true;
    return request; // reminderSent stays false: it is not on the wire
}

Review fullReview()
{
    return {QStringLiteral("r-1"),
            QStringLiteral("b-1"),
            QStringLiteral("u-cust"),
            QStringLiteral("u-tech"),
            5,
            QStringLiteral("Great work!"),
            at(23)};
}

Booking fullBooking()
{
    Booking booking;
    booking.id = QStringLiteral("b-1");
    booking.customerId = QStringLiteral("u-cust");
    booking.technicianId = QStringLiteral("u-tech");
    booking.service = QStringLiteral("Plumbing");
    booking.description = QStringLiteral("Kitchen sink");
    booking.address = QStringLiteral("1 Main St");
    booking.scheduledAt = at(24);
    booking.status = BookingStatus::Disputed;
    booking.completionRequest = fullCompletionRequest();
    booking.review = fullReview();
    booking.createdAt = at(25);
    booking.updatedAt = at(26);
    booking.version = 12;
    return booking;
}

Notification fullNotification()
{
    return {QStringLiteral("n-1"),
            QStringLiteral("u-cust"),
            NotificationType::CompletionEscalated,
            QStringLiteral("Completion escalated"),
            QStringLiteral("Support will contact you"),
            QStringLiteral("booking"),
            QStringLiteral("b-1"),
            true,
            at(27)};
}

Change fullChange()
{
    Change change;
    change.seq = 9'007'199'254'740'991; // the largest integer a JSON number holds exactly
    change.entity = QStringLiteral("ticket");
    change.entityId = QStringLiteral("t-1");
    change.op = ChangeOp::Updated;
    change.data = toJson(fullTicket());
    change.createdAt = at(28);
    return change; // the audience fields stay empty: they are not on the wire
}

template<typename T>
T withId(const char *id)
{
    T value {};
    value.id = QString::fromLatin1(id);
    return value;
}

// Through text and back, as a client receives it.
QJsonObject throughText(const QJsonObject &json)
{
    return QJsonDocument::fromJson(QJsonDocument(json).toJson(QJsonDocument::Compact)).object();
}

QString compact(const QJsonObject &json)
{
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

// A value and its decoder, type-erased so every type shares the data-driven tests.
struct Sample
{
    std::function<QJsonObject()> encode;
    // What is wrong with decoding `json` back: empty when it gives the value again.
    std::function<QString(const QJsonObject &json)> roundTripProblem;
    // The error decoding `json` answers, if any.
    std::function<std::optional<Error>(const QJsonObject &json)> decodeError;
};

template<typename T>
Sample sample(const T &value, Result<T> (*decode)(const QJsonObject &))
{
    return {
        [value] { return toJson(value); },
        [value, decode](const QJsonObject &json) -> QString {
            const Result<T> decoded = decode(json);
            if (!decoded)
                return QStringLiteral("decoding failed: ") + decoded.error().message;
            if (!(*decoded == value)) {
                return QStringLiteral("decoded value differs:\n  sent %1\n  got  %2")
                    .arg(compact(json), compact(toJson(*decoded)));
            }
            return {};
        },
        [decode](const QJsonObject &json) -> std::optional<Error> {
            const Result<T> decoded = decode(json);
            return decoded ? std::nullopt : std::optional<Error>(decoded.error());
        },
    };
}

// Sets the value at a path such as "messages[0].attachments[1].size".
QJsonValue withValueAt(const QJsonValue &node, QStringList segments, const QJsonValue &value)
{
    if (segments.isEmpty())
        return value;
    const QString segment = segments.takeFirst();
    if (segment.startsWith(u'[')) {
        const int index = segment.mid(1, segment.size() - 2).toInt();
        QJsonArray array = node.toArray();
        array[index] = withValueAt(array.at(index), segments, value);
        return array;
    }
    QJsonObject object = node.toObject();
    object[segment] = withValueAt(object.value(segment), segments, value);
    return object;
}

QJsonObject withValue(const QJsonObject &json, const QString &path, const QJsonValue &value)
{
    static const QRegularExpression segment(QStringLiteral(R"([^.\[\]]+|\[\d+\])"));
    QStringList segments;
    for (auto it = segment.globalMatch(path); it.hasNext();)
        segments << it.next().captured();
    return withValueAt(json, segments, value).toObject();
}

QStringList sortedKeys(const QJsonValue &json)
{
    QStringList keys = json.toObject().keys();
    keys.sort();
    return keys;
}

QStringList sorted(QStringList keys)
{
    keys.sort();
    return keys;
}

} // namespace

Q_DECLARE_METATYPE(Sample)

class tst_JsonCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void keys_data();
    void keys();
    void wireValues();
    void nullsWhenUnset();
    void userNeverCarriesSecrets_data();
    void userNeverCarriesSecrets();
    void availabilityOnlyForAgents();
    void lenientWhereTheWireAllows();
    void refused_data();
    void refused();
    void readsListsThroughReadInto();
};

void tst_JsonCodec::roundTrip_data()
{
    QTest::addColumn<Sample>("sample");

    QTest::newRow("user full") << sample(fullUser(), userFromJson);
    QTest::newRow("user minimal") << sample(withId<User>("u-1"), userFromJson);
    User agentWithoutAvailability = fullUser();
    agentWithoutAvailability.availability.reset();
    QTest::newRow("agent without availability") << sample(agentWithoutAvailability, userFromJson);
    QTest::newRow("attachment full")
        << sample(fullAttachment(QStringLiteral("a-1")), attachmentFromJson);
    QTest::newRow("attachment minimal") << sample(withId<Attachment>("a-1"), attachmentFromJson);
    QTest::newRow("ticket message full")
        << sample(fullTicketMessage(QStringLiteral("m-1"), true), ticketMessageFromJson);
    QTest::newRow("ticket message minimal")
        << sample(withId<TicketMessage>("m-1"), ticketMessageFromJson);
    QTest::newRow("ticket full") << sample(fullTicket(), ticketFromJson);
    QTest::newRow("ticket minimal") << sample(withId<Ticket>("t-1"), ticketFromJson);
    QTest::newRow("conversation message full")
        << sample(fullConversationMessage(QStringLiteral("cm-1")), conversationMessageFromJson);
    QTest::newRow("conversation message minimal")
        << sample(withId<ConversationMessage>("cm-1"), conversationMessageFromJson);
    QTest::newRow("conversation full") << sample(fullConversation(), conversationFromJson);
    QTest::newRow("conversation minimal")
        << sample(withId<Conversation>("c-1"), conversationFromJson);
    QTest::newRow("completion request full")
        << sample(fullCompletionRequest(), completionRequestFromJson);
    CompletionRequest justRequested;
    justRequested.requestedBy = QStringLiteral("u-tech");
    justRequested.requestedAt = at(1);
    justRequested.escalationDeadline = at(2881);
    QTest::newRow("completion request just requested")
        << sample(justRequested, completionRequestFromJson);
    QTest::newRow("review full") << sample(fullReview(), reviewFromJson);
    QTest::newRow("review minimal") << sample(withId<Review>("r-1"), reviewFromJson);
    QTest::newRow("booking full") << sample(fullBooking(), bookingFromJson);
    QTest::newRow("booking minimal") << sample(withId<Booking>("b-1"), bookingFromJson);
    QTest::newRow("notification full") << sample(fullNotification(), notificationFromJson);
    QTest::newRow("notification minimal")
        << sample(withId<Notification>("n-1"), notificationFromJson);
    QTest::newRow("change full") << sample(fullChange(), changeFromJson);
    QTest::newRow("change minimal") << sample(Change {}, changeFromJson);
}

void tst_JsonCodec::roundTrip()
{
    QFETCH(Sample, sample);
    const QJsonObject json = throughText(sample.encode());
    QVERIFY(!json.isEmpty());
    const QString problem = sample.roundTripProblem(json);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_JsonCodec::keys_data()
{
    QTest::addColumn<QStringList>("actual");
    QTest::addColumn<QStringList>("expected");

    const QJsonObject ticket = toJson(fullTicket());
    const QJsonObject booking = toJson(fullBooking());
    const QJsonObject request = booking.value(QStringLiteral("completionRequest")).toObject();
    const QJsonObject followUp = request.value(QStringLiteral("supportFollowUp")).toObject();
    const auto first = [](const QJsonObject &json, const char *key) {
        return json.value(QLatin1StringView(key)).toArray().first();
    };
    const auto row = [](const char *name, const QJsonValue &json, const QStringList &expected) {
        QTest::newRow(name) << sortedKeys(json) << sorted(expected);
    };

    row("ticket", ticket, {"id",
                           "ticketNumber",
                           "subject",
                           "description",
                           "category",
                           "priority",
                           "status",
                           "customerId",
                           "assignedTo",
                           "relatedBooking",
                           "conversationId",
                           "messages",
                           "attachments",
                           "sla",
                           "satisfaction",
                           "escalation",
                           "resolution",
                           "createdAt",
                           "updatedAt",
                           "version"});
    row("ticket.sla", ticket.value(QStringLiteral("sla")),
        {"firstResponseDueAt", "resolutionDueAt", "firstResponseAt", "resolvedAt",
         "firstResponseBreached", "resolutionBreached", "pausedSeconds", "pausedSince"});
    row("ticket.escalation", ticket.value(QStringLiteral("escalation")),
        {"escalatedTo", "escalatedBy", "reason", "escalatedAt"});
    row("ticket.resolution", ticket.value(QStringLiteral("resolution")),
        {"summary", "resolutionType", "resolutionNotes", "resolvedBy", "resolvedAt"});
    row("ticket.satisfaction", ticket.value(QStringLiteral("satisfaction")),
        {"rating", "comment", "ratedAt"});
    row("ticket.messages[]", first(ticket, "messages"),
        {"id", "ticketId", "senderId", "senderRole", "message", "attachments", "isInternal",
         "createdAt"});
    row("attachment", first(ticket, "attachments"),
        {"id", "fileName", "contentType", "size", "sha256", "uploadedBy", "createdAt"});
    row("booking", booking,
        {"id", "customerId", "technicianId", "service", "description", "address", "scheduledAt",
         "status", "completionRequest", "review", "createdAt", "updatedAt", "version"});
    row("booking.completionRequest", request,
        {"requestedBy", "requestedAt", "status", "customerResponse", "supportFollowUp",
         "escalationDeadline", "autoEscalated"});
    row("completionRequest.customerResponse", request.value(QStringLiteral("customerResponse")),
        {"respondedAt", "approved", "feedback", "issues"});
    row("completionRequest.supportFollowUp", followUp,
        {"initiated", "initiatedAt", "supportAgent", "contactAttempts", "outcome", "completedBy",
         "completedAt", "notes"});
    row("supportFollowUp.contactAttempts[]", first(followUp, "contactAttempts"),
        {"method", "attemptedAt", "reached", "notes"});
    row("booking.review", booking.value(QStringLiteral("review")),
        {"id", "bookingId", "customerId", "technicianId", "rating", "comment", "createdAt"});
    row("user (agent)", toJson(fullUser()),
        {"id", "name", "email", "role", "availability", "active", "createdAt", "version"});
    row("conversation", toJson(fullConversation()),
        {"id", "customerId", "agentId", "ticketId", "status", "messages", "createdAt"});
    row("conversation.messages[]", first(toJson(fullConversation()), "messages"),
        {"id", "conversationId", "senderId", "senderRole", "message", "createdAt"});
    row("notification", toJson(fullNotification()),
        {"id", "userId", "type", "title", "body", "entity", "entityId", "read", "createdAt"});
    row("change", toJson(fullChange()), {"seq", "entity", "id", "op", "data", "createdAt"});
}

void tst_JsonCodec::keys()
{
    QFETCH(QStringList, actual);
    QFETCH(QStringList, expected);
    QCOMPARE(actual, expected);
}

void tst_JsonCodec::wireValues()
{
    const QJsonObject ticket = toJson(fullTicket());
    QCOMPARE(ticket.value(QStringLiteral("createdAt")).toString(),
             QStringLiteral("2026-11-25T16:43:43.135Z"));
    QCOMPARE(ticket.value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
    QCOMPARE(ticket.value(QStringLiteral("category")).toString(),
             QStringLiteral("service_quality"));
    QCOMPARE(ticket.value(QStringLiteral("assignedTo")).toString(), QStringLiteral("u-agent"));
    QCOMPARE(ticket.value(QStringLiteral("version")).toInt(), 7);
    const QJsonObject sla = ticket.value(QStringLiteral("sla")).toObject();
    QCOMPARE(sla.value(QStringLiteral("pausedSeconds")).toInteger(), 3601);
    QCOMPARE(sla.value(QStringLiteral("firstResponseBreached")).toBool(), true);
    const QJsonObject attachment = ticket.value(QStringLiteral("attachments"))[0].toObject();
    QCOMPARE(attachment.value(QStringLiteral("size")).toInteger(), 5'000'000'123);

    const QJsonObject request
        = toJson(fullBooking()).value(QStringLiteral("completionRequest")).toObject();
    QCOMPARE(request.value(QStringLiteral("status")).toString(), QStringLiteral("escalated"));
    QCOMPARE(request.value(QStringLiteral("requestedBy")).toString(), QStringLiteral("u-tech"));
    QCOMPARE(request.value(QStringLiteral("autoEscalated")).toBool(), true);
    const QJsonObject response = request.value(QStringLiteral("customerResponse")).toObject();
    QVERIFY(response.value(QStringLiteral("approved")).isBool());
    QCOMPARE(response.value(QStringLiteral("approved")).toBool(true), false);
    const QJsonObject followUp = request.value(QStringLiteral("supportFollowUp")).toObject();
    QCOMPARE(followUp.value(QStringLiteral("outcome")).toString(),
             QStringLiteral("customer_disputed"));
    const QJsonObject attempt = followUp.value(QStringLiteral("contactAttempts"))[1].toObject();
    QCOMPARE(attempt.value(QStringLiteral("method")).toString(), QStringLiteral("in_app"));
    QCOMPARE(attempt.value(QStringLiteral("reached")).toBool(), true);

    // A time in another zone goes out as the same instant in UTC.
    Notification notification = fullNotification();
    notification.createdAt
        = QDateTime(QDate(2026, 11, 25), QTime(18, 31, 43, 5), Qt::OffsetFromUTC, 7200);
    QCOMPARE(toJson(notification).value(QStringLiteral("createdAt")).toString(),
             QStringLiteral("2026-11-25T16:31:43.005Z"));
}

void tst_JsonCodec::nullsWhenUnset()
{
    const QJsonObject ticket = toJson(withId<Ticket>("t-1"));
    for (const char *key : {"customerId", "assignedTo", "relatedBooking", "conversationId",
                            "satisfaction", "escalation", "resolution", "createdAt", "updatedAt"})
        QVERIFY2(ticket.value(QLatin1StringView(key)).isNull(), key);
    const QJsonObject sla = ticket.value(QStringLiteral("sla")).toObject();
    for (const char *key :
         {"firstResponseDueAt", "resolutionDueAt", "firstResponseAt", "resolvedAt", "pausedSince"})
        QVERIFY2(sla.value(QLatin1StringView(key)).isNull(), key);
    QCOMPARE(ticket.value(QStringLiteral("messages")).toArray(), QJsonArray());

    const QJsonObject booking = toJson(withId<Booking>("b-1"));
    for (const char *key : {"technicianId", "completionRequest", "review", "scheduledAt"})
        QVERIFY2(booking.value(QLatin1StringView(key)).isNull(), key);

    const QJsonObject request = toJson(CompletionRequest {});
    QVERIFY(request.value(QStringLiteral("requestedBy")).isNull());
    QVERIFY(request.value(QStringLiteral("escalationDeadline")).isNull());
    const QJsonObject response = request.value(QStringLiteral("customerResponse")).toObject();
    QVERIFY(response.value(QStringLiteral("approved")).isNull());
    QVERIFY(response.value(QStringLiteral("respondedAt")).isNull());
    const QJsonObject followUp = request.value(QStringLiteral("supportFollowUp")).toObject();
    QVERIFY(followUp.value(QStringLiteral("supportAgent")).isNull());
    QVERIFY(followUp.value(QStringLiteral("outcome")).isNull());
    QVERIFY(followUp.value(QStringLiteral("completedBy")).isNull());
    QCOMPARE(followUp.value(QStringLiteral("initiated")).toBool(true), false);

    const QJsonObject conversation = toJson(withId<Conversation>("c-1"));
    QVERIFY(conversation.value(QStringLiteral("agentId")).isNull());
    QVERIFY(conversation.value(QStringLiteral("ticketId")).isNull());
}

void tst_JsonCodec::userNeverCarriesSecrets_data()
{
    QTest::addColumn<QJsonObject>("json");
    User user = fullUser();
    user.lastAssignedAt = at(99);
    for (const Role role : {Role::Customer, Role::Technician, Role::Support, Role::Admin}) {
        user.role = role;
        QTest::newRow(qPrintable(toString(role))) << toJson(user);
    }
}

void tst_JsonCodec::userNeverCarriesSecrets()
{
    QFETCH(QJsonObject, json);
    for (const QString &key : json.keys()) {
        QVERIFY2(!key.contains(QStringLiteral("password"), Qt::CaseInsensitive), qPrintable(key));
        QVERIFY2(!key.contains(QStringLiteral("hash"), Qt::CaseInsensitive), qPrintable(key));
        QVERIFY2(!key.contains(QStringLiteral("salt"), Qt::CaseInsensitive), qPrintable(key));
    }
    QVERIFY(!json.contains(QStringLiteral("lastAssignedAt")));
    QVERIFY(json.contains(QStringLiteral("active")));
}

void tst_JsonCodec::availabilityOnlyForAgents()
{
    User user = fullUser();
    QCOMPARE(toJson(user).value(QStringLiteral("availability")).toString(), QStringLiteral("away"));
    user.role = Role::Admin;
    QCOMPARE(toJson(user).value(QStringLiteral("availability")).toString(), QStringLiteral("away"));
    user.availability.reset();
    QVERIFY(toJson(user).value(QStringLiteral("availability")).isNull());

    user.availability = Availability::Online;
    for (const Role role : {Role::Customer, Role::Technician}) {
        user.role = role;
        const QJsonObject json = toJson(user);
        QVERIFY(!json.contains(QStringLiteral("availability")));
        // A customer's JSON that carries one anyway decodes without it.
        const Result<User> decoded = userFromJson(
            withValue(json, QStringLiteral("availability"), QStringLiteral("online")));
        QVERIFY(decoded);
        QVERIFY(!decoded->availability.has_value());
    }
}

void tst_JsonCodec::lenientWhereTheWireAllows()
{
    // Missing keys read as defaults; unknown keys are ignored.
    const Result<Ticket> empty = ticketFromJson(QJsonObject {{QStringLiteral("extra"), 1}});
    QVERIFY(empty);
    QVERIFY(*empty == Ticket {});

    // "" and null both mean "no reference"; a time with an offset is the same instant in UTC.
    QJsonObject json = toJson(fullTicket());
    json.insert(QStringLiteral("assignedTo"), QString());
    json.insert(QStringLiteral("relatedBooking"), QJsonValue::Null);
    json.insert(QStringLiteral("createdAt"), QStringLiteral("2026-11-25T18:31:43.123+02:00"));
    const Result<Ticket> ticket = ticketFromJson(json);
    QVERIFY(ticket);
    QVERIFY(ticket->assignedTo.isEmpty());
    QVERIFY(ticket->relatedBooking.isEmpty());
    QCOMPARE(ticket->createdAt, at(0));
    QCOMPARE(ticket->createdAt.timeSpec(), Qt::UTC);
}

void tst_JsonCodec::refused_data()
{
    QTest::addColumn<Sample>("sample");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("bad");

    using Named = std::pair<const char *, Sample>;
    const Named ticket {"ticket", sample(fullTicket(), ticketFromJson)};
    const Named booking {"booking", sample(fullBooking(), bookingFromJson)};
    const Named user {"user", sample(fullUser(), userFromJson)};
    const Named conversation {"conversation", sample(fullConversation(), conversationFromJson)};
    const Named notification {"notification", sample(fullNotification(), notificationFromJson)};
    const Named change {"change", sample(fullChange(), changeFromJson)};
    const Named attachment {"attachment",
                            sample(fullAttachment(QStringLiteral("a-1")), attachmentFromJson)};
    const Named message {
        "conversation message",
        sample(fullConversationMessage(QStringLiteral("cm-1")), conversationMessageFromJson)};
    const QString cr = QStringLiteral("completionRequest.");
    const QString followUp = cr + QStringLiteral("supportFollowUp.");
    const auto row
        = [](const char *what, const Named &type, const QString &field, const QJsonValue &bad) {
              QTest::addRow("%s %s: %s", type.first, qPrintable(field), what)
                  << type.second << field << bad;
          };

    // Wrong types
    row("number for a string", ticket, QStringLiteral("subject"), 42);
    row("null for a string", ticket, QStringLiteral("subject"), QJsonValue::Null);
    row("bool for a string", ticket, QStringLiteral("description"), true);
    row("array for a string", user, QStringLiteral("email"), QJsonArray {QStringLiteral("a@b")});
    row("number for a reference", ticket, QStringLiteral("customerId"), 42);
    row("object for a reference", ticket, QStringLiteral("assignedTo"),
        QJsonObject {{QStringLiteral("id"), QStringLiteral("u-1")}});
    row("bool for a reference", booking, QStringLiteral("technicianId"), false);
    row("string for a bool", ticket, QStringLiteral("sla.firstResponseBreached"),
        QStringLiteral("no"));
    row("null for a bool", booking, followUp + QStringLiteral("initiated"), QJsonValue::Null);
    row("string for a bool", user, QStringLiteral("active"), QStringLiteral("yes"));
    row("number for a bool", booking, followUp + QStringLiteral("contactAttempts[0].reached"), 1);
    row("string for an optional bool", booking, cr + QStringLiteral("customerResponse.approved"),
        QStringLiteral("yes"));
    row("string for a number", ticket, QStringLiteral("version"), QStringLiteral("3"));
    row("fraction for a number", ticket, QStringLiteral("version"), 1.5);
    row("too large for an int", ticket, QStringLiteral("version"), 1e12);
    row("fraction for a count", ticket, QStringLiteral("sla.pausedSeconds"), -0.5);
    row("string for a size", attachment, QStringLiteral("size"), QStringLiteral("big"));
    row("string for a rating", ticket, QStringLiteral("satisfaction.rating"),
        QStringLiteral("five"));
    row("fraction for a rating", booking, QStringLiteral("review.rating"), 4.5);
    row("string for a sequence", change, QStringLiteral("seq"), QStringLiteral("12"));
    row("array for data", change, QStringLiteral("data"), QJsonArray());
    row("number for a string", attachment, QStringLiteral("sha256"), 256);

    // Wrong types of sub-objects and lists
    row("string for an object", ticket, QStringLiteral("sla"), QStringLiteral("fast"));
    row("number for an optional object", ticket, QStringLiteral("satisfaction"), 5);
    row("array for an optional object", booking, QStringLiteral("completionRequest"), QJsonArray());
    row("null for a required object", booking, cr + QStringLiteral("customerResponse"),
        QJsonValue::Null);
    row("object for an array", ticket, QStringLiteral("messages"), QJsonObject());
    row("string for an array", ticket, QStringLiteral("attachments"), QStringLiteral("none"));
    row("number for an element", ticket, QStringLiteral("messages[0]"), 1);
    row("number for a nested reference", ticket, QStringLiteral("escalation.escalatedTo"), 7);
    row("string for a nested size", ticket, QStringLiteral("messages[0].attachments[1].size"),
        QStringLiteral("big"));
    row("string for a nested bool", ticket, QStringLiteral("messages[0].isInternal"),
        QStringLiteral("false"));

    // Enum strings outside the enum
    row("unknown", ticket, QStringLiteral("category"), QStringLiteral("plumbing"));
    row("wrong case", ticket, QStringLiteral("priority"), QStringLiteral("HIGH"));
    row("empty", ticket, QStringLiteral("status"), QString());
    row("number", ticket, QStringLiteral("status"), 3);
    row("null for a required enum", ticket, QStringLiteral("status"), QJsonValue::Null);
    row("unknown", ticket, QStringLiteral("resolution.resolutionType"), QStringLiteral("fixed"));
    row("unknown", ticket, QStringLiteral("messages[1].senderRole"), QStringLiteral("robot"));
    row("unknown", booking, QStringLiteral("status"), QStringLiteral("done"));
    row("unknown", booking, cr + QStringLiteral("status"), QStringLiteral("approved_by_support"));
    row("unknown", booking, followUp + QStringLiteral("outcome"), QStringLiteral("resolved"));
    row("unknown", booking, followUp + QStringLiteral("contactAttempts[1].method"),
        QStringLiteral("pigeon"));
    row("unknown", user, QStringLiteral("role"), QStringLiteral("superuser"));
    row("unknown", user, QStringLiteral("availability"), QStringLiteral("busy"));
    row("unknown", conversation, QStringLiteral("status"), QStringLiteral("archived"));
    row("wrong case", message, QStringLiteral("senderRole"), QStringLiteral("Customer"));
    row("unknown", notification, QStringLiteral("type"), QStringLiteral("ticket_deleted"));
    row("unknown", change, QStringLiteral("op"), QStringLiteral("upserted"));

    // Bad timestamps
    row("words", ticket, QStringLiteral("createdAt"), QStringLiteral("yesterday"));
    row("no zone", ticket, QStringLiteral("createdAt"), QStringLiteral("2026-11-25T16:31:43"));
    row("no such day", ticket, QStringLiteral("createdAt"), QStringLiteral("2026-02-30T10:00:00Z"));
    row("empty", ticket, QStringLiteral("sla.resolutionDueAt"), QString());
    row("epoch number", ticket, QStringLiteral("updatedAt"), 1'700'000'000);
    row("date only", booking, cr + QStringLiteral("requestedAt"), QStringLiteral("2026-11-25"));
    row("words", booking, QStringLiteral("scheduledAt"), QStringLiteral("tomorrow at 9"));
    row("no zone", booking, followUp + QStringLiteral("contactAttempts[0].attemptedAt"),
        QStringLiteral("2026-11-25T10:00:00.000"));
    row("words", conversation, QStringLiteral("messages[0].createdAt"),
        QStringLiteral("not a time"));
}

void tst_JsonCodec::refused()
{
    QFETCH(Sample, sample);
    QFETCH(QString, field);
    QFETCH(QJsonValue, bad);

    const QJsonObject good = sample.encode();
    QVERIFY2(!sample.decodeError(good), "the unchanged value must decode");
    const std::optional<Error> error = sample.decodeError(withValue(good, field, bad));
    QVERIFY(error);
    QCOMPARE(error->code, QStringLiteral("invalid_field"));
    QCOMPARE(error->details, (QJsonObject {{QStringLiteral("field"), field}}));
    QVERIFY2(error->message.contains(u'\'' + field + u'\''), qPrintable(error->message));
}

void tst_JsonCodec::readsListsThroughReadInto()
{
    const QJsonObject page {
        {QStringLiteral("items"),
         toJsonArray(QList<Booking> {fullBooking(), withId<Booking>("b-2")})},
        {QStringLiteral("total"), 2},
    };
    JsonReader reader(page);
    QList<Booking> items;
    int total = 0;
    reader.list("items", items, readInto);
    reader.integer("total", total);
    QVERIFY(reader.ok());
    QCOMPARE(total, 2);
    QCOMPARE(items.size(), 2);
    QVERIFY(items.at(0) == fullBooking());
    QCOMPARE(items.at(1).id, QStringLiteral("b-2"));

    JsonReader broken(withValue(page, QStringLiteral("items[1].status"), QStringLiteral("x")));
    broken.list("items", items, readInto);
    QVERIFY(!broken.ok());
    QCOMPARE(broken.error().details.value(QStringLiteral("field")).toString(),
             QStringLiteral("items[1].status"));
}

QTEST_GUILESS_MAIN(tst_JsonCodec)
#include "tst_jsoncodec.moc"
