"""RDS engine versions and storage limits, for what moto 5.2.5 lacks or accepts where AWS refuses.

- DescribeDBEngineVersions is not implemented in moto. AWS lists each engine's versions with their
  parameter group family; this catalogue holds a representative set of the versions AWS offers
  for the open-source engines (the newest minors of each supported major), the first of each
  major's list being its default.
- CreateDBInstance takes any EngineVersion and any AllocatedStorage in moto. AWS refuses a version
  it does not offer ("Cannot find version 99.99 for postgres") and storage outside the range of
  the engine and storage type ("Invalid storage size for engine name postgres and storage type
  gp3: 5"), both as InvalidParameterCombination. A major version alone ("16") picks that major's
  default minor, as on AWS.
"""

from .base import aws_error, page, query_reply, query_request

# engine -> {major: [minor versions, newest first]}; the parameter group family is engine + major.
VERSIONS = {
    "postgres": {
        "13": ["13.20", "13.18"],
        "14": ["14.17", "14.15"],
        "15": ["15.12", "15.10"],
        "16": ["16.8", "16.6", "16.4", "16.3"],
        "17": ["17.4", "17.2"],
    },
    "mysql": {"8.0": ["8.0.41", "8.0.40"], "8.4": ["8.4.4", "8.4.3"]},
    "mariadb": {"10.6": ["10.6.20"], "10.11": ["10.11.10"], "11.4": ["11.4.4"]},
}
DEFAULT_MAJOR = {"postgres": "17", "mysql": "8.0", "mariadb": "11.4"}
# AllocatedStorage ranges in GiB by storage type (CreateDBInstance, AllocatedStorage), the same for
# the three engines above.
STORAGE = {"gp2": (20, 65536), "gp3": (20, 65536), "io1": (100, 65536), "io2": (100, 65536), "standard": (5, 3072)}


def engine_versions(engine):
    """[(major, version)] of an engine in the catalogue, newest minor first within each major."""
    return [(major, version) for major, versions in VERSIONS.get(engine, {}).items() for version in versions]


def known_version(engine, version):
    """Whether CreateDBInstance takes ``version`` of ``engine``: a listed version, or a major alone."""
    return any(version in (major, listed) for major, listed in engine_versions(engine))


def describe_db_engine_versions(exchange):
    request = query_request(exchange)
    listed = []
    for engine in sorted(VERSIONS):
        if request.get("Engine") not in (None, engine):
            continue
        for major, version in engine_versions(engine):
            is_default = major == DEFAULT_MAJOR[engine] and version == VERSIONS[engine][major][0]
            if request.get("EngineVersion") not in (None, version):
                continue
            if request.get("DefaultOnly") and not is_default:
                continue
            listed.append({
                "Engine": engine,
                "EngineVersion": version,
                "DBParameterGroupFamily": engine + major,
                "DBEngineDescription": engine,
                "DBEngineVersionDescription": f"{engine} {version}",
                "Status": "available",
                "SupportsReadReplica": True,
            })
    items, marker = page(listed, request)
    output = {"DBEngineVersions": items}
    if marker:
        output["Marker"] = marker
    return query_reply(exchange, output)


def check_create_db_instance(exchange):
    """AWS's refusal of an engine version it does not offer or storage outside the engine's range."""
    request = query_request(exchange)
    engine = request.get("Engine", "")
    if engine not in VERSIONS:
        return None
    version = request.get("EngineVersion")
    if version and not known_version(engine, version):
        return aws_error(exchange, "InvalidParameterCombination", f"Cannot find version {version} for {engine}")
    storage_type = request.get("StorageType") or ("io1" if request.get("Iops") else "gp2")
    size = request.get("AllocatedStorage")
    low, high = STORAGE.get(storage_type, (None, None))
    if size is not None and low is not None and not low <= int(size) <= high:
        return aws_error(exchange, "InvalidParameterCombination",
                         f"Invalid storage size for engine name {engine} and storage type {storage_type}: {size}")
    return None
