"""Converts values read by fastavro and PyIceberg into the forms `floe inspect
--format json` prints (the spec's JSON single-value forms, hex for bytes), so
that both sides compare as plain JSON."""
import datetime
import decimal
import uuid

EPOCH_DATE = datetime.date(1970, 1, 1)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def value(v):
    """One partition value in App. D JSON form."""
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            return v.isoformat(timespec="microseconds")
        return v.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, datetime.time):
        return v.isoformat(timespec="microseconds")
    raise TypeError(f"cannot normalize {type(v)}: {v!r}")


def int_map(entries):
    """Java's array-of-{key,value} maps (fastavro) or dicts (PyIceberg)."""
    if entries is None:
        return None
    if hasattr(entries, "items"):  # PyIceberg: a dict (or dict-like) of id -> value
        return {str(k): (bytes(v).hex() if isinstance(v, (bytes, bytearray)) else v)
                for k, v in entries.items()}
    return {str(e["key"]): (bytes(e["value"]).hex() if isinstance(e["value"], (bytes, bytearray))
                            else e["value"]) for e in entries}


def hexed(b):
    return None if b is None else bytes(b).hex()
