"""ACM: what moto 5.2.5 gets wrong, following the botocore service model.

- A DNS-validated certificate is issued after the "acm:certificate" latency (0 by default:
  issued at the first read after the request); moto waits MOTO_ACM_VALIDATION_WAIT (60 s).
- SubjectAlternativeNames and DomainValidationOptions keep the requested order, domain name
  first (moto returns them in set order), and each domain has its own validation CNAME (moto
  gives every domain the same token).
- A pending certificate has no IssuedAt, NotBefore, NotAfter or Serial; CreatedAt is the time
  of the request.
- DeleteCertificate refuses a certificate a CloudFront distribution uses (ResourceInUseException).
- RequestCertificate with an IdempotencyToken bound (within its hour) to a certificate deleted
  since fails with a server error in moto (KeyError); ACM answers a token within the hour with
  the ARN it is bound to, and so does this module. Requests run one at a time, so two concurrent
  requests with one token get one certificate.
"""

import datetime
import hashlib
import threading

from ..latency import LatencyHook
from .base import ServiceExtension, aws_error, json_reply

ISSUED_ONLY = ("IssuedAt", "NotBefore", "NotAfter", "Serial")


def moto_backend(exchange):
    from moto.acm.models import acm_backends

    return acm_backends[exchange.account_id][exchange.call.region]


def moto_certificate(exchange, arn):
    return moto_backend(exchange)._certificates.get(arn)


def validation_record(arn, domain):
    """The CNAME ACM asks for: one per domain (a wildcard shares its base domain's record)."""
    base = domain[2:] if domain.startswith("*.") else domain
    token = hashlib.sha256(f"{arn}/{base}".encode()).hexdigest()
    return {"Name": f"_{token[:32]}.{base}.", "Type": "CNAME",
            "Value": f"_{token[32:]}.{token[:10]}.acm-validations.aws."}


class ACMExtension(ServiceExtension):
    service = "acm"
    atomic = frozenset({"RequestCertificate"})

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self.certificates = {}  # ARN -> {"names": [...], "created": epoch, "issued": epoch}
        self.latency_hooks = [ACMLatency(self)]

    def reset(self):
        with self._lock:
            self.certificates.clear()

    def handle(self, exchange):
        if exchange.operation == "RequestCertificate":
            return self.token_of_a_deleted_certificate(exchange)
        if exchange.operation != "DeleteCertificate":
            return None
        arn = exchange.request_json().get("CertificateArn", "")
        cert = moto_certificate(exchange, arn)
        if cert is not None and cert.in_use_by:
            return aws_error(exchange, "ResourceInUseException",
                             f"Certificate {arn} in account {exchange.account_id} is in use.")
        return None

    @staticmethod
    def token_of_a_deleted_certificate(exchange):
        """The ARN a token is bound to when its certificate was deleted since; None to let moto answer."""
        token = exchange.request_json().get("IdempotencyToken")
        backend = moto_backend(exchange)
        arn = backend._get_arn_from_idempotency_token(token) if token else None
        if arn is None or arn in backend._certificates:
            return None
        return json_reply(exchange, {"CertificateArn": arn})

    def rewrite(self, exchange):
        if exchange.reply.status != 200:
            return
        data = exchange.reply.json() or {}
        if exchange.operation == "RequestCertificate":
            request = exchange.request_json()
            names = [request["DomainName"]]
            names += [n for n in request.get("SubjectAlternativeNames", []) if n not in names]
            with self._lock:
                self.certificates.setdefault(data["CertificateArn"], {
                    "names": names, "created": datetime.datetime.now(datetime.timezone.utc).timestamp()})
        elif exchange.operation == "DescribeCertificate":
            self.fix(data["Certificate"])
            exchange.reply.set_json(data)
        elif exchange.operation == "ListCertificates":
            for summary in data.get("CertificateSummaryList", []):
                self.fix(summary)
            exchange.reply.set_json(data)

    def fix(self, certificate):
        """Put the requested order, per-domain records and true dates into a moto answer."""
        with self._lock:
            known = self.certificates.get(certificate["CertificateArn"])
        if known is None:  # imported, or requested before a reset
            return
        arn, names = certificate["CertificateArn"], known["names"]
        certificate["CreatedAt"] = known["created"]
        if certificate["Status"] == "ISSUED":
            certificate["IssuedAt"] = known.get("issued", known["created"])
        else:
            for key in ISSUED_ONLY:
                certificate.pop(key, None)
        if "SubjectAlternativeNames" in certificate:
            certificate["SubjectAlternativeNames"] = list(names)
        if "SubjectAlternativeNameSummaries" in certificate or "DomainValidationOptions" not in certificate:
            certificate["SubjectAlternativeNameSummaries"] = list(names)
        options = {o["DomainName"]: o for o in certificate.get("DomainValidationOptions", [])}
        if options:
            certificate["DomainValidationOptions"] = [
                dict(options[name], ResourceRecord=validation_record(arn, name)) for name in names if name in options]


class ACMLatency(LatencyHook):
    """A requested certificate stays PENDING_VALIDATION for the "acm:certificate" latency.

    moto issues a certificate once MOTO_ACM_VALIDATION_WAIT seconds passed since its creation
    time, so that time is set back to make moto issue it after the latency instead.
    """

    service = "acm"
    kinds = ("acm:certificate",)

    def __init__(self, extension):
        self.extension = extension

    def observe(self, exchange, model):
        if exchange.operation != "RequestCertificate" or exchange.reply.status != 200:
            return
        from moto import settings
        from moto.core.utils import utcnow

        arn = exchange.reply.json()["CertificateArn"]
        cert = moto_certificate(exchange, arn)
        seconds = model.seconds("acm:certificate")
        if cert is None or cert.status != "PENDING_VALIDATION":
            return
        cert.created_at = utcnow() - datetime.timedelta(seconds=settings.ACM_VALIDATION_WAIT - seconds)
        with self.extension._lock:
            known = self.extension.certificates.get(arn)
            if known is not None:
                known["issued"] = known["created"] + seconds
