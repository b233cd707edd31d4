#pragma once

#include "caller.h"

#include <domain/attachment.h>
#include <domain/result.h>

#include <QByteArray>
#include <QSqlDatabase>

namespace sb::server {

struct ServerContext;

// Uploaded files (DESIGN.md "Attachments"). The bytes live once per content under
// <dataDir>/attachments/<sha256[0:2]>/<sha256>, written to a temporary file and renamed into
// place, so a reader never meets a half-written file and two uploads of one file share it.
// A download goes to whoever may see a ticket or message holding the file (an internal note's
// only to agents), an upload that nothing holds yet only to its uploader; anyone else: not_found.
class AttachmentService
{
public:
    explicit AttachmentService(ServerContext &context)
        : m_context(context)
    { }

    // fileName and contentType already checked by the route.
    Result<Attachment> upload(const Caller &caller, const QString &fileName,
                              const QString &contentType, const QByteArray &bytes);

    struct Download
    {
        Attachment attachment;
        QByteArray bytes;
    };
    Result<Download> download(const Caller &caller, const QString &id) const;

    // Where the bytes of this content live.
    QString pathFor(const QString &sha256) const;

private:
    Status storeBytes(const QString &sha256, const QByteArray &bytes) const;
    Result<bool> maySee(const QSqlDatabase &db, const Caller &caller,
                        const Attachment &attachment) const;

    ServerContext &m_context;
};

} // namespace sb::server
