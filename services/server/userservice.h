#pragma once

#include "caller.h"

#include <domain/result.h>
#include <domain/user.h>
#include <store/userrepository.h>

#include <optional>

namespace sb::server {

class AuthService;
struct ServerContext;

struct UserChanges
{
    std::optional<QString> name;
    std::optional<QString> email;
    std::optional<Role> role;
    std::optional<bool> active;
    std::optional<QString> phone; // empty clears it
};

// Admin management of accounts. Deactivating a user ends all of its sessions and sockets.
class UserService
{
public:
    explicit UserService(ServerContext &context)
        : m_context(context)
    { }

    Result<User> create(const User &user, const QString &password);
    Result<User> update(const QString &id, const UserChanges &changes,
                        std::optional<int> expectedVersion, const Caller &by);
    Result<store::UserPage> list(const store::UserFilter &filter) const;
    Result<User> find(const QString &id) const;

private:
    Status recordChange(QSqlDatabase &db, const User &user, ChangeOp op);

    ServerContext &m_context;
};

} // namespace sb::server
