#include "floe/avro/schema_cache.h"

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace floe::avro {

Result<std::shared_ptr<const Schema>> ParseSchemaCached(std::string_view json) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const Schema>> cache;
  static std::deque<std::string> order;  // insertion order, for eviction
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(std::string(json)); it != cache.end()) return it->second;
  }
  // Parsed outside the lock: two threads may parse one text at once, and
  // the second insert is a no-op.
  FLOE_ASSIGN_OR_RAISE(Schema parsed, Schema::Parse(json));
  auto schema = std::make_shared<const Schema>(std::move(parsed));
  std::lock_guard<std::mutex> lock(mu);
  auto [it, fresh] = cache.emplace(std::string(json), schema);
  if (fresh) {
    order.push_back(it->first);
    if (order.size() > kSchemaCacheEntries) {
      cache.erase(order.front());
      order.pop_front();
    }
  }
  return it->second;
}

}  // namespace floe::avro
