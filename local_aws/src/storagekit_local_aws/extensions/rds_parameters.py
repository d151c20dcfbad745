"""Engine default parameters of RDS PostgreSQL parameter groups, as DescribeDBParameters reports them.

moto 5.2.5 lists only the parameters a user modified and ignores Source, so a client that looks
a parameter up before changing it (amazon.aws.rds_instance_param_group does) finds nothing and
refuses every change. AWS lists all of the family's parameters, each with its Source. These are a
representative set of the postgres family's parameters with AWS's defaults and attributes.
"""

# name: (default value or None, data type, apply type, allowed values)
POSTGRES_PARAMETERS = {
    "rds.force_ssl": (None, "boolean", "dynamic", "0,1"),
    "rds.logical_replication": ("0", "boolean", "static", "0,1"),
    "rds.log_retention_period": ("4320", "integer", "dynamic", "1440-10080"),
    "log_min_duration_statement": (None, "integer", "dynamic", "-1-2147483647"),
    "log_statement": (None, "string", "dynamic", "none,ddl,mod,all"),
    "log_connections": (None, "boolean", "dynamic", "0,1"),
    "log_disconnections": (None, "boolean", "dynamic", "0,1"),
    "log_lock_waits": (None, "boolean", "dynamic", "0,1"),
    "max_connections": ("LEAST({DBInstanceClassMemory/9531392},5000)", "integer", "static", "6-262143"),
    "shared_preload_libraries": ("pg_stat_statements", "list", "static", "auto_explain,pg_cron,pg_stat_statements,pgaudit"),
    "statement_timeout": (None, "integer", "dynamic", "0-2147483647"),
    "idle_in_transaction_session_timeout": (None, "integer", "dynamic", "0-2147483647"),
    "password_encryption": ("scram-sha-256", "string", "dynamic", "md5,scram-sha-256"),
    "ssl_min_protocol_version": ("TLSv1.2", "string", "dynamic", "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3"),
    "work_mem": (None, "integer", "dynamic", "64-2147483647"),
}


def engine_default_parameters(family):
    """The engine-default parameters of a parameter group family, in AWS's DescribeDBParameters shape."""
    if not (family or "").startswith("postgres"):
        return []
    major = int("".join(ch for ch in family if ch.isdigit()) or 0)
    parameters = []
    for name, (default, data_type, apply_type, allowed) in sorted(POSTGRES_PARAMETERS.items()):
        if name == "rds.force_ssl":
            default = "1" if major >= 15 else "0"  # PostgreSQL 15 made TLS the default on RDS
        parameter = {
            "ParameterName": name,
            "Description": name,
            "Source": "engine-default",
            "ApplyType": apply_type,
            "DataType": data_type,
            "AllowedValues": allowed,
            "IsModifiable": True,
            "ApplyMethod": "pending-reboot",
        }
        if default is not None:
            parameter["ParameterValue"] = default
        parameters.append(parameter)
    return parameters
