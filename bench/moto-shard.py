"""
A moto_server (moto 5.2.1, the one preinstalled for the tests) with one extra route for the
collect benchmark: POST /roleshift-bench/seed-account seeds the IAM estate of one account
inside the server process.

Why: seeding 1,000 accounts x 100 users through the API costs about 350 calls per account at
about 7 ms of moto's time each (some 40 minutes); the same operations on moto's own models cost
well under a millisecond per user. The estate is the one test/harness/seed-org.ts seeds through
the API (people with passwords, group membership and virtual MFA, machine users with a key and
an inline policy, a customer managed policy attached to every fifth), and every answer the scan
reads afterwards comes from moto's real request handlers. Everything else is moto_server.

usage: python bench/moto-shard.py PORT
"""
import json
import sys

from moto.iam.models import iam_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

SEED_PATH = "/roleshift-bench/seed-account"
PARTITION = "aws"
REGION = "us-east-1"


def policy(statement):
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def seed_account(account_id, users, audit_trust):
    iam = iam_backends[account_id][PARTITION]
    iam.create_group("developers", "/")
    read_buckets = iam.create_policy(
        description="",
        path="/",
        policy_document=policy(
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::*"}
        ),
        policy_name="read-buckets",
        tags=[],
    )
    deploy = policy({"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::bucket-{account_id}/*"})
    for index in range(users):
        person = index % 3 == 0
        name = f"person-{index}" if person else f"svc-{index}"
        path = "/people/" if person else "/machines/"
        iam.create_user(REGION, name, path, [{"Key": "team", "Value": f"team-{index % 4}"}])
        if person:
            iam.create_login_profile(name, "Correct-Horse-Battery-9")
            iam.add_user_to_group("developers", name)
            if index % 2 == 0:
                device = iam.create_virtual_mfa_device(f"{name}-mfa", "/")
                iam.enable_mfa_device(name, device.serial_number, "123456", "654321")
        else:
            iam.create_access_key(name)
            iam.put_user_policy(name, "deploy", deploy)
            if index % 5 == 0:
                iam.attach_user_policy(read_buckets.arn, name)
    if audit_trust is not None:
        iam.create_role(
            role_name="RoleshiftAudit",
            assume_role_policy_document=audit_trust,
            path="/",
            permissions_boundary=None,
            description="",
            tags=[],
            max_session_duration=None,
        )


class BenchApp:
    def __init__(self):
        self.moto = DomainDispatcherApplication(create_backend_app)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != SEED_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.moto(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length))
        try:
            seed_account(request["accountId"], int(request["users"]), request.get("auditTrust"))
        except Exception as error:  # the benchmark reports it and stops
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [f"{type(error).__name__}: {error}".encode()]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]


if __name__ == "__main__":
    server = make_server("127.0.0.1", int(sys.argv[1]), BenchApp(), threaded=True)
    print("ready", flush=True)
    server.serve_forever()
