#pragma once

#include <domain/attachment.h>
#include <domain/result.h>

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace sb::store {

enum class AttachmentOwner { Ticket, Message };

// A ticket or ticket message that holds an attachment: what the server needs to decide who may
// download it (an attachment of an internal note never reaches a customer).
struct AttachmentHolder
{
    AttachmentOwner ownerType = AttachmentOwner::Ticket;
    QString ownerId;
    QString ticketId; // the ticket itself, or the ticket of the message
    bool internal = false; // held by an internal note
};

// Uploaded files (their metadata; the bytes live in the data directory under sha256) and the
// links that attach them to tickets and messages.
class AttachmentRepository
{
public:
    explicit AttachmentRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    // Assigns id when empty; createdAt is the caller's.
    Result<Attachment> insert(const Attachment &attachment);
    Result<std::optional<Attachment>> findById(const QString &id) const;

    // Attaches the files, in this order. Any id that names no upload answers Error
    // "unknown_attachment" (details.ids lists them) and links nothing. Linking twice is harmless.
    Status link(const QStringList &attachmentIds, AttachmentOwner owner, const QString &ownerId);
    Result<QList<Attachment>> forOwner(AttachmentOwner owner, const QString &ownerId) const;
    // The attachments of every message of a ticket, by message id, in one query.
    Result<QHash<QString, QList<Attachment>>> forTicketMessages(const QString &ticketId) const;
    // Every ticket or message that holds the attachment; empty when none does yet.
    Result<QList<AttachmentHolder>> holders(const QString &attachmentId) const;

    // Cleanup: uploads that nothing references, created before `before`, oldest first.
    Result<QList<Attachment>> listUnreferencedOlderThan(const QDateTime &before, int limit) const;
    // Removes the row only if still unreferenced (a link may have arrived since it was listed).
    Result<bool> removeIfUnreferenced(const QString &id);
    // Whether any row still points at these bytes (two uploads of one file share them).
    Result<bool> isFileInUse(const QString &sha256) const;

private:
    QSqlDatabase m_db;
};

} // namespace sb::store
