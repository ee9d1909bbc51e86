#!/usr/bin/env python3
"""Proves the OCI simulator speaks OCI's wire API: Oracle's official Python SDK (`oci`) drives
every operation the simulator implements and must parse each answer into the expected models.

Usage: run.sh test_simulator_fidelity.py [path/to/oci-sim]  (or OCI_SIM_BINARY)
Prints "N passed, N failed"; exits non-zero on any failure.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import ssl

try:
    import oci
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
except ImportError as e:  # the venv is missing
    print(f"missing Python SDK ({e}): run test/sdk/install.sh (make test runs it) and use its venv python")
    print("0 passed, 1 failed")
    sys.exit(1)

LB = "ocid1.loadbalancer.oc1.phx.pyfidelity"
NLB = "ocid1.networkloadbalancer.oc1.phx.pyfidelity"
COMPARTMENT = "ocid1.compartment.oc1..pyfidelity"
TENANCY = "ocid1.tenancy.oc1..pyfid"


def start_sim(binary, workdir):
    ready = os.path.join(workdir, "ready")
    ca = os.path.join(workdir, "ca.pem")
    proc = subprocess.Popen([binary, "--port=0", f"--ready-file={ready}", f"--tls-ca-out={ca}",
                             "--work-request-latency-ms=300"])
    deadline = time.time() + 20
    while not os.path.exists(ready):
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("oci-sim did not start")
        time.sleep(0.02)
    with open(ready) as f:
        port = int(f.read().strip())
    return proc, f"https://127.0.0.1:{port}", ca


def new_key(user):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pub = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.MD5())
    digest.update(der)
    fingerprint = ":".join(f"{b:02x}" for b in digest.finalize())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    config = {"user": user, "tenancy": TENANCY, "fingerprint": fingerprint, "key_content": pem,
              "region": "us-phoenix-1"}
    return config, f"{TENANCY}/{user}/{fingerprint}", pub


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OCI_SIM_BINARY", "")
    if not binary or not os.path.exists(binary):
        print(f"oci-sim binary not found (argument or OCI_SIM_BINARY): {binary!r}")
        print("0 passed, 1 failed")
        return 1
    with tempfile.TemporaryDirectory() as workdir:
        proc, url, ca = start_sim(binary, workdir)
        try:
            return run(url, ca)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def run(url, ca):
    ctx = ssl.create_default_context(cafile=ca)

    def control(method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, context=ctx) as resp:
            text = resp.read().decode()
            return json.loads(text) if text else None

    good_cfg, good_id, good_pub = new_key("ocid1.user.oc1..pyfid")
    rogue_cfg, _, _ = new_key("ocid1.user.oc1..unregistered")
    control("PUT", "/_sim/keys", {"keyId": good_id, "publicKeyPem": good_pub})
    hc = {"protocol": "HTTP", "urlPath": "/healthz", "port": 10256, "returnCode": 200, "retries": 3,
          "timeoutInMillis": 3000, "intervalInMillis": 10000}
    control("PUT", "/_sim/state", {
        "loadBalancers": [{
            "id": LB, "compartmentId": COMPARTMENT, "displayName": "py-lb",
            "ipAddresses": [{"ipAddress": "129.146.1.1", "isPublic": True}],
            "backendSets": {"web": {"policy": "ROUND_ROBIN", "healthChecker": hc,
                                    "sessionPersistenceConfiguration": {"cookieName": "X", "disableFallback": True},
                                    "backends": [{"ipAddress": "10.0.0.1", "port": 30080}]}}}],
        "networkLoadBalancers": [{
            "id": NLB, "compartmentId": COMPARTMENT, "displayName": "py-nlb",
            "backendSets": {"udp": {"policy": "THREE_TUPLE", "healthChecker": {"protocol": "UDP", "port": 53},
                                    "backends": [{"ipAddress": "10.0.1.1", "port": 53}]}}}],
        "instances": [{"id": f"ocid1.instance.oc1.phx.p{i}", "compartmentId": COMPARTMENT,
                       "displayName": f"py-{i}", "availabilityDomain": "Uocm:PHX-AD-1",
                       "faultDomain": f"FAULT-DOMAIN-{i}", "shape": "VM.Standard.A1.Flex",
                       "vnics": [{"id": f"ocid1.vnic.oc1.phx.pv{i}", "privateIp": f"10.0.2.{i}",
                                  "ipv6Addresses": [f"fd00::{i}"]}]} for i in (1, 2, 3)],
    })

    def client(cls, cfg):
        c = cls(cfg, service_endpoint=url, retry_strategy=oci.retry.NoneRetryStrategy())
        c.base_client.session.verify = ca
        # REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE in the environment would override session.verify.
        c.base_client.session.trust_env = False
        return c

    lbc = client(oci.load_balancer.LoadBalancerClient, good_cfg)
    nlbc = client(oci.network_load_balancer.NetworkLoadBalancerClient, good_cfg)
    compute = client(oci.core.ComputeClient, good_cfg)
    vcn = client(oci.core.VirtualNetworkClient, good_cfg)
    rogue = client(oci.load_balancer.LoadBalancerClient, rogue_cfg)

    results = {"passed": 0, "failed": 0}

    def test(name, fn):
        try:
            fn()
            results["passed"] += 1
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 - report every failure and continue
            results["failed"] += 1
            print(f"FAIL {name}: {traceback.format_exc()}")

    def eq(actual, expected, what):
        if actual != expected:
            raise AssertionError(f"{what}: got {actual!r}, want {expected!r}")

    def expect_error(fn, status, code, what):
        try:
            fn()
        except oci.exceptions.ServiceError as e:
            eq(e.status, status, f"{what} status")
            if code:
                eq(e.code, code, f"{what} code")
            return e
        raise AssertionError(f"{what}: expected HTTP {status}, got success")

    def wait_lb(wr_id):
        for _ in range(100):
            wr = lbc.get_work_request(wr_id).data
            if wr.lifecycle_state in ("SUCCEEDED", "FAILED"):
                return wr
            time.sleep(0.05)
        raise AssertionError(f"work request {wr_id} did not finish")

    def wait_nlb(wr_id):
        for _ in range(100):
            wr = nlbc.get_work_request(wr_id).data
            if wr.status in ("SUCCEEDED", "FAILED"):
                return wr
            time.sleep(0.05)
        raise AssertionError(f"work request {wr_id} did not finish")

    LbModels = oci.load_balancer.models
    NlbModels = oci.network_load_balancer.models

    def lb_reads():
        lb = lbc.get_load_balancer(LB).data
        eq((lb.id, lb.display_name, lb.lifecycle_state, lb.ip_addresses[0].ip_address),
           (LB, "py-lb", "ACTIVE", "129.146.1.1"), "load balancer")
        bs = lbc.get_backend_set(LB, "web").data
        eq((bs.policy, bs.health_checker.url_path, bs.session_persistence_configuration.cookie_name),
           ("ROUND_ROBIN", "/healthz", "X"), "backend set")
        eq([(b.name, b.weight, b.backup) for b in bs.backends], [("10.0.0.1:30080", 1, False)], "backends")
    test("LB GetLoadBalancer / GetBackendSet", lb_reads)

    def lb_update():
        details = LbModels.UpdateBackendSetDetails(
            policy="ROUND_ROBIN", health_checker=LbModels.HealthCheckerDetails(**{
                "protocol": "HTTP", "url_path": "/healthz", "port": 10256}),
            backends=[LbModels.BackendDetails(ip_address="10.0.0.1", port=30080),
                      LbModels.BackendDetails(ip_address="10.0.0.2", port=30080, weight=3)])
        r = lbc.update_backend_set(details, LB, "web")
        wr_id = r.headers["opc-work-request-id"]
        e = expect_error(lambda: lbc.create_backend(
            LbModels.CreateBackendDetails(ip_address="10.0.0.5", port=30080), LB, "web"),
            409, "IncorrectState", "concurrent write")
        if "Invalid State Transition" not in e.message:
            raise AssertionError(e.message)
        wr = wait_lb(wr_id)
        eq((wr.lifecycle_state, wr.type, wr.load_balancer_id), ("SUCCEEDED", "UpdateBackendSet", LB), "work request")
        bs = lbc.get_backend_set(LB, "web").data
        eq(sorted((b.name, b.weight) for b in bs.backends), [("10.0.0.1:30080", 1), ("10.0.0.2:30080", 3)], "after")
        eq(bs.session_persistence_configuration, None, "PUT cleared the omitted optional setting")
    test("LB UpdateBackendSet + concurrent 409 + work request", lb_update)

    def lb_backends():
        r = lbc.create_backend(LbModels.CreateBackendDetails(ip_address="10.0.0.9", port=30080, weight=4), LB, "web")
        eq(wait_lb(r.headers["opc-work-request-id"]).lifecycle_state, "SUCCEEDED", "create")
        expect_error(lambda: lbc.create_backend(LbModels.CreateBackendDetails(ip_address="10.0.0.9", port=30080),
                                                LB, "web"), 409, "Conflict", "duplicate")
        eq(sorted(b.name for b in lbc.list_backends(LB, "web").data),
           ["10.0.0.1:30080", "10.0.0.2:30080", "10.0.0.9:30080"], "list")
        b = lbc.get_backend(LB, "web", "10.0.0.9:30080").data
        eq((b.ip_address, b.port, b.weight), ("10.0.0.9", 30080, 4), "get")
        r = lbc.update_backend(LbModels.UpdateBackendDetails(weight=2, backup=False, drain=False, offline=True),
                               LB, "web", "10.0.0.9:30080")
        eq(wait_lb(r.headers["opc-work-request-id"]).lifecycle_state, "SUCCEEDED", "update")
        eq(lbc.get_backend(LB, "web", "10.0.0.9:30080").data.offline, True, "offline")
        r = lbc.delete_backend(LB, "web", "10.0.0.9:30080")
        eq(wait_lb(r.headers["opc-work-request-id"]).lifecycle_state, "SUCCEEDED", "delete")
        expect_error(lambda: lbc.get_backend(LB, "web", "10.0.0.9:30080"), 404, "NotAuthorizedOrNotFound", "gone")
        wrs = lbc.list_work_requests(LB).data
        eq(len(wrs), 4, "work requests")
        eq({w.lifecycle_state for w in wrs}, {"SUCCEEDED"}, "states")
    test("LB backends CRUD + ListWorkRequests", lb_backends)

    test("LB wrong key -> 401", lambda: expect_error(lambda: rogue.get_load_balancer(LB), 401,
                                                      "NotAuthenticated", "rogue"))

    def nlb_all():
        n = nlbc.get_network_load_balancer(NLB).data
        eq((n.id, n.lifecycle_state), (NLB, "ACTIVE"), "nlb")
        bs = nlbc.get_backend_set(NLB, "udp").data
        eq((bs.policy, bs.health_checker.protocol), ("THREE_TUPLE", "UDP"), "set")
        r = nlbc.update_backend_set(
            network_load_balancer_id=NLB, backend_set_name="udp",
            update_backend_set_details=NlbModels.UpdateBackendSetDetails(
                backends=[NlbModels.BackendDetails(ip_address="10.0.1.1", port=53),
                          NlbModels.BackendDetails(target_id="ocid1.instance.oc1.phx.p2", port=53)]))
        eq(r.status, 202, "status")
        eq(nlbc.get_network_load_balancer(NLB).data.lifecycle_state, "UPDATING", "updating")
        wr = wait_nlb(r.headers["opc-work-request-id"])
        eq((wr.status, wr.operation_type), ("SUCCEEDED", "UPDATE_BACKENDSET"), "work request")
        eq([b.name for b in nlbc.list_backends(NLB, "udp").data.items],
           ["10.0.1.1:53", "ocid1.instance.oc1.phx.p2:53"], "backends")
        r = nlbc.create_backend(
            network_load_balancer_id=NLB, backend_set_name="udp",
            create_backend_details=NlbModels.CreateBackendDetails(ip_address="10.0.1.7", port=53, is_backup=True))
        eq(wait_nlb(r.headers["opc-work-request-id"]).status, "SUCCEEDED", "create")
        eq(nlbc.get_backend(NLB, "udp", "10.0.1.7:53").data.is_backup, True, "get")
        r = nlbc.update_backend(network_load_balancer_id=NLB, backend_set_name="udp", backend_name="10.0.1.7:53",
                                update_backend_details=NlbModels.UpdateBackendDetails(weight=9))
        eq(wait_nlb(r.headers["opc-work-request-id"]).status, "SUCCEEDED", "update")
        eq(nlbc.get_backend(NLB, "udp", "10.0.1.7:53").data.weight, 9, "weight")
        r = nlbc.delete_backend(NLB, "udp", "10.0.1.7:53")
        eq(wait_nlb(r.headers["opc-work-request-id"]).status, "SUCCEEDED", "delete")
        eq(nlbc.list_work_request_errors(r.headers["opc-work-request-id"], COMPARTMENT).data.items, [], "no errors")
        items = nlbc.list_work_requests(COMPARTMENT).data.items
        eq(len(items), 4, "work requests")
    test("NLB everything", nlb_all)

    def compute_all():
        i = compute.get_instance("ocid1.instance.oc1.phx.p2").data
        eq((i.display_name, i.fault_domain, i.shape, i.lifecycle_state), ("py-2", "FAULT-DOMAIN-2",
                                                                          "VM.Standard.A1.Flex", "RUNNING"), "instance")
        first = compute.list_instances(COMPARTMENT, limit=2)
        eq([x.display_name for x in first.data], ["py-1", "py-2"], "page 1")
        second = compute.list_instances(COMPARTMENT, limit=2, page=first.next_page)
        eq(([x.display_name for x in second.data], second.has_next_page), (["py-3"], False), "page 2")
        all_items = oci.pagination.list_call_get_all_results(compute.list_instances, COMPARTMENT, limit=1).data
        eq(len(all_items), 3, "all pages")
        att = compute.list_vnic_attachments(COMPARTMENT, instance_id="ocid1.instance.oc1.phx.p3").data
        eq([a.vnic_id for a in att], ["ocid1.vnic.oc1.phx.pv3"], "attachments")
        v = vcn.get_vnic("ocid1.vnic.oc1.phx.pv3").data
        eq((v.private_ip, v.ipv6_addresses, v.is_primary), ("10.0.2.3", ["fd00::3"], True), "vnic")
    test("Compute everything", compute_all)

    CoreModels = oci.core.models
    control("POST", "/_sim/state", {
        "subnets": [{"id": "ocid1.subnet.oc1.phx.pypods", "cidrBlock": "10.0.10.0/24", "compartmentId": COMPARTMENT}],
        "privateIps": [{"id": f"ocid1.privateip.oc1.phx.py{i}", "ipAddress": f"10.0.10.{i}",
                        "subnetId": "ocid1.subnet.oc1.phx.pypods", "vnicId": "ocid1.vnic.oc1.phx.pv1"} for i in (5, 6)],
        "publicIpPools": [{"id": "ocid1.publicippool.oc1.phx.py", "compartmentId": COMPARTMENT,
                           "cidrBlocks": ["192.0.2.0/30"]}],
    })

    def wait_ip(ip_id, state):
        for _ in range(100):
            ip = vcn.get_public_ip(ip_id).data
            if ip.lifecycle_state == state:
                return ip
            time.sleep(0.02)
        raise AssertionError(f"public IP {ip_id} never reached {state}")

    def public_ip_lifecycle():
        details = CoreModels.CreatePublicIpDetails(
            compartment_id=COMPARTMENT, lifetime="RESERVED", display_name="ns/rip",
            freeform_tags={"k8s-reservedip-uid": "u1"}, public_ip_pool_id="ocid1.publicippool.oc1.phx.py")
        created = vcn.create_public_ip(details, opc_retry_token="py-token-1").data
        eq((created.lifecycle_state, created.lifetime, created.scope, created.public_ip_pool_id),
           ("PROVISIONING", "RESERVED", "REGION", "ocid1.publicippool.oc1.phx.py"), "created")
        if not created.ip_address.startswith("192.0.2."):
            raise AssertionError(f"address {created.ip_address} is not from the pool")
        again = vcn.create_public_ip(details, opc_retry_token="py-token-1").data
        eq(again.id, created.id, "a retried create answers with the same public IP")
        wait_ip(created.id, "AVAILABLE")
        pool = vcn.get_public_ip_pool("ocid1.publicippool.oc1.phx.py").data
        eq(pool.cidr_blocks, ["192.0.2.0/30"], "pool")

        assigned = vcn.update_public_ip(created.id, CoreModels.UpdatePublicIpDetails(
            private_ip_id="ocid1.privateip.oc1.phx.py5")).data
        eq((assigned.lifecycle_state, assigned.private_ip_id, assigned.assigned_entity_type),
           ("ASSIGNING", "ocid1.privateip.oc1.phx.py5", "PRIVATE_IP"), "assigning")
        wait_ip(created.id, "ASSIGNED")
        by_address = vcn.get_public_ip_by_ip_address(
            CoreModels.GetPublicIpByIpAddressDetails(ip_address=created.ip_address)).data
        eq(by_address.id, created.id, "GetPublicIpByIpAddress")
        by_private = vcn.get_public_ip_by_private_ip_id(
            CoreModels.GetPublicIpByPrivateIpIdDetails(private_ip_id="ocid1.privateip.oc1.phx.py5")).data
        eq(by_private.id, created.id, "GetPublicIpByPrivateIpId")

        other = vcn.create_public_ip(CoreModels.CreatePublicIpDetails(
            compartment_id=COMPARTMENT, lifetime="RESERVED")).data
        wait_ip(other.id, "AVAILABLE")
        expect_error(lambda: vcn.update_public_ip(other.id, CoreModels.UpdatePublicIpDetails(
            private_ip_id="ocid1.privateip.oc1.phx.py5")), 409, "Conflict", "one public IP per private IP")
        listed = vcn.list_public_ips(scope="REGION", compartment_id=COMPARTMENT, lifetime="RESERVED", limit=1)
        eq(len(listed.data), 1, "first page")
        if not listed.next_page:
            raise AssertionError("ListPublicIps did not page")
        everything = oci.pagination.list_call_get_all_results(
            vcn.list_public_ips, scope="REGION", compartment_id=COMPARTMENT, lifetime="RESERVED").data
        eq(sorted(ip.id for ip in everything), sorted([created.id, other.id]), "all pages")

        moved = vcn.update_public_ip(created.id, CoreModels.UpdatePublicIpDetails(
            private_ip_id="ocid1.privateip.oc1.phx.py6")).data
        eq(moved.lifecycle_state, "ASSIGNING", "move")
        eq(wait_ip(created.id, "ASSIGNED").private_ip_id, "ocid1.privateip.oc1.phx.py6", "moved")
        vcn.update_public_ip(created.id, CoreModels.UpdatePublicIpDetails(private_ip_id=""))
        unassigned = wait_ip(created.id, "AVAILABLE")
        eq(unassigned.private_ip_id, None, "unassigned")
        vcn.delete_public_ip(created.id)
        eq(vcn.get_public_ip(created.id).data.lifecycle_state, "TERMINATING", "deleting")
        wait_ip(created.id, "TERMINATED")
        expect_error(lambda: vcn.get_public_ip_by_ip_address(
            CoreModels.GetPublicIpByIpAddressDetails(ip_address=created.ip_address)), 404,
            "NotAuthorizedOrNotFound", "a released address")
    test("Core public IP create / assign / move / unassign / delete", public_ip_lifecycle)

    def private_ips_and_subnet():
        found = vcn.list_private_ips(ip_address="10.0.10.6", subnet_id="ocid1.subnet.oc1.phx.pypods").data
        eq([(p.id, p.vnic_id) for p in found], [("ocid1.privateip.oc1.phx.py6", "ocid1.vnic.oc1.phx.pv1")], "by address")
        on_vnic = vcn.list_private_ips(vnic_id="ocid1.vnic.oc1.phx.pv1").data
        eq(sorted(p.ip_address for p in on_vnic), ["10.0.10.5", "10.0.10.6", "10.0.2.1"], "by VNIC")
        eq(vcn.get_private_ip("ocid1.privateip.oc1.phx.py5").data.ip_address, "10.0.10.5", "GetPrivateIp")
        subnet = vcn.get_subnet("ocid1.subnet.oc1.phx.pypods").data
        eq((subnet.cidr_block, subnet.prohibit_public_ip_on_vnic), ("10.0.10.0/24", False), "GetSubnet")
        expect_error(lambda: vcn.list_private_ips(ip_address="10.0.10.6"), 400, "MissingParameter",
                     "an address without a subnet")
        expect_error(lambda: vcn.create_public_ip(CoreModels.CreatePublicIpDetails(
            compartment_id=COMPARTMENT, lifetime="EPHEMERAL")), 400, "MissingParameter", "ephemeral without a private IP")
    test("Core ListPrivateIps / GetPrivateIp / GetSubnet", private_ips_and_subnet)

    print(f"{results['passed']} passed, {results['failed']} failed")
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
