#include "attachmentroutes.h"

#include "apierrors.h"
#include "attachmentservice.h"
#include "authorizer.h"
#include "replies.h"
#include "servercontext.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace sb::server {

namespace attachmenthttp {

namespace {

const QString kFileNameHeader = QStringLiteral("X-File-Name");
constexpr int kMaxFileName = 255;

// Types a browser shows without running anything; everything else downloads as bytes.
const QSet<QString> &inlineSafeTypes()
{
    static const QSet<QString> types = {
        QStringLiteral("image/png"),
        QStringLiteral("image/jpeg"),
        QStringLiteral("image/gif"),
        QStringLiteral("image/webp"),
        QStringLiteral("image/bmp"),
        QStringLiteral("image/heic"),
        QStringLiteral("application/pdf"),
        QStringLiteral("text/plain"),
        QStringLiteral("text/csv"),
        QStringLiteral("audio/mpeg"),
        QStringLiteral("audio/ogg"),
        QStringLiteral("audio/wav"),
        QStringLiteral("video/mp4"),
        QStringLiteral("video/webm"),
        QStringLiteral("video/quicktime"),
        QStringLiteral("application/zip"),
        QStringLiteral("application/gzip"),
        QStringLiteral("application/msword"),
        QStringLiteral("application/vnd.ms-excel"),
        QStringLiteral("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        QStringLiteral("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        QStringLiteral("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        QStringLiteral("application/vnd.oasis.opendocument.text"),
        QStringLiteral("application/vnd.oasis.opendocument.spreadsheet"),
    };
    return types;
}

} // namespace

Result<QString> fileName(const QByteArray &header)
{
    if (header.trimmed().isEmpty())
        return errors::missingField(kFileNameHeader);
    QString name = QUrl::fromPercentEncoding(header);
    // The last path component only: a name is never a place to write to or read from.
    name = name.mid(std::max(name.lastIndexOf(u'/'), name.lastIndexOf(u'\\')) + 1);
    // Control and format characters (a right-to-left override disguises "exe.txt").
    name.removeIf([](QChar c) {
        return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
    });
    name = name.trimmed();
    if (name.isEmpty() || name == u"." || name == u"..")
        return errors::invalidField(kFileNameHeader, QStringLiteral("must name a file"));
    if (name.size() > kMaxFileName) {
        return errors::invalidField(
            kFileNameHeader, QStringLiteral("must have at most %1 characters").arg(kMaxFileName));
    }
    return name;
}

Result<QString> contentType(const QByteArray &header)
{
    const QString type = QString::fromLatin1(header.split(';').first()).trimmed().toLower();
    if (type.isEmpty())
        return QStringLiteral("application/octet-stream");
    // RFC 6838 names: restricted characters, one slash.
    static const QRegularExpression pattern(
        QStringLiteral("^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$"));
    if (!pattern.match(type).hasMatch()) {
        return errors::invalidField(QStringLiteral("Content-Type"),
                                    QStringLiteral("must be a media type like image/png"));
    }
    return type;
}

QByteArray servedType(const QString &contentType)
{
    if (inlineSafeTypes().contains(contentType))
        return contentType.toLatin1();
    return QByteArrayLiteral("application/octet-stream");
}

QByteArray contentDisposition(const QString &fileName)
{
    QByteArray fallback;
    for (const QChar c : fileName) {
        const bool plain = c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\';
        fallback += plain ? char(c.unicode()) : '_';
    }
    // RFC 5987 attr-chars stay as they are; everything else is percent-encoded UTF-8.
    const QByteArray encoded = QUrl::toPercentEncoding(fileName, QByteArrayLiteral("!#$&+^`|"));
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

} // namespace attachmenthttp

void registerAttachmentRoutes(ApiRouter &router, ServerContext &context)
{
    auto attachments = std::make_shared<AttachmentService>(context);

    ApiRouter::Route upload;
    upload.method = ApiRouter::Method::Post;
    upload.path = QStringLiteral("/attachments");
    upload.access = ticketUsers();
    upload.body = ApiRouter::Body::Raw;
    upload.maxBodyBytes = context.settings.maxAttachmentBytes;
    upload.handler = [attachments](ApiRequest &r) {
        const auto name = attachmenthttp::fileName(r.header("X-File-Name"));
        if (!name)
            return failure(name.error());
        const auto type = attachmenthttp::contentType(r.header("Content-Type"));
        if (!type)
            return failure(type.error());
        const QByteArray bytes = r.rawBody();
        if (bytes.isEmpty()) {
            return failure(errors::invalidField(QStringLiteral("body"),
                                                QStringLiteral("must hold the file's bytes")));
        }
        return answer(attachments->upload(r.caller(), *name, *type, bytes), StatusCode::Created);
    };
    router.add(std::move(upload));

    router.get(QStringLiteral("/attachments/:id"), ticketUsers(), [attachments](ApiRequest &r) {
        const auto found = attachments->download(r.caller(), r.arg(0));
        if (!found)
            return failure(found.error());
        QHttpServerResponse response(attachmenthttp::servedType(found->attachment.contentType),
                                     found->bytes);
        response.setHeader(QByteArrayLiteral("Content-Disposition"),
                           attachmenthttp::contentDisposition(found->attachment.fileName));
        // Opened in a browser tab anyway, the file runs nothing and loads nothing.
        response.setHeader(QByteArrayLiteral("Content-Security-Policy"),
                           QByteArrayLiteral("default-src 'none'; sandbox"));
        return response;
    });
}

} // namespace sb::server
