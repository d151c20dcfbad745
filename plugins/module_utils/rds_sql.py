# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Signing in to an RDS PostgreSQL instance as its application does: psycopg, TLS verify-full, the master user.

psycopg is needed only by the modules' SQL checks; a run without them works without it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    import psycopg

    HAS_PSYCOPG = True
except ImportError:
    psycopg = None
    HAS_PSYCOPG = False

from ansible.module_utils.basic import missing_required_lib


def require_psycopg(module):
    """Fail the module when psycopg is not installed."""
    if not HAS_PSYCOPG:
        module.fail_json(msg=missing_required_lib("psycopg"))


def master_connector(db, password, database, ca_bundle):
    """A function that opens a connection to the DB instance ``db`` (DescribeDBInstances) as its master user,
    over TLS that checks the server's certificate and name against ``ca_bundle``."""
    def connect():
        return psycopg.connect(host=db["Endpoint"]["Address"], port=db["Endpoint"]["Port"], dbname=database,
                               user=db["MasterUsername"], password=password, sslmode="verify-full",
                               sslrootcert=ca_bundle, connect_timeout=10, autocommit=True)
    return connect
