#!/usr/bin/env python3
"""Checks the controller's request-body writers against the request models of Oracle's Python
SDK (`oci`): every field of UpdateBackendSetDetails / BackendDetails / CreateBackendDetails /
UpdateBackendDetails (classic Load Balancer and Network Load Balancer), and of the settings
objects nested in them (health checker, SSL, session persistence, DNS health check), that a read
can carry must be in the body we write, and the body must hold no field the model lacks.

How: a backend set "as read" is generated from the SDK's read models (BackendSet, Backend,
HealthChecker, ...), every field filled, plus a member no model has at every level. The
write_bodies tool (test/sdk/write_bodies.cc) parses it with the controller's parsers and prints
the bodies its writers produce; each body's fields are compared with the SDK request model's,
recursively. A new OCI setting then fails this test instead of being dropped by a
read-modify-write.

Usage: run.sh test_write_models.py path/to/write_bodies  (run.sh picks the SDK venv)
Prints "N passed, N failed"; exits non-zero on any failure.
"""
import json
import re
import subprocess
import sys
import traceback

try:
    import oci
except ImportError as e:  # the venv is missing
    print(f"missing Python SDK ({e}): run test/sdk/install.sh (make test runs it) and use its venv python")
    print("0 passed, 1 failed")
    sys.exit(1)

UNKNOWN = "zzNotInAnyPublishedModel"
LB = oci.load_balancer.models
NLB = oci.network_load_balancer.models

# service key -> (models module, read model of a backend set, request models the writers produce)
SERVICES = {
    "loadBalancer": (LB, "BackendSet", ["UpdateBackendSetDetails", "CreateBackendDetails", "UpdateBackendDetails"]),
    "networkLoadBalancer": (NLB, "BackendSet",
                            ["UpdateBackendSetDetails", "CreateBackendDetails", "UpdateBackendDetails"]),
}


def model_class(module, type_name):
    """The model class a swagger type names ('Foo', 'list[Foo]', 'dict(str, Foo)'), or None."""
    m = re.fullmatch(r"list\[(\w+)\]|dict\(str, (\w+)\)|(\w+)", type_name)
    name = next((g for g in m.groups() if g), None) if m else None
    return getattr(module, name, None) if name else None


def sample(module, type_name, depth=0):
    """A JSON value of a swagger type with every field of a model filled."""
    if type_name.startswith("list["):
        return [sample(module, type_name[5:-1], depth)]
    if type_name.startswith("dict(str, "):
        return {"key": sample(module, type_name[10:-1], depth)}
    simple = {"str": "sample", "int": 1, "float": 1.5, "bool": True, "datetime": "2024-01-01T00:00:00.000Z",
              "object": {}}
    if type_name in simple:
        return simple[type_name]
    cls = getattr(module, type_name, None)
    if cls is None or not hasattr(cls, "swagger_types") and not hasattr(cls(), "swagger_types"):
        return "SAMPLE"  # an enumeration (DnsHealthCheckRCodes, IpVersion, ...): a string on the wire
    if depth > 6:
        raise AssertionError(f"swagger type {type_name!r} nests too deep")
    return filled(module, cls, depth + 1)


def filled(module, cls, depth=0):
    instance = cls()
    out = {instance.attribute_map[attr]: sample(module, t, depth) for attr, t in instance.swagger_types.items()}
    out[UNKNOWN] = {"a": 1}
    return out


def compare(module, body, model_name, path, problems):
    cls = getattr(module, model_name)
    instance = cls()
    wire_to_type = {instance.attribute_map[a]: t for a, t in instance.swagger_types.items()}
    if not isinstance(body, dict):
        problems.append(f"{path}: expected an object for {model_name}, got {body!r}")
        return
    for field in sorted(set(wire_to_type) - set(body)):
        problems.append(f"{path}.{field}: the SDK's {model_name} has it, our writer does not carry it")
    for field in sorted(set(body) - set(wire_to_type)):
        problems.append(f"{path}.{field}: we write it, the SDK's {model_name} has no such field")
    for field, type_name in wire_to_type.items():
        nested = model_class(module, type_name)
        if field not in body or nested is None:
            continue
        values = body[field] if type_name.startswith("list[") else [body[field]]
        for i, value in enumerate(values):
            where = f"{path}.{field}" + (f"[{i}]" if type_name.startswith("list[") else "")
            compare(module, value, nested.__name__, where, problems)


def main():
    if len(sys.argv) < 2:
        print("usage: test_write_models.py path/to/write_bodies")
        print("0 passed, 1 failed")
        return 1
    results = {"passed": 0, "failed": 0}
    try:
        read = {service: filled(module, getattr(module, read_model))
                for service, (module, read_model, _) in SERVICES.items()}
        out = subprocess.run([sys.argv[1]], input=json.dumps(read), capture_output=True, text=True, check=True,
                             timeout=60)
        bodies = json.loads(out.stdout)
    except Exception:  # noqa: BLE001 - the tool's failure is the test's
        print(f"FAIL write_bodies: {traceback.format_exc()}")
        print("0 passed, 1 failed")
        return 1
    for service, (module, _, models) in SERVICES.items():
        for model in models:
            problems = []
            try:
                compare(module, bodies[service][model], model, f"{service} {model}", problems)
            except Exception:  # noqa: BLE001
                problems.append(traceback.format_exc())
            name = f"{service} {model} carries exactly the SDK's fields (SDK {oci.__version__})"
            if problems:
                results["failed"] += 1
                print(f"FAIL {name}:\n  " + "\n  ".join(problems))
            else:
                results["passed"] += 1
                print(f"ok   {name}")
    check_public_ip_bodies(sys.argv[1], results)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


# Core networking bodies (ReservedIP controller): every member is a field of the SDK's model, and
# the model's fields the writers leave out are exactly these (definedTags: the controller sets
# freeform tags only). A field OCI adds to a model fails here until it is looked at.
PUBLIC_IP_OMITTED = {
    "CreatePublicIpDetails": {"definedTags"},
    "UpdatePublicIpDetails": {"definedTags"},
    "GetPublicIpByIpAddressDetails": set(),
}


def check_public_ip_bodies(tool, results):
    try:
        out = subprocess.run([tool, "--public-ip"], capture_output=True, text=True, check=True, timeout=60)
        bodies = json.loads(out.stdout)
    except Exception:  # noqa: BLE001
        results["failed"] += 1
        print(f"FAIL write_bodies --public-ip: {traceback.format_exc()}")
        return
    for model, omitted in PUBLIC_IP_OMITTED.items():
        fields = set(getattr(oci.core.models, model)().attribute_map.values())
        written = set(bodies[model].keys())
        name = f"core {model} writes only the SDK's fields (SDK {oci.__version__})"
        problems = []
        if written - fields:
            problems.append(f"not in the SDK model: {sorted(written - fields)}")
        if fields - written != omitted:
            problems.append(f"SDK fields not written: {sorted(fields - written)}, expected {sorted(omitted)}")
        if problems:
            results["failed"] += 1
            print(f"FAIL {name}: " + "; ".join(problems))
        else:
            results["passed"] += 1
            print(f"ok   {name}")


if __name__ == "__main__":
    sys.exit(main())
