#include "serverinstance.h"

#include "bootstrapadmin.h"
#include "serverlog.h"

namespace sb::server {

namespace {

Result<store::DatabaseConfig> storeConfig(const ServerSettings &settings)
{
    if (settings.databaseUrl.isEmpty())
        return store::DatabaseConfig::sqlite(settings.sqlitePath());
    return store::DatabaseConfig::fromUrl(settings.databaseUrl);
}

} // namespace

Result<std::unique_ptr<ServerInstance>> ServerInstance::start(const ServerSettings &settings)
{
    std::unique_ptr<ServerInstance> instance(new ServerInstance);
    instance->m_settings = settings;

    const auto config = storeConfig(settings);
    if (!config)
        return config.error();
    auto db = store::Database::open(*config);
    if (!db)
        return db.error();
    instance->m_db = *db;

    if (settings.fakeClock) {
        qCWarning(lcServer) << "the business clock is fake: POST /admin/clock moves it";
        instance->m_clock = std::make_shared<FakeClock>();
    } else {
        instance->m_clock = std::make_shared<SystemClock>();
    }

    const PasswordHasher hasher(settings.passwordIterations);
    if (auto admin = ensureBootstrapAdmin(*instance->m_db, settings, *instance->m_clock, hasher);
        !admin)
        return admin.error();

    instance->m_api = std::make_unique<ApiServer>(settings, instance->m_db, instance->m_clock);
    const auto port = instance->m_api->listen(settings.listen, settings.port);
    if (!port)
        return port.error();
    instance->m_port = *port;
    return instance;
}

ServerInstance::~ServerInstance()
{
    stop();
}

QString ServerInstance::baseUrl() const
{
    const QHostAddress a = m_settings.listen;
    const QString host
        = a.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + a.toString() + u']' : a.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(m_port);
}

void ServerInstance::stop()
{
    if (m_api)
        m_api->close();
}

} // namespace sb::server
