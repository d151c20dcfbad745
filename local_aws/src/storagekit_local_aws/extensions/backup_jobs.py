"""AWS Backup jobs and recovery points."""

from ..latency import LatencyHook


class BackupJobsLatency(LatencyHook):
    service = "backup"
    kinds = ("backup:job",)


class BackupJobs:
    """Backup, copy and restore jobs and the recovery points they make."""

    def __init__(self, extension):
        self.extension = extension
        self.latency = BackupJobsLatency()

    def handlers(self):
        return {}

    def reset(self):
        pass

    def count_recovery_points(self, exchange, vault):
        return 0
