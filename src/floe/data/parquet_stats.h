// Decoding the footer statistics of a Parquet column chunk (the plain-encoded
// min and max) into Iceberg literals of the type a scan reads the column as,
// for row-group pruning. Files of every writer come here, so a bound that
// cannot be trusted gives a null Literal, which prunes nothing: NaN, a
// decimal of another scale, unsigned values read as a signed int, a physical
// type or size that does not fit. Time units are rescaled with the bound
// rounded outward (a lower bound down, an upper one up); a zero float bound
// is widened to -0.0 / +0.0 (PARQUET-1222); promotions (int -> long,
// float -> double, date -> timestamp) are applied.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "floe/spec/literal.h"
#include "floe/spec/type.h"

namespace parquet {
class ColumnDescriptor;
}  // namespace parquet

namespace floe::data {

// One plain-encoded min (`upper` false) or max of column `col`, as a
// Literal of `t` (bounds widened outward when a unit must be rounded); a
// null Literal when it cannot be trusted or converted.
spec::Literal DecodeStat(const std::string& bytes, const parquet::ColumnDescriptor& col,
                         const spec::Type& t, bool upper);

}  // namespace floe::data
