#include "floe/expr/arrow_eval.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>

#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "floe/data/arrow_literal.h"
#include "floe/data/arrow_schema.h"

namespace floe::expr {

namespace {

using arrow::Datum;
using spec::Literal;
using spec::TypeId;

Status FromArrow(const arrow::Status& st, std::string_view context) {
  if (st.ok()) return Status::OK();
  return Status::Invalid(context, ": Arrow: ", st.ToString());
}

template <typename T>
Result<T> FromArrow(arrow::Result<T> r, std::string_view context) {
  if (!r.ok()) return FromArrow(r.status(), context);
  return std::move(r).ValueUnsafe();
}

// Arrow 21+ registers its compute kernels on request; once per process.
Status EnsureCompute() {
  static std::once_flag once;
  static arrow::Status status;
  std::call_once(once, [] { status = arrow::compute::Initialize(); });
  return FromArrow(status, "initializing Arrow compute");
}

// Field id -> child indexes from the batch's top level down through structs.
void IndexFields(const arrow::FieldVector& fields, std::vector<int>* path,
                 std::unordered_map<int32_t, std::vector<int>>* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    const arrow::Field& f = *fields[i];
    path->push_back(static_cast<int>(i));
    if (std::optional<int32_t> id = data::FieldIdOf(f)) out->emplace(*id, *path);
    if (f.type()->id() == arrow::Type::STRUCT) IndexFields(f.type()->fields(), path, out);
    path->pop_back();
  }
}

// The physical Arrow type the kernels see for an Iceberg type (extension
// types such as arrow.uuid are compared through their storage).
Result<std::shared_ptr<arrow::DataType>> StorageType(const spec::Type& type) {
  FLOE_ASSIGN_OR_RAISE(std::shared_ptr<arrow::DataType> t, data::ToArrowType(type));
  if (t->id() == arrow::Type::EXTENSION) {
    return static_cast<const arrow::ExtensionType&>(*t).storage_type();
  }
  return t;
}

// Literals become scalars of the column's own Arrow type through the one
// converter (data/arrow_literal.h); null when that is impossible.
std::shared_ptr<arrow::Scalar> ToScalar(const Literal& v, const spec::Type& type,
                                        const std::shared_ptr<arrow::DataType>& arrow_type) {
  auto s = data::ToArrowScalarAs(v, type, arrow_type);
  return s.ok() ? *s : nullptr;
}

const char* ComparisonFunction(Op op) {
  switch (op) {
    case Op::kLt: return "less";
    case Op::kLtEq: return "less_equal";
    case Op::kGt: return "greater";
    case Op::kGtEq: return "greater_equal";
    case Op::kEq: return "equal";
    default: return "not_equal";
  }
}

class BatchEvaluator {
 public:
  explicit BatchEvaluator(const arrow::RecordBatch& batch) : batch_(batch) {
    std::vector<int> path;
    IndexFields(batch.schema()->fields(), &path, &paths_);
  }

  // A boolean array: true, false or null (UNKNOWN) per row.
  Result<Datum> Eval(const BoundExpr& e) {
    switch (e.op()) {
      case Op::kTrue:
      case Op::kFalse:
        return Constant(e.op() == Op::kTrue);
      case Op::kAnd:
      case Op::kOr:
      case Op::kNot: {
        std::vector<Datum> args;
        for (const BoundExprPtr& c : e.children()) {
          FLOE_ASSIGN_OR_RAISE(Datum d, Eval(*c));
          args.push_back(std::move(d));
        }
        const char* fn = e.op() == Op::kAnd ? "and_kleene" : e.op() == Op::kOr ? "or_kleene"
                                                                                : "invert";
        return Call(fn, args);
      }
      default:
        return Predicate(e);
    }
  }

  Result<Datum> Constant(bool value) {
    FLOE_ASSIGN_OR_RAISE(
        std::shared_ptr<arrow::Array> array,
        FromArrow(arrow::MakeArrayFromScalar(arrow::BooleanScalar(value), batch_.num_rows()),
                  "building a constant mask"));
    return Datum(std::move(array));
  }

  Result<Datum> Call(const std::string& fn, const std::vector<Datum>& args,
                     const arrow::compute::FunctionOptions* options = nullptr) {
    return FromArrow(arrow::compute::CallFunction(fn, args, options), "evaluating " + fn);
  }

 private:
  Result<Datum> Predicate(const BoundExpr& e) {
    const BoundReference& ref = e.ref();
    FLOE_ASSIGN_OR_RAISE(Datum column, Column(ref));
    switch (e.op()) {
      case Op::kIsNull: return Call("is_null", {column});
      case Op::kNotNull: return Call("is_valid", {column});
      case Op::kIsNan:
      case Op::kNotNan: {
        // is_nan gives null for null; a null is not NaN.
        FLOE_ASSIGN_OR_RAISE(Datum nan, Call("is_nan", {column}));
        FLOE_ASSIGN_OR_RAISE(Datum known, Call("coalesce", {nan, Datum(false)}));
        return e.op() == Op::kIsNan ? known : Call("invert", {known});
      }
      case Op::kStartsWith:
      case Op::kNotStartsWith: {
        arrow::compute::MatchSubstringOptions options(e.literal().string_value());
        FLOE_ASSIGN_OR_RAISE(Datum match, Call("starts_with", {column}, &options));
        return e.op() == Op::kStartsWith ? match : Call("invert", {match});
      }
      case Op::kIn:
      case Op::kNotIn: {
        FLOE_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Array> set, ValueSet(e, column.type()));
        arrow::compute::SetLookupOptions options(set,
                                                 arrow::compute::SetLookupOptions::EMIT_NULL);
        FLOE_ASSIGN_OR_RAISE(Datum found, Call("is_in", {column}, &options));
        return e.op() == Op::kIn ? found : Call("invert", {found});
      }
      default: {
        std::shared_ptr<arrow::Scalar> s = ToScalar(e.literal(), *ref.type, column.type());
        if (!s) {
          return Status::Invalid("cannot compare ", ref.name, " (", ref.type->ToString(), ")");
        }
        return Call(ComparisonFunction(e.op()), {column, Datum(std::move(s))});
      }
    }
  }

  // The literals as an Arrow array for is_in. Arrow hashes floats by their
  // bits, so -0.0 is added next to 0.0 to keep IEEE equality.
  Result<std::shared_ptr<arrow::Array>> ValueSet(const BoundExpr& e,
                                                 const std::shared_ptr<arrow::DataType>& type) {
    std::unique_ptr<arrow::ArrayBuilder> builder;
    FLOE_RETURN_NOT_OK(FromArrow(arrow::MakeBuilder(arrow::default_memory_pool(), type, &builder),
                                 "building an in-list"));
    const spec::Type& t = *e.ref().type;
    std::vector<Literal> values = e.literals();
    for (const Literal& v : e.literals()) {
      if (t.id() == TypeId::kFloat && v.float_value() == 0) {
        values.push_back(Literal::Float(-0.0f));
      }
      if (t.id() == TypeId::kDouble && v.double_value() == 0) {
        values.push_back(Literal::Double(-0.0));
      }
    }
    for (const Literal& v : values) {
      std::shared_ptr<arrow::Scalar> s = ToScalar(v, t, type);
      if (!s) return Status::Invalid("cannot build an in-list for ", t.ToString());
      FLOE_RETURN_NOT_OK(FromArrow(builder->AppendScalar(*s), "building an in-list"));
    }
    return FromArrow(builder->Finish(), "building an in-list");
  }

  // The column of `ref` as the Arrow storage type of its Iceberg type.
  Result<Datum> Column(const BoundReference& ref) {
    if (auto it = columns_.find(ref.field_id); it != columns_.end()) return it->second;
    auto path = paths_.find(ref.field_id);
    if (path == paths_.end()) {
      return Status::Invalid("column ", ref.name, " (field id ", ref.field_id,
                             ") is not in the record batch: no field has PARQUET:field_id ",
                             ref.field_id);
    }
    std::shared_ptr<arrow::Array> array = batch_.column(path->second[0]);
    for (size_t i = 1; i < path->second.size(); ++i) {
      const auto& parent = static_cast<const arrow::StructArray&>(*array);
      // Flattening merges the struct's nulls into the child's.
      FLOE_ASSIGN_OR_RAISE(array, FromArrow(parent.GetFlattenedField(path->second[i]),
                                            "reading column " + ref.name));
    }
    if (array->type_id() == arrow::Type::EXTENSION) {
      array = static_cast<const arrow::ExtensionArray&>(*array).storage();
    }
    FLOE_ASSIGN_OR_RAISE(std::shared_ptr<arrow::DataType> want, StorageType(*ref.type));
    Datum column(array);
    if (!array->type()->Equals(*want)) {
      FLOE_ASSIGN_OR_RAISE(column, FromArrow(arrow::compute::Cast(column, want),
                                             "casting column " + ref.name + " from " +
                                                 array->type()->ToString() + " to " +
                                                 want->ToString()));
    }
    columns_.emplace(ref.field_id, column);
    return column;
  }

  const arrow::RecordBatch& batch_;
  std::unordered_map<int32_t, std::vector<int>> paths_;
  std::unordered_map<int32_t, Datum> columns_;
};

}  // namespace

Result<std::shared_ptr<arrow::BooleanArray>> EvaluateMask(const BoundExpr& filter,
                                                          const arrow::RecordBatch& batch) {
  FLOE_RETURN_NOT_OK(EnsureCompute());
  BatchEvaluator eval(batch);
  FLOE_ASSIGN_OR_RAISE(Datum result, eval.Eval(filter));
  // UNKNOWN drops the row, as FALSE does.
  if (result.null_count() > 0) {
    FLOE_ASSIGN_OR_RAISE(result, eval.Call("coalesce", {result, Datum(false)}));
  }
  return std::static_pointer_cast<arrow::BooleanArray>(result.make_array());
}

Result<std::shared_ptr<arrow::RecordBatch>> FilterBatch(const BoundExpr& filter,
                                                        const arrow::RecordBatch& batch) {
  FLOE_ASSIGN_OR_RAISE(std::shared_ptr<arrow::BooleanArray> mask, EvaluateMask(filter, batch));
  if (mask->true_count() == batch.num_rows()) {
    return arrow::RecordBatch::Make(batch.schema(), batch.num_rows(), batch.columns());
  }
  FLOE_ASSIGN_OR_RAISE(Datum out, FromArrow(arrow::compute::Filter(Datum(batch.Slice(0)), mask),
                                            "filtering a record batch"));
  return out.record_batch();
}

}  // namespace floe::expr
