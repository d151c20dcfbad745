"""Amazon Macie: what moto 5.2.5 lacks, following the botocore service model.

moto keeps the Macie session (EnableMacie, GetMacieSession, DisableMacie) and members; these are added here:

- UpdateMacieSession (status ENABLED or PAUSED, findingPublishingFrequency) on moto's session.
- Findings publication configuration (Get/PutFindingsPublicationConfiguration): Security Hub publishing of
  classification and policy findings; by default Macie publishes policy findings only, as on AWS.
- Custom data identifiers (Create, Get, List, Delete): regex of at most 512 characters, at most 50 keywords of 3
  to 90 characters, at most 10 ignore words of 4 to 90 characters, maximumMatchDistance 1 to 300 (50 by
  default), severityLevels as given (one MEDIUM level from 1 occurrence by default), a name unique among the
  identifiers that are not deleted (ValidationException). Delete is soft as on AWS: Get still answers the
  identifier with deleted true, List leaves it out, a job cannot use it.
- Classification jobs (Create, Describe, List, Update): jobType ONE_TIME without a scheduleFrequency or
  SCHEDULED with one; bucketDefinitions or bucketCriteria, not both; samplingPercentage 1 to 100; the custom
  data identifiers it names must exist and not be deleted (ResourceNotFoundException); clientToken idempotency;
  List filters by name, jobType and jobStatus (EQ, NE). **Approximated**: a job classifies nothing. A new job is
  RUNNING (a SCHEDULED one without initialRun IDLE) and stays so; UpdateClassificationJob moves it to
  USER_PAUSED, back to RUNNING, or to CANCELLED (final; a CANCELLED or COMPLETE job answers ValidationException).
- Tags of jobs and custom data identifiers (TagResource, UntagResource, ListTagsForResource; also the tags of the
  create calls and of Describe/Get).

moto starts every account with Macie enabled; on AWS an account has no Macie session until EnableMacie, so here
a new account starts without one (GetMacieSession: ResourceNotFoundException, as moto answers after DisableMacie).

Every call but those of the session answers AccessDeniedException "Macie is not enabled." while the account has
no Macie session, as AWS does.
"""

import threading
import uuid
from datetime import datetime, timezone

from .base import BadRequest, ServiceExtension, aws_error, json_reply, rest_json_params, validate_input

OPERATIONS = {
    "UpdateMacieSession", "GetFindingsPublicationConfiguration", "PutFindingsPublicationConfiguration",
    "CreateCustomDataIdentifier", "GetCustomDataIdentifier", "ListCustomDataIdentifiers", "DeleteCustomDataIdentifier",
    "CreateClassificationJob", "DescribeClassificationJob", "ListClassificationJobs", "UpdateClassificationJob",
    "TagResource", "UntagResource", "ListTagsForResource",
}
FINAL_STATES = {"CANCELLED", "COMPLETE"}
STATUS_CHANGES = {"CANCELLED": {"RUNNING", "PAUSED", "IDLE", "USER_PAUSED"}, "USER_PAUSED": {"RUNNING", "IDLE"},
                  "RUNNING": {"USER_PAUSED", "PAUSED"}}


class Invalid(ValueError):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.status = status


def now():
    return datetime.now(timezone.utc).isoformat()


def moto_session(exchange):
    from moto.macie2.models import macie2_backends

    return macie2_backends[exchange.account_id][exchange.call.region]


def check_length(name, values, most, shortest, longest):
    if len(values) > most:
        raise Invalid("ValidationException", "{0} can have at most {1} items".format(name, most))
    for value in values:
        if not shortest <= len(value) <= longest:
            raise Invalid("ValidationException", "each of {0} must have {1} to {2} characters".format(name, shortest, longest))


def matches(criterion, job):
    value = job.get(criterion["key"])
    hit = value in (criterion.get("values") or [])
    return hit if criterion["comparator"] == "EQ" else not hit if criterion["comparator"] == "NE" else True


def install_disabled_start():
    """New moto Macie backends start without a session, as a new AWS account does."""
    from moto.macie2.models import MacieBackend

    if getattr(MacieBackend, "storagekit_disabled_start", False):
        return
    original = MacieBackend.__init__

    def init(self, region_name, account_id):
        original(self, region_name, account_id)
        self.macie_session = None

    MacieBackend.__init__ = init
    MacieBackend.storagekit_disabled_start = True


class Macie2Extension(ServiceExtension):
    service = "macie2"
    atomic = frozenset({"CreateClassificationJob", "CreateCustomDataIdentifier"})

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        install_disabled_start()
        self.reset()

    def reset(self):
        self.publication = {}  # (account, region) -> securityHubConfiguration
        self.identifiers = {}  # (account, region, id) -> identifier
        self.jobs = {}  # (account, region, id) -> job
        self.tokens = {}  # (account, region, clientToken) -> job id
        self.tags = {}  # arn -> tags

    def handle(self, exchange):
        operation = exchange.operation
        if operation not in OPERATIONS:
            return None
        try:
            params = rest_json_params(exchange, operation)
        except BadRequest as error:
            return aws_error(exchange, "ValidationException", str(error))
        problem = validate_input("macie2", operation, params)
        if problem:
            return aws_error(exchange, "ValidationException", problem)
        backend = moto_session(exchange)
        if backend.macie_session is None:
            return aws_error(exchange, "AccessDeniedException", "Macie is not enabled.", 403)
        handler = getattr(self, "_" + "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_"))
        scope = (exchange.account_id, exchange.call.region)
        try:
            with self.lock:
                return json_reply(exchange, handler(exchange, scope, params, backend))
        except Invalid as error:
            return aws_error(exchange, error.code, str(error), error.status)

    # --- session and publication ---------------------------------------------------------------

    def _update_macie_session(self, exchange, scope, params, backend):
        session = backend.macie_session
        if "status" in params:
            session["status"] = params["status"]
        if "findingPublishingFrequency" in params:
            session["findingPublishingFrequency"] = params["findingPublishingFrequency"]
        session["updatedAt"] = datetime.now(timezone.utc)
        return {}

    def _get_findings_publication_configuration(self, exchange, scope, params, backend):
        default = {"publishClassificationFindings": False, "publishPolicyFindings": True}
        return {"securityHubConfiguration": self.publication.get(scope, default)}

    def _put_findings_publication_configuration(self, exchange, scope, params, backend):
        config = params.get("securityHubConfiguration")
        if config is not None:
            self.publication[scope] = dict(config)
        return {}

    # --- custom data identifiers ---------------------------------------------------------------

    def _identifier(self, scope, identifier_id):
        found = self.identifiers.get(scope + (identifier_id,))
        if found is None:
            raise Invalid("ResourceNotFoundException", "The request failed because the specified resource wasn't found.", 404)
        return found

    def _create_custom_data_identifier(self, exchange, scope, params, backend):
        for key in ("name", "regex"):
            if not params.get(key):
                raise Invalid("ValidationException", "{0} is required".format(key))
        if len(params["regex"]) > 512:
            raise Invalid("ValidationException", "regex can have at most 512 characters")
        check_length("keywords", params.get("keywords") or [], 50, 3, 90)
        check_length("ignoreWords", params.get("ignoreWords") or [], 10, 4, 90)
        distance = params.get("maximumMatchDistance", 50)
        if not 1 <= distance <= 300:
            raise Invalid("ValidationException", "maximumMatchDistance must be from 1 to 300")
        if any(i["name"] == params["name"] and not i["deleted"] for k, i in self.identifiers.items() if k[:2] == scope):
            raise Invalid("ValidationException", "A custom data identifier named {0} already exists".format(params["name"]))
        identifier_id = uuid.uuid4().hex[:24]
        arn = "arn:aws:macie2:{1}:{0}:custom-data-identifier/{2}".format(scope[0], scope[1], identifier_id)
        identifier = dict(
            id=identifier_id, arn=arn, name=params["name"], regex=params["regex"], description=params.get("description", ""),
            keywords=params.get("keywords") or [], ignoreWords=params.get("ignoreWords") or [],
            maximumMatchDistance=distance, createdAt=now(), deleted=False,
            severityLevels=params.get("severityLevels") or [{"occurrencesThreshold": 1, "severity": "MEDIUM"}],
        )
        self.identifiers[scope + (identifier_id,)] = identifier
        self.tags[arn] = dict(params.get("tags") or {})
        return {"customDataIdentifierId": identifier_id}

    def _get_custom_data_identifier(self, exchange, scope, params, backend):
        identifier = self._identifier(scope, params["id"])
        return dict(identifier, tags=self.tags.get(identifier["arn"], {}))

    def _list_custom_data_identifiers(self, exchange, scope, params, backend):
        items = [dict((k, i[k]) for k in ("arn", "createdAt", "description", "id", "name"))
                 for key, i in sorted(self.identifiers.items()) if key[:2] == scope and not i["deleted"]]
        return self._page(items, params)

    def _delete_custom_data_identifier(self, exchange, scope, params, backend):
        self._identifier(scope, params["id"])["deleted"] = True
        return {}

    # --- classification jobs -------------------------------------------------------------------

    def _job(self, scope, job_id):
        found = self.jobs.get(scope + (job_id,))
        if found is None:
            raise Invalid("ResourceNotFoundException", "The request failed because the specified resource wasn't found.", 404)
        return found

    def _create_classification_job(self, exchange, scope, params, backend):
        token = params.get("clientToken")
        if token and scope + (token,) in self.tokens:
            job = self._job(scope, self.tokens[scope + (token,)])
            return {"jobArn": job["jobArn"], "jobId": job["jobId"]}
        for key in ("name", "jobType", "s3JobDefinition"):
            if key not in params:
                raise Invalid("ValidationException", "{0} is required".format(key))
        if (params["jobType"] == "SCHEDULED") != ("scheduleFrequency" in params):
            raise Invalid("ValidationException", "A SCHEDULED job needs a scheduleFrequency and a ONE_TIME job has none")
        definition = params["s3JobDefinition"]
        if ("bucketDefinitions" in definition) == ("bucketCriteria" in definition):
            raise Invalid("ValidationException", "Specify bucketDefinitions or bucketCriteria, not both")
        if not 1 <= params.get("samplingPercentage", 100) <= 100:
            raise Invalid("ValidationException", "samplingPercentage must be from 1 to 100")
        for identifier_id in params.get("customDataIdentifierIds") or []:
            if self._identifier(scope, identifier_id)["deleted"]:
                raise Invalid("ResourceNotFoundException", "Custom data identifier {0} was deleted".format(identifier_id), 404)
        job_id = uuid.uuid4().hex
        arn = "arn:aws:macie2:{1}:{0}:classification-job/{2}".format(scope[0], scope[1], job_id)
        status = "IDLE" if params["jobType"] == "SCHEDULED" and not params.get("initialRun") else "RUNNING"
        job = dict(params, jobId=job_id, jobArn=arn, jobStatus=status, createdAt=now(),
                   lastRunErrorStatus={"code": "NONE"}, samplingPercentage=params.get("samplingPercentage", 100),
                   managedDataIdentifierSelector=params.get("managedDataIdentifierSelector", "RECOMMENDED"))
        job.pop("tags", None)
        self.jobs[scope + (job_id,)] = job
        if token:
            self.tokens[scope + (token,)] = job_id
        self.tags[arn] = dict(params.get("tags") or {})
        return {"jobArn": arn, "jobId": job_id}

    def _describe_classification_job(self, exchange, scope, params, backend):
        job = self._job(scope, params["jobId"])
        return dict(job, tags=self.tags.get(job["jobArn"], {}))

    def _list_classification_jobs(self, exchange, scope, params, backend):
        criteria = params.get("filterCriteria") or {}
        items = []
        for key, job in sorted(self.jobs.items(), key=lambda item: item[1]["createdAt"]):
            if key[:2] != scope:
                continue
            if not all(matches(c, job) for c in criteria.get("includes") or []):
                continue
            if any(matches(c, job) for c in criteria.get("excludes") or []):
                continue
            item = dict((k, job[k]) for k in ("createdAt", "jobId", "jobStatus", "jobType", "lastRunErrorStatus", "name"))
            for k in ("bucketDefinitions", "bucketCriteria"):
                if k in job["s3JobDefinition"]:
                    item[k] = job["s3JobDefinition"][k]
            items.append(item)
        return self._page(items, params)

    def _update_classification_job(self, exchange, scope, params, backend):
        job = self._job(scope, params["jobId"])
        wanted = params["jobStatus"]
        if job["jobStatus"] in FINAL_STATES or job["jobStatus"] not in STATUS_CHANGES.get(wanted, set()):
            raise Invalid("ValidationException", "A {0} job cannot change to {1}".format(job["jobStatus"], wanted))
        job["jobStatus"] = wanted
        return {}

    # --- tags ----------------------------------------------------------------------------------

    def _tagged(self, arn):
        if arn not in self.tags:
            raise Invalid("ResourceNotFoundException", "The request failed because the specified resource wasn't found.", 404)
        return self.tags[arn]

    def _tag_resource(self, exchange, scope, params, backend):
        self._tagged(params["resourceArn"]).update(params["tags"])
        return {}

    def _untag_resource(self, exchange, scope, params, backend):
        tags = self._tagged(params["resourceArn"])
        for key in params["tagKeys"]:
            tags.pop(key, None)
        return {}

    def _list_tags_for_resource(self, exchange, scope, params, backend):
        return {"tags": dict(self._tagged(params["resourceArn"]))}

    @staticmethod
    def _page(items, params):
        start = int(params.get("nextToken") or 0)
        size = params.get("maxResults") or 100
        result = {"items": items[start:start + size]}
        if start + size < len(items):
            result["nextToken"] = str(start + size)
        return result
