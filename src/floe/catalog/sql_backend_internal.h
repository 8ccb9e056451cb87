// Internal to floe_catalog: the two SqlConnection implementations and the
// URI parsers SqlBackend dispatches to.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "floe/catalog/sql_backend.h"

namespace floe::catalog::internal {

// `rest` is the URI after "sqlite://"; see sql_backend.h for the forms.
Result<SqlTarget> ParseSqliteUri(std::string_view rest);
// A plain file path (no scheme).
SqlTarget SqliteTargetForPath(std::string_view path);
// `uri` starts with "postgresql://".
Result<SqlTarget> ParsePostgresUri(const std::string& uri);

Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const SqlTarget& target,
                                                            const SqlBackendOptions& options);
Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const SqlTarget& target,
                                                              const SqlBackendOptions& options);

// Rewrites '?' placeholders to PostgreSQL's $1, $2, ... outside quoted text.
std::string ToDollarPlaceholders(std::string_view sql);

// The first words of a statement, for messages ("UPDATE iceberg_tables").
std::string StatementSummary(std::string_view sql);

}  // namespace floe::catalog::internal
