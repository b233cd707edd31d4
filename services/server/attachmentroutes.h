#pragma once

#include <domain/result.h>

#include <QByteArray>
#include <QString>

namespace sb::server {

class ApiRouter;
struct ServerContext;

// POST /attachments (the file itself as the body, its name in X-File-Name) and
// GET /attachments/:id (the file, as a download).
void registerAttachmentRoutes(ApiRouter &router, ServerContext &context);

// The helpers of those routes, public for their tests.
namespace attachmenthttp {
// X-File-Name, percent-decoded as UTF-8, reduced to its last path component without control
// characters; missing, empty, "." / ".." or over 255 characters is a 400 naming the header.
Result<QString> fileName(const QByteArray &header);
// The media type of the upload, "type/subtype" in lower case without parameters;
// application/octet-stream when absent; a malformed one is a 400 naming Content-Type.
Result<QString> contentType(const QByteArray &header);
// The type a download is served with: the uploaded one when it cannot run as active content in
// a browser (an allowlist: images but SVG, PDF, plain text, audio, video, office files,
// archives), application/octet-stream for anything else (HTML, SVG, scripts, XML...).
QByteArray servedType(const QString &contentType);
// attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266).
QByteArray contentDisposition(const QString &fileName);
} // namespace attachmenthttp

} // namespace sb::server
