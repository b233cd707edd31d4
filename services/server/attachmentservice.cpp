#include "attachmentservice.h"

#include "apierrors.h"
#include "authorizer.h"
#include "servercontext.h"
#include "serverlog.h"

#include <domain/jsoncodec.h>
#include <store/attachmentrepository.h>
#include <store/ticketrepository.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace sb::server {

namespace {

Error fileError(const QString &what, const QString &path, const QString &why)
{
    // The path and the system's reason go to the log only.
    qCCritical(lcServer).noquote() << what << path << ":" << why;
    return Error::make(QStringLiteral("storage_error"),
                       QStringLiteral("The file store is not available."));
}

} // namespace

QString AttachmentService::pathFor(const QString &sha256) const
{
    return QDir(m_context.settings.dataDir)
        .filePath(QStringLiteral("attachments/%1/%2").arg(sha256.left(2), sha256));
}

Status AttachmentService::storeBytes(const QString &sha256, const QByteArray &bytes) const
{
    const QString path = pathFor(sha256);
    const QFileInfo info(path);
    // Content-addressed: the same bytes are already there (a rename only ever puts whole files).
    if (info.exists() && info.size() == bytes.size())
        return {};
    if (!QDir().mkpath(info.absolutePath()))
        return fileError(QStringLiteral("cannot create"), info.absolutePath(), QString());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(QStringLiteral("cannot write"), path, file.errorString());
    if (file.write(bytes) != bytes.size() || !file.commit())
        return fileError(QStringLiteral("cannot write"), path, file.errorString());
    return {};
}

Result<Attachment> AttachmentService::upload(const Caller &caller, const QString &fileName,
                                             const QString &contentType, const QByteArray &bytes)
{
    Attachment a;
    a.fileName = fileName;
    a.contentType = contentType;
    a.size = bytes.size();
    a.sha256
        = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    a.uploadedBy = caller.id();
    a.createdAt = m_context.clock.now();
    // The file first, inside the transaction: if it cannot be written, no row points at nothing.
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<Attachment> {
        if (Status s = storeBytes(a.sha256, bytes); !s)
            return s.error();
        auto inserted = store::AttachmentRepository(db).insert(a);
        if (!inserted)
            return inserted;
        // Only the uploader's until a ticket or message holds it.
        Change change;
        change.entity = QStringLiteral("attachment");
        change.entityId = inserted->id;
        change.op = ChangeOp::Created;
        change.data = toJson(*inserted);
        change.userId = caller.id();
        change.createdAt = a.createdAt;
        if (const auto seq = m_context.changes.record(db, change); !seq)
            return seq.error();
        return inserted;
    });
}

Result<bool> AttachmentService::maySee(const QSqlDatabase &db, const Caller &caller,
                                       const Attachment &attachment) const
{
    // The uploader had the bytes already.
    if (attachment.uploadedBy == caller.id())
        return true;
    const auto holders = store::AttachmentRepository(db).holders(attachment.id);
    if (!holders)
        return holders.error();
    const store::TicketRepository tickets(db);
    for (const store::AttachmentHolder &h : *holders) {
        if (h.ticketId.isEmpty() || (h.internal && !authz::canSeeInternalNotes(caller)))
            continue;
        const auto ticket = tickets.findById(h.ticketId);
        if (!ticket)
            return ticket.error();
        if (*ticket && authz::canSeeTicket(caller, **ticket))
            return true;
    }
    return false;
}

Result<AttachmentService::Download> AttachmentService::download(const Caller &caller,
                                                                const QString &id) const
{
    const QSqlDatabase db = m_context.db.connection();
    const auto found = store::AttachmentRepository(db).findById(id);
    if (!found)
        return found.error();
    if (!*found)
        return errors::notFound(QStringLiteral("attachment"));
    const auto allowed = maySee(db, caller, **found);
    if (!allowed)
        return allowed.error();
    if (!*allowed)
        return errors::notFound(QStringLiteral("attachment"));

    const QString path = pathFor((*found)->sha256);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(QStringLiteral("cannot read"), path, file.errorString());
    return Download {**found, file.readAll()};
}

} // namespace sb::server
