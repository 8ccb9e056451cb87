#include "floe/table/alter.h"

#include "floe/table/schema_update.h"
#include "floe/table/spec_update.h"
#include "floe/table/transaction.h"

namespace floe::table {

using expr::AlterChange;

namespace {

ColumnPosition PositionOf(const AlterChange& c) {
  switch (c.position) {
    case AlterChange::Position::kFirst: return ColumnPosition::First();
    case AlterChange::Position::kAfter: return ColumnPosition::After(c.position_column);
    case AlterChange::Position::kBefore: return ColumnPosition::Before(c.position_column);
    case AlterChange::Position::kLast: break;
  }
  return {};
}

bool IsSchemaChange(AlterChange::Kind k) {
  return k != AlterChange::Kind::kAddPartition && k != AlterChange::Kind::kDropPartition &&
         k != AlterChange::Kind::kReplacePartition && k != AlterChange::Kind::kWriteOrder;
}

}  // namespace

Status Alter(Table& table, const std::vector<AlterChange>& changes) {
  if (changes.empty()) return Status::Invalid("nothing to alter");
  Transaction tx(&table);
  std::unique_ptr<SchemaUpdate> schema;
  std::unique_ptr<PartitionSpecUpdate> spec;
  auto flush = [&] {
    if (schema) tx.Add(std::move(schema));
    if (spec) tx.Add(std::move(spec));
  };
  for (const AlterChange& c : changes) {
    if (IsSchemaChange(c.kind)) {
      if (spec) flush();
      if (!schema) schema = std::make_unique<SchemaUpdate>();
    } else if (c.kind != AlterChange::Kind::kWriteOrder) {
      if (schema) flush();
      if (!spec) spec = std::make_unique<PartitionSpecUpdate>();
    } else {
      flush();
    }
    switch (c.kind) {
      case AlterChange::Kind::kAddColumn:
        schema->AddColumn(c.column, c.type, c.required, c.doc, PositionOf(c), c.default_value);
        break;
      case AlterChange::Kind::kDropColumn: schema->DropColumn(c.column); break;
      case AlterChange::Kind::kRenameColumn: schema->RenameColumn(c.column, c.new_name); break;
      case AlterChange::Kind::kColumnType: schema->UpdateColumnType(c.column, c.type); break;
      case AlterChange::Kind::kDropNotNull: schema->MakeOptional(c.column); break;
      case AlterChange::Kind::kSetNotNull: schema->MakeRequired(c.column); break;
      case AlterChange::Kind::kColumnDoc: schema->SetDoc(c.column, c.doc.value_or("")); break;
      case AlterChange::Kind::kMoveColumn: schema->MoveColumn(c.column, PositionOf(c)); break;
      case AlterChange::Kind::kSetIdentifiers: schema->SetIdentifierFields(c.names); break;
      case AlterChange::Kind::kAddPartition: spec->AddField(c.partition); break;
      case AlterChange::Kind::kDropPartition: spec->RemoveField(c.partition); break;
      case AlterChange::Kind::kReplacePartition: spec->ReplaceField(c.partition, c.replacement); break;
      case AlterChange::Kind::kWriteOrder:
        tx.Add(std::make_unique<SortOrderUpdate>(c.order));
        break;
    }
  }
  flush();
  return tx.Commit().status();
}

}  // namespace floe::table
