"""Runs Flink SQL statements against a Floe catalog database through
Iceberg's Flink connector (JdbcCatalog), in PyFlink's local mini cluster.
Run by tests/interop/engines.py with the Flink virtual environment's Python
(PyFlink pins its own pyarrow, so it cannot share .venv):

    python flink_job.py '{"catalog": "c", "db": "/x/catalog.db",
                          "warehouse": "/x/warehouse", "statements": [...],
                          "queries": {"name": "SELECT ..."}}'

Statements run in streaming mode (checkpoints every second, so a streaming
insert commits several snapshots); queries run in batch mode. Prints one
JSON line per row: {"query": name, "row": {...}} with values in
`floe scan --format json` form where Flink's Python types allow (bytes as
hex, date-times with microseconds)."""
import datetime
import decimal
import json
import sys

from pyflink.common import Row
from pyflink.table import EnvironmentSettings, TableEnvironment


def plain(v):
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        return v.isoformat(timespec="microseconds")
    if isinstance(v, datetime.time):
        return v.isoformat(timespec="microseconds")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return f"{v:f}"
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, dict):
        return {plain(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, Row):
        return {k: plain(x) for k, x in v.as_dict().items()}
    return v


def arrow_rows(table):
    """The rows of `table` through Flink's Arrow transfer, as Table.to_pandas
    does but without pandas (which turns integer columns with nulls into
    floats); collect() cannot unpickle every type."""
    import pyarrow as pa
    from pyflink.java_gateway import get_gateway
    from pyflink.table.serializers import ArrowSerializer
    from pyflink.table.types import create_arrow_schema
    gateway = get_gateway()
    j_table = table._j_table
    size = j_table.getTableEnvironment().getConfig().get(
        gateway.jvm.org.apache.flink.python.PythonOptions.MAX_ARROW_BATCH_SIZE)
    batches = gateway.jvm.org.apache.flink.table.runtime.arrow.ArrowUtils \
        .collectAsPandasDataFrame(j_table, size)
    if not batches.hasNext():
        return []
    import pytz
    schema = table.get_schema()
    serializer = ArrowSerializer(
        create_arrow_schema(schema.get_field_names(), schema.get_field_data_types()),
        schema.to_row_data_type(), pytz.timezone("UTC"))
    arrow = pa.Table.from_batches(serializer.load_from_iterator(batches))
    return [{f.name: maps_as_dicts(r[f.name], f.type) for f in arrow.schema}
            for r in arrow.to_pylist()]


def maps_as_dicts(v, t):
    """Arrow maps come out of to_pylist as lists of pairs; string-keyed maps
    become objects, as `floe scan --format json` prints them."""
    import pyarrow as pa
    if v is None:
        return None
    if pa.types.is_map(t):
        pairs = [(maps_as_dicts(k, t.key_type), maps_as_dicts(x, t.item_type)) for k, x in v]
        return dict(pairs) if pa.types.is_string(t.key_type) else [list(p) for p in pairs]
    if pa.types.is_struct(t):
        return {t.field(i).name: maps_as_dicts(v[t.field(i).name], t.field(i).type)
                for i in range(t.num_fields)}
    if pa.types.is_list(t):
        return [maps_as_dicts(x, t.value_type) for x in v]
    return v


def environment(streaming, job):
    settings = (EnvironmentSettings.in_streaming_mode() if streaming
                else EnvironmentSettings.in_batch_mode())
    env = TableEnvironment.create(settings)
    conf = env.get_config()
    conf.set("parallelism.default", "1")
    conf.set("execution.checkpointing.interval", "1s")
    conf.set("table.local-time-zone", "UTC")
    env.execute_sql(
        f"CREATE CATALOG {job['catalog']} WITH ('type'='iceberg', "
        f"'catalog-impl'='org.apache.iceberg.jdbc.JdbcCatalog', "
        f"'uri'='jdbc:sqlite:{job['db']}', 'warehouse'='file://{job['warehouse']}', "
        f"'jdbc.schema-version'='V1', 'cache-enabled'='false')")
    return env


def main():
    job = json.loads(sys.argv[1])
    if job.get("statements"):
        env = environment(True, job)
        for statement in job["statements"]:
            env.execute_sql(statement).wait()
    if job.get("queries"):
        env = environment(False, job)
        for name, query in job["queries"].items():
            try:
                for record in arrow_rows(env.sql_query(query)):
                    print(json.dumps({"query": name,
                                      "row": {n: plain(v) for n, v in record.items()}}))
            except Exception as e:  # noqa: BLE001 - reported per query
                print(json.dumps({"query": name, "error": str(e).splitlines()[0][:400]}))


if __name__ == "__main__":
    main()
