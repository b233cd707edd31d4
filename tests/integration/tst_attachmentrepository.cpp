#include <store/attachmentrepository.h>
#include <store/ticketrepository.h>
#include <support/seeder.h>
#include <support/testdatabase.h>

#include <QJsonArray>
#include <QtTest/QTest>

using namespace sb;
using namespace sb::store;
using namespace sb::test;
using namespace Qt::StringLiterals;

// Attachments and the ticket messages that hold them: linking, reading back, who holds a file
// (the server's "may this caller download it"), and the cleanup of unreferenced uploads.
class TstAttachmentRepository : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { SB_REQUIRE_TEST_STORE(); }

    void init()
    {
        SB_CREATE_TEST_STORE(m_store);
        m_seed = std::make_unique<Seeder>(*m_store->database());
        m_customer = m_seed->customer();
        m_agent = m_seed->agent();
        m_ticket = m_seed->ticket(m_customer.id);
    }

    void cleanup()
    {
        m_seed.reset();
        m_store.reset();
    }

    void insertAndFind()
    {
        const Attachment a = upload(u"photo.jpg"_s, u"aa"_s);
        QVERIFY(!a.id.isEmpty());
        const std::optional<Attachment> found = *attachments().findById(a.id);
        QVERIFY(found);
        QVERIFY(*found == a);
        QVERIFY(!attachments().findById(u"missing"_s)->has_value());
    }

    void ticketWithAttachmentsReadsThemBackInOrder()
    {
        const Attachment first = upload(u"b.pdf"_s, u"bb"_s);
        const Attachment second = upload(u"a.png"_s, u"aa"_s);
        const Ticket t = m_seed->ticket(m_customer.id, [&](Ticket &t) {
            t.attachments = {idOnly(first.id), idOnly(second.id)};
        });
        const QList<Attachment> expected {first, second};
        QVERIFY(t.attachments == expected);
        QVERIFY((*tickets().findById(t.id))->attachments == expected);
    }

    void linkRefusesUnknownIdsAndLinksNothing()
    {
        const Attachment known = upload(u"a.png"_s, u"aa"_s);
        const Status s
            = attachments().link({known.id, u"nope"_s}, AttachmentOwner::Ticket, m_ticket.id);
        QVERIFY(!s);
        QCOMPARE(s.error().code, u"unknown_attachment"_s);
        QCOMPARE(s.error().details.value(u"ids"_s).toArray(), QJsonArray {u"nope"_s});
        QVERIFY(attachments().forOwner(AttachmentOwner::Ticket, m_ticket.id)->isEmpty());
    }

    void linkingTwiceIsHarmless()
    {
        const Attachment a = upload(u"a.png"_s, u"aa"_s);
        QVERIFY(attachments().link({a.id, a.id}, AttachmentOwner::Ticket, m_ticket.id));
        QVERIFY(attachments().link({a.id}, AttachmentOwner::Ticket, m_ticket.id));
        QCOMPARE(attachments().forOwner(AttachmentOwner::Ticket, m_ticket.id)->size(), 1);
    }

    void messagesWithAttachmentsAndInternalNotes()
    {
        const Attachment shot = upload(u"screenshot.png"_s, u"s1"_s);
        const Attachment log = upload(u"server.log"_s, u"l1"_s);
        const TicketMessage reply = addMessage(m_customer, u"It fails"_s, false, {shot.id});
        const TicketMessage note = addMessage(m_agent, u"See the log"_s, true, {log.id});
        addMessage(m_agent, u"Fixed"_s, false, {});
        QVERIFY(reply.attachments == QList<Attachment> {shot});

        const QList<TicketMessage> all = *tickets().messages(m_ticket.id, true);
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[0].message, u"It fails"_s);
        QVERIFY(all[0].attachments == QList<Attachment> {shot});
        QVERIFY(all[1].isInternal);
        QVERIFY(all[1].attachments == QList<Attachment> {log});
        QVERIFY(all[2].attachments.isEmpty());
        QVERIFY(all[1] == note);

        const QList<TicketMessage> visible = *tickets().messages(m_ticket.id, false);
        QCOMPARE(visible.size(), 2);
        QVERIFY(std::none_of(visible.begin(), visible.end(),
                             [](const TicketMessage &m) { return m.isInternal; }));
    }

    void messageWithUnknownAttachmentRollsBack()
    {
        const Status s = m_store->database()->transaction([&](QSqlDatabase &db) -> Status {
            TicketMessage m = message(m_customer, u"hello"_s, false, {u"nope"_s});
            Result<TicketMessage> added = TicketRepository(db).addMessage(m);
            return added ? Status() : Status(added.error());
        });
        QCOMPARE(s.error().code, u"unknown_attachment"_s);
        QVERIFY(tickets().messages(m_ticket.id, true)->isEmpty());
    }

    void holdersSayWhichTicketAndWhetherInternal()
    {
        const Attachment onTicket = upload(u"t.png"_s, u"t"_s);
        const Attachment inNote = upload(u"n.log"_s, u"n"_s);
        const Attachment loose = upload(u"l.txt"_s, u"l"_s);
        QVERIFY(attachments().link({onTicket.id}, AttachmentOwner::Ticket, m_ticket.id));
        const TicketMessage note = addMessage(m_agent, u"internal"_s, true, {inNote.id});

        const QList<AttachmentHolder> ticketHolders = *attachments().holders(onTicket.id);
        QCOMPARE(ticketHolders.size(), 1);
        QVERIFY(ticketHolders[0].ownerType == AttachmentOwner::Ticket);
        QCOMPARE(ticketHolders[0].ticketId, m_ticket.id);
        QVERIFY(!ticketHolders[0].internal);

        const QList<AttachmentHolder> noteHolders = *attachments().holders(inNote.id);
        QCOMPARE(noteHolders.size(), 1);
        QVERIFY(noteHolders[0].ownerType == AttachmentOwner::Message);
        QCOMPARE(noteHolders[0].ownerId, note.id);
        QCOMPARE(noteHolders[0].ticketId, m_ticket.id);
        QVERIFY(noteHolders[0].internal);

        QVERIFY(attachments().holders(loose.id)->isEmpty());
    }

    void cleanupOfUnreferencedUploads()
    {
        const Attachment oldLoose = upload(u"old.txt"_s, u"same-bytes"_s);
        const Attachment oldLinked = upload(u"linked.txt"_s, u"x"_s);
        const QDateTime cutoff = m_seed->nextTime();
        const Attachment recent = upload(u"recent.txt"_s, u"same-bytes"_s, cutoff.addSecs(1));
        QVERIFY(attachments().link({oldLinked.id}, AttachmentOwner::Ticket, m_ticket.id));

        const QList<Attachment> stale = *attachments().listUnreferencedOlderThan(cutoff, 10);
        QCOMPARE(stale.size(), 1);
        QCOMPARE(stale[0].id, oldLoose.id);

        QCOMPARE(*attachments().removeIfUnreferenced(oldLoose.id), true);
        QCOMPARE(*attachments().removeIfUnreferenced(oldLinked.id), false); // linked: kept
        QVERIFY(attachments().findById(oldLinked.id)->has_value());
        // The bytes are shared with a newer upload of the same file: still in use.
        QCOMPARE(*attachments().isFileInUse(u"same-bytes"_s), true);
        QCOMPARE(*attachments().removeIfUnreferenced(recent.id), true);
        QCOMPARE(*attachments().isFileInUse(u"same-bytes"_s), false);
    }

private:
    static Attachment idOnly(const QString &id)
    {
        Attachment a;
        a.id = id;
        return a;
    }

    AttachmentRepository attachments() { return AttachmentRepository(m_store->connection()); }
    TicketRepository tickets() { return TicketRepository(m_store->connection()); }

    Attachment upload(const QString &name, const QString &sha, QDateTime at = {})
    {
        Attachment a;
        a.fileName = name;
        a.contentType = u"application/octet-stream"_s;
        a.size = 123;
        a.sha256 = sha;
        a.uploadedBy = m_customer.id;
        a.createdAt = at.isValid() ? at : m_seed->nextTime().addMSecs(-500);
        return *attachments().insert(a);
    }

    TicketMessage message(const User &sender, const QString &text, bool internal,
                          const QStringList &attachmentIds)
    {
        TicketMessage m;
        m.ticketId = m_ticket.id;
        m.senderId = sender.id;
        m.senderRole = sender.role;
        m.message = text;
        m.isInternal = internal;
        m.createdAt = m_seed->nextTime().addSecs(++m_messages);
        for (const QString &id : attachmentIds)
            m.attachments << idOnly(id);
        return m;
    }

    TicketMessage addMessage(const User &sender, const QString &text, bool internal,
                             const QStringList &attachmentIds)
    {
        return *tickets().addMessage(message(sender, text, internal, attachmentIds));
    }

    std::unique_ptr<TestStore> m_store;
    std::unique_ptr<Seeder> m_seed;
    User m_customer;
    User m_agent;
    Ticket m_ticket;
    int m_messages = 0;
};

QTEST_GUILESS_MAIN(TstAttachmentRepository)
#include "tst_attachmentrepository.moc"
