#include "smtpclient.h"

#include "serverlog.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QSysInfo>
#include <QUrl>

namespace sb::server {

namespace {

constexpr qsizetype kMaxReplyBytes = 64 * 1024; // a server sending more is broken or hostile

bool isLoopback(const QString &host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QByteArray heloName()
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9.-]*$"));
    const QString name = QSysInfo::machineHostName();
    return valid.match(name).hasMatch() ? name.toLatin1() : QByteArrayLiteral("localhost");
}

// The server's words, made safe to quote: printable, one line, bounded.
QString quoted(const QStringList &lines)
{
    QString text = lines.join(u' ').simplified();
    for (QChar &c : text) {
        if (!c.isPrint())
            c = u'?';
    }
    return text.left(200);
}

} // namespace

Result<SmtpConfig> SmtpConfig::fromUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    const auto invalid = [](const QString &why) {
        return Error::make(QStringLiteral("invalid_smtp_url"),
                           QStringLiteral("SMTP_URL is not usable: %1.").arg(why));
    };
    if (!url.isValid())
        return invalid(QStringLiteral("not a URL"));
    SmtpConfig c;
    if (url.scheme() == u"smtps")
        c.implicitTls = true;
    else if (url.scheme() != u"smtp")
        return invalid(QStringLiteral("the scheme must be smtp or smtps"));
    c.host = url.host();
    if (c.host.isEmpty())
        return invalid(QStringLiteral("no host"));
    c.port = static_cast<quint16>(url.port(c.implicitTls ? 465 : 25));
    c.user = url.userName();
    c.password = url.password();
    return c;
}

QString SmtpConfig::describe() const
{
    return QStringLiteral("%1://%2:%3")
        .arg(implicitTls ? QStringLiteral("smtps") : QStringLiteral("smtp"), host)
        .arg(port);
}

SmtpClient::SmtpClient(const SmtpConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_stepTimer.setSingleShot(true);
    m_messageTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this,
            [this] { fail(QStringLiteral("timed out waiting for the server")); });
    connect(&m_messageTimer, &QTimer::timeout, this,
            [this] { fail(QStringLiteral("timed out sending the message")); });
}

SmtpClient::~SmtpClient()
{
    abort();
}

QByteArray SmtpClient::dotStuff(const QByteArray &content)
{
    QByteArray out;
    out.reserve(content.size() + content.size() / 64 + 2);
    bool lineStart = true;
    for (const char c : content) {
        if (lineStart && c == '.')
            out += '.';
        out += c;
        lineStart = c == '\n';
    }
    if (!out.endsWith("\r\n"))
        out += "\r\n";
    return out;
}

void SmtpClient::send(const MailMessage &message, Done done)
{
    Q_ASSERT(!busy());
    abort();
    m_done = std::move(done);
    m_message = message;
    m_step = Step::Greeting;
    m_in.clear();
    m_replyLines.clear();
    m_capabilities.clear();
    m_encrypted = false;

    if (!MailMessage::isValidAddress(message.from) || !MailMessage::isValidAddress(message.to)) {
        // Later, as promised, so that the caller's state is settled before it hears back.
        QTimer::singleShot(
            0, this, [this] { fail(QStringLiteral("invalid sender or recipient address"), true); });
        return;
    }
    if (m_config.implicitTls && !QSslSocket::supportsSsl()) {
        QTimer::singleShot(0, this, [this] { fail(QStringLiteral("TLS is not available")); });
        return;
    }

    m_socket = new QSslSocket(this);
    if (!m_config.caCertificates.isEmpty()) {
        QSslConfiguration tls = m_socket->sslConfiguration();
        tls.addCaCertificates(m_config.caCertificates);
        m_socket->setSslConfiguration(tls);
    }
    connect(m_socket, &QSslSocket::readyRead, this, &SmtpClient::onReadyRead);
    connect(m_socket, &QSslSocket::encrypted, this, &SmtpClient::onEncrypted);
    connect(m_socket, &QSslSocket::errorOccurred, this, &SmtpClient::onSocketError);
    connect(m_socket, &QSslSocket::disconnected, this,
            [this] { fail(QStringLiteral("the server closed the connection")); });
    m_stepTimer.start(m_config.stepTimeoutMs);
    m_messageTimer.start(m_config.messageTimeoutMs);
    if (m_config.implicitTls)
        m_socket->connectToHostEncrypted(m_config.host, m_config.port);
    else
        m_socket->connectToHost(m_config.host, m_config.port);
}

void SmtpClient::abort()
{
    m_done = nullptr;
    dropSocket(false);
}

void SmtpClient::dropSocket(bool quit)
{
    m_stepTimer.stop();
    m_messageTimer.stop();
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket.clear();
    socket->disconnect(this);
    if (quit && socket->state() == QAbstractSocket::ConnectedState) {
        socket->setParent(nullptr); // outlives this client until the server has read QUIT
        // Polite end: QUIT, then close once written; whatever the server says no longer matters.
        socket->write("QUIT\r\n");
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        QTimer::singleShot(m_config.stepTimeoutMs, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
        return;
    }
    socket->abort();
    socket->deleteLater();
}

void SmtpClient::onSocketError()
{
    if (!m_socket)
        return;
    fail(m_socket->errorString());
}

void SmtpClient::onEncrypted()
{
    if (m_step != Step::StartTls)
        return; // smtps: the greeting comes next
    m_encrypted = true;
    m_capabilities.clear();
    command("EHLO " + heloName(), Step::Ehlo);
}

void SmtpClient::onReadyRead()
{
    if (!m_socket)
        return;
    m_in += m_socket->readAll();
    if (m_in.size() > kMaxReplyBytes)
        return fail(QStringLiteral("the server's reply is too long"));
    // A reply is "ddd-text" lines ended by one "ddd text" (or a bare "ddd") line.
    qsizetype end;
    while (m_socket && (end = m_in.indexOf('\n')) >= 0) {
        QByteArray line = m_in.left(end);
        m_in.remove(0, end + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        bool ok = false;
        const int code = line.left(3).toInt(&ok);
        if (!ok || code < 100 || code > 599
            || (line.size() > 3 && line[3] != '-' && line[3] != ' '))
            return fail(QStringLiteral("the server does not speak SMTP"));
        m_replyLines << QString::fromUtf8(line.mid(4));
        if (line.size() > 3 && line[3] == '-')
            continue;
        const QStringList lines = std::exchange(m_replyLines, {});
        onReply(code, lines);
    }
}

void SmtpClient::command(const QByteArray &line, Step next)
{
    m_step = next;
    m_stepTimer.start(m_config.stepTimeoutMs);
    m_socket->write(line + "\r\n");
}

void SmtpClient::onReply(int code, const QStringList &lines)
{
    m_stepTimer.stop();
    switch (m_step) {
    case Step::Greeting:
        if (code != 220)
            return refused(code, lines, QStringLiteral("the connection"));
        m_encrypted = m_config.implicitTls;
        return command("EHLO " + heloName(), Step::Ehlo);
    case Step::Ehlo:
        if (code / 100 == 5)
            return command("HELO " + heloName(), Step::Helo);
        if (code != 250)
            return refused(code, lines, QStringLiteral("EHLO"));
        for (const QString &keyword : lines.mid(1))
            m_capabilities << keyword.trimmed().toUpper();
        if (!m_encrypted && m_capabilities.contains(u"STARTTLS") && QSslSocket::supportsSsl())
            return command("STARTTLS", Step::StartTls);
        return afterHello();
    case Step::Helo:
        if (code != 250)
            return refused(code, lines, QStringLiteral("HELO"));
        return afterHello();
    case Step::StartTls:
        if (code != 220)
            return refused(code, lines, QStringLiteral("STARTTLS"));
        m_in.clear(); // nothing said in clear may pass for a reply inside TLS
        m_stepTimer.start(m_config.stepTimeoutMs);
        m_socket->startClientEncryption();
        return;
    case Step::AuthPlain:
    case Step::AuthLoginPassword:
        // The server's words are not quoted: some echo what they could not decode.
        if (code != 235)
            return fail(QStringLiteral("authentication refused (%1)").arg(code));
        return command("MAIL FROM:<" + m_message.from.toUtf8() + '>', Step::MailFrom);
    case Step::AuthLogin:
        if (code != 334)
            return fail(QStringLiteral("authentication refused (%1)").arg(code));
        return command(m_config.user.toUtf8().toBase64(), Step::AuthLoginUser);
    case Step::AuthLoginUser:
        if (code != 334)
            return fail(QStringLiteral("authentication refused (%1)").arg(code));
        return command(m_config.password.toUtf8().toBase64(), Step::AuthLoginPassword);
    case Step::MailFrom:
        if (code != 250)
            return refused(code, lines, QStringLiteral("the sender"));
        return command("RCPT TO:<" + m_message.to.toUtf8() + '>', Step::RcptTo);
    case Step::RcptTo:
        if (code != 250 && code != 251)
            return refused(code, lines, QStringLiteral("the recipient"), code / 100 == 5);
        return command("DATA", Step::Data);
    case Step::Data:
        if (code != 354)
            return refused(code, lines, QStringLiteral("DATA"), code / 100 == 5);
        m_step = Step::Content;
        m_stepTimer.start(m_config.stepTimeoutMs);
        m_socket->write(dotStuff(m_message.toMime()) + ".\r\n");
        return;
    case Step::Content:
        if (code != 250)
            return refused(code, lines, QStringLiteral("the message"), code / 100 == 5);
        return finish({});
    }
}

void SmtpClient::afterHello()
{
    if (m_config.user.isEmpty())
        return command("MAIL FROM:<" + m_message.from.toUtf8() + '>', Step::MailFrom);
    if (!m_encrypted && !isLoopback(m_config.host))
        return fail(QStringLiteral("the server offers no STARTTLS; the password is not sent in "
                                   "clear"));
    authenticate();
}

void SmtpClient::authenticate()
{
    QStringList mechanisms;
    for (const QString &keyword : std::as_const(m_capabilities)) {
        if (keyword.startsWith(u"AUTH ") || keyword.startsWith(u"AUTH="))
            mechanisms << keyword.mid(5).split(u' ', Qt::SkipEmptyParts);
    }
    if (mechanisms.contains(u"PLAIN")) {
        const QByteArray token = '\0' + m_config.user.toUtf8() + '\0' + m_config.password.toUtf8();
        return command("AUTH PLAIN " + token.toBase64(), Step::AuthPlain);
    }
    if (mechanisms.contains(u"LOGIN"))
        return command("AUTH LOGIN", Step::AuthLogin);
    fail(QStringLiteral("the server offers neither AUTH PLAIN nor AUTH LOGIN"));
}

void SmtpClient::refused(int code, const QStringList &lines, const QString &what, bool permanent)
{
    fail(QStringLiteral("the server refused %1: %2 %3").arg(what).arg(code).arg(quoted(lines)),
         permanent);
}

void SmtpClient::fail(const QString &problem, bool permanent)
{
    finish(Error::make(QStringLiteral("smtp_failed"),
                       scrub(QStringLiteral("SMTP %1: %2").arg(m_config.describe(), problem)),
                       {{QStringLiteral("permanent"), permanent}}));
}

void SmtpClient::finish(const Status &result)
{
    dropSocket(result.ok());
    Done done = std::exchange(m_done, nullptr);
    if (done)
        done(result); // last: it may start the next send
}

QString SmtpClient::scrub(QString text) const
{
    // Belt and braces: whatever a server or a TLS library said, the secret never leaves here.
    if (m_config.password.isEmpty())
        return text;
    const QByteArray utf8 = m_config.password.toUtf8();
    const QByteArray plain = '\0' + m_config.user.toUtf8() + '\0' + utf8;
    for (const QString &secret : {m_config.password, QString::fromLatin1(utf8.toBase64()),
                                  QString::fromLatin1(plain.toBase64())}) {
        text.replace(secret, QStringLiteral("***"));
    }
    return text;
}

} // namespace sb::server
