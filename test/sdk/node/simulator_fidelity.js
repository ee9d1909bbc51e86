#!/usr/bin/env node
// Proves the OCI simulator speaks OCI's wire API: Oracle's official Node SDK (oci-loadbalancer,
// oci-networkloadbalancer, oci-core) drives every operation the simulator implements and must
// parse each answer into the expected model values.
//
// Usage: node simulator_fidelity.js [path/to/oci-sim]   (or OCI_SIM_BINARY)
// Prints "N passed, N failed"; exits non-zero on any failure.
'use strict';

const path = require('path');
const fs = require('fs');
const os = require('os');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');

const here = __dirname;
const needed = ['oci-common', 'oci-loadbalancer', 'oci-networkloadbalancer', 'oci-core'];
for (const m of needed) {
  if (!fs.existsSync(path.join(here, 'node_modules', m))) {
    console.error(`missing npm package ${m}: run test/sdk/install.sh (make test runs it)`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const LB = 'ocid1.loadbalancer.oc1.phx.simfidelity';
const NLB = 'ocid1.networkloadbalancer.oc1.phx.simfidelity';
const COMPARTMENT = 'ocid1.compartment.oc1..simfidelity';

async function parent() {
  const binary = process.argv[2] || process.env.OCI_SIM_BINARY;
  if (!binary || !fs.existsSync(binary)) {
    console.error(`oci-sim binary not found (argument or OCI_SIM_BINARY): ${binary}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-sim-node-'));
  const ready = path.join(dir, 'ready');
  const ca = path.join(dir, 'ca.pem');
  const sim = spawn(binary, ['--port=0', `--ready-file=${ready}`, `--tls-ca-out=${ca}`,
                             '--work-request-latency-ms=300'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 20000;
  while (!fs.existsSync(ready)) {
    if (Date.now() > deadline || sim.exitCode !== null) {
      console.error('oci-sim did not start');
      sim.kill('SIGKILL');
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const port = fs.readFileSync(ready, 'utf8').trim();
  // The SDK's fetch trusts the simulator's CA through NODE_EXTRA_CA_CERTS, read at start-up.
  const child = spawnSync(process.execPath, [__filename, '--child'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, SIM_URL: `https://127.0.0.1:${port}`,
           OCI_SDK_DEFAULT_RETRY_ENABLED: process.env.OCI_SDK_DEFAULT_RETRY_ENABLED || '' },
  });
  sim.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(child.status === null ? 1 : child.status);
}

async function child() {
  const common = require('oci-common');
  const lb = require('oci-loadbalancer');
  const nlb = require('oci-networkloadbalancer');
  const core = require('oci-core');
  const url = process.env.SIM_URL;

  async function control(method, p, body) {
    const res = await fetch(url + p, {
      method, headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  function newProvider(tenancy, user) {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const fingerprint = crypto.createHash('md5').update(der).digest('hex').match(/../g).join(':');
    const provider = new common.SimpleAuthenticationDetailsProvider(
        tenancy, user, fingerprint, privateKey.export({ type: 'pkcs8', format: 'pem' }), null,
        common.Region.US_PHOENIX_1);
    return { provider, keyId: `${tenancy}/${user}/${fingerprint}`,
             publicPem: publicKey.export({ type: 'spki', format: 'pem' }) };
  }

  const good = newProvider('ocid1.tenancy.oc1..simfid', 'ocid1.user.oc1..simfid');
  const rogue = newProvider('ocid1.tenancy.oc1..simfid', 'ocid1.user.oc1..unregistered');
  await control('PUT', '/_sim/keys', { keyId: good.keyId, publicKeyPem: good.publicPem });

  const hc = { protocol: 'HTTP', urlPath: '/healthz', port: 10256, returnCode: 200, retries: 3,
               timeoutInMillis: 3000, intervalInMillis: 10000 };
  await control('PUT', '/_sim/state', {
    loadBalancers: [{
      id: LB, compartmentId: COMPARTMENT, displayName: 'fidelity-lb', shapeName: 'flexible',
      ipAddresses: [{ ipAddress: '129.146.1.1', isPublic: true }],
      backendSets: { web: { policy: 'LEAST_CONNECTIONS', healthChecker: hc,
                            sslConfiguration: { verifyDepth: 3, verifyPeerCertificate: true,
                                                certificateName: 'cert-a' },
                            backends: [{ ipAddress: '10.0.0.1', port: 30080, weight: 2 }] } },
    }],
    networkLoadBalancers: [{
      id: NLB, compartmentId: COMPARTMENT, displayName: 'fidelity-nlb', subnetId: 'ocid1.subnet.oc1.phx.s',
      ipAddresses: [{ ipAddress: '129.146.2.2', isPublic: true }],
      backendSets: { tcp: { policy: 'FIVE_TUPLE', isPreserveSource: true,
                            healthChecker: { protocol: 'TCP', port: 10256 },
                            backends: [{ targetId: 'ocid1.instance.oc1.phx.n1', port: 30443 }] } },
    }],
    instances: [1, 2, 3, 4, 5].map((i) => ({
      id: `ocid1.instance.oc1.phx.i${i}`, compartmentId: COMPARTMENT, displayName: `node-${i}`,
      availabilityDomain: `Uocm:PHX-AD-${(i % 3) + 1}`, faultDomain: 'FAULT-DOMAIN-2',
      shape: 'VM.Standard.E4.Flex', lifecycleState: i === 5 ? 'STOPPED' : 'RUNNING', region: 'phx',
      vnics: [{ id: `ocid1.vnic.oc1.phx.v${i}`, privateIp: `10.0.0.${10 + i}`, publicIp: `129.146.9.${i}`,
                hostnameLabel: `node-${i}`, subnetId: 'ocid1.subnet.oc1.phx.s' }],
    })),
  });

  const noRetry = common.NoRetryConfigurationDetails;
  const mk = (Client, p) => { const c = new Client({ authenticationDetailsProvider: p.provider }); c.endpoint = url; return c; };
  const lbc = mk(lb.LoadBalancerClient, good);
  const nlbc = mk(nlb.NetworkLoadBalancerClient, good);
  const compute = mk(core.ComputeClient, good);
  const vcn = mk(core.VirtualNetworkClient, good);
  const rogueLb = mk(lb.LoadBalancerClient, rogue);

  let passed = 0, failed = 0;
  async function test(name, fn) {
    try {
      await fn();
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    }
  }
  function eq(actual, expected, what) {
    const a = JSON.stringify(actual), b = JSON.stringify(expected);
    if (a !== b) throw new Error(`${what}: got ${a}, want ${b}`);
  }
  async function waitLb(id) {
    for (let i = 0; i < 100; i++) {
      const wr = (await lbc.getWorkRequest({ workRequestId: id })).workRequest;
      if (wr.lifecycleState === 'SUCCEEDED' || wr.lifecycleState === 'FAILED') return wr;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`work request ${id} did not finish`);
  }
  async function waitNlb(id) {
    for (let i = 0; i < 100; i++) {
      const wr = (await nlbc.getWorkRequest({ workRequestId: id })).workRequest;
      if (wr.status === 'SUCCEEDED' || wr.status === 'FAILED') return wr;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`work request ${id} did not finish`);
  }
  async function expectError(promise, status, code, what) {
    try {
      await promise;
    } catch (e) {
      eq(e.statusCode, status, `${what} status`);
      if (code) eq(e.serviceCode, code, `${what} code`);
      return e;
    }
    throw new Error(`${what}: expected HTTP ${status}, got success`);
  }

  // ---- classic load balancer ----
  await test('LB GetLoadBalancer', async () => {
    const r = await lbc.getLoadBalancer({ loadBalancerId: LB });
    eq(r.loadBalancer.id, LB, 'id');
    eq(r.loadBalancer.displayName, 'fidelity-lb', 'displayName');
    eq(r.loadBalancer.lifecycleState, 'ACTIVE', 'lifecycleState');
    eq(r.loadBalancer.ipAddresses[0].ipAddress, '129.146.1.1', 'ipAddress');
    eq(Object.keys(r.loadBalancer.backendSets), ['web'], 'backendSets');
  });
  await test('LB GetBackendSet', async () => {
    const r = await lbc.getBackendSet({ loadBalancerId: LB, backendSetName: 'web' });
    eq(r.backendSet.policy, 'LEAST_CONNECTIONS', 'policy');
    eq(r.backendSet.healthChecker.urlPath, '/healthz', 'healthChecker.urlPath');
    eq(r.backendSet.sslConfiguration.certificateName, 'cert-a', 'sslConfiguration');
    eq(r.backendSet.backends.map((b) => [b.name, b.weight, b.drain]), [['10.0.0.1:30080', 2, false]], 'backends');
  });
  await test('LB UpdateBackendSet -> work request SUCCEEDED, applied', async () => {
    const r = await lbc.updateBackendSet({
      loadBalancerId: LB, backendSetName: 'web', retryConfiguration: noRetry,
      updateBackendSetDetails: { policy: 'LEAST_CONNECTIONS', healthChecker: hc,
        sslConfiguration: { verifyDepth: 3, verifyPeerCertificate: true, certificateName: 'cert-a' },
        backends: [{ ipAddress: '10.0.0.1', port: 30080 }, { ipAddress: '10.0.0.2', port: 30080 }] } });
    if (!r.opcWorkRequestId) throw new Error('no opc-work-request-id');
    const wr = await waitLb(r.opcWorkRequestId);
    eq(wr.lifecycleState, 'SUCCEEDED', 'work request state');
    eq(wr.loadBalancerId, LB, 'work request loadBalancerId');
    eq(wr.type, 'UpdateBackendSet', 'work request type');
    const set = (await lbc.getBackendSet({ loadBalancerId: LB, backendSetName: 'web' })).backendSet;
    eq(set.backends.map((b) => b.name).sort(), ['10.0.0.1:30080', '10.0.0.2:30080'], 'backends after update');
  });
  await test('LB UpdateBackendSet without healthChecker -> 400', async () => {
    await expectError(lbc.updateBackendSet({ loadBalancerId: LB, backendSetName: 'web', retryConfiguration: noRetry,
      updateBackendSetDetails: { policy: 'ROUND_ROBIN', backends: [] } }), 400, 'MissingParameter', 'update');
  });
  await test('LB concurrent second write -> 409', async () => {
    const first = await lbc.createBackend({ loadBalancerId: LB, backendSetName: 'web', retryConfiguration: noRetry,
      createBackendDetails: { ipAddress: '10.0.0.3', port: 30080 } });
    const e = await expectError(lbc.createBackend({ loadBalancerId: LB, backendSetName: 'web',
      retryConfiguration: noRetry, createBackendDetails: { ipAddress: '10.0.0.4', port: 30080 } }),
      409, 'IncorrectState', 'second write');
    if (!/Invalid State Transition/.test(e.message)) throw new Error(`message: ${e.message}`);
    eq((await waitLb(first.opcWorkRequestId)).lifecycleState, 'SUCCEEDED', 'first work request');
  });
  await test('LB ListBackends / CreateBackend / GetBackend / UpdateBackend / DeleteBackend', async () => {
    const c = await lbc.createBackend({ loadBalancerId: LB, backendSetName: 'web', retryConfiguration: noRetry,
      createBackendDetails: { ipAddress: '10.0.0.9', port: 30080, weight: 5, backup: false, drain: false, offline: false } });
    eq((await waitLb(c.opcWorkRequestId)).lifecycleState, 'SUCCEEDED', 'create');
    await expectError(lbc.createBackend({ loadBalancerId: LB, backendSetName: 'web', retryConfiguration: noRetry,
      createBackendDetails: { ipAddress: '10.0.0.9', port: 30080 } }), 409, 'Conflict', 'duplicate create');
    const list = await lbc.listBackends({ loadBalancerId: LB, backendSetName: 'web' });
    eq(list.items.map((b) => b.name).sort(), ['10.0.0.1:30080', '10.0.0.2:30080', '10.0.0.3:30080', '10.0.0.9:30080'], 'list');
    const g = await lbc.getBackend({ loadBalancerId: LB, backendSetName: 'web', backendName: '10.0.0.9:30080' });
    eq([g.backend.ipAddress, g.backend.port, g.backend.weight], ['10.0.0.9', 30080, 5], 'get backend');
    const u = await lbc.updateBackend({ loadBalancerId: LB, backendSetName: 'web', backendName: '10.0.0.9:30080',
      retryConfiguration: noRetry, updateBackendDetails: { weight: 7, backup: false, drain: true, offline: false } });
    eq((await waitLb(u.opcWorkRequestId)).lifecycleState, 'SUCCEEDED', 'update');
    const g2 = await lbc.getBackend({ loadBalancerId: LB, backendSetName: 'web', backendName: '10.0.0.9:30080' });
    eq([g2.backend.weight, g2.backend.drain], [7, true], 'updated backend');
    const d = await lbc.deleteBackend({ loadBalancerId: LB, backendSetName: 'web', backendName: '10.0.0.9:30080',
      retryConfiguration: noRetry });
    eq((await waitLb(d.opcWorkRequestId)).lifecycleState, 'SUCCEEDED', 'delete');
    await expectError(lbc.getBackend({ loadBalancerId: LB, backendSetName: 'web', backendName: '10.0.0.9:30080',
      retryConfiguration: noRetry }), 404, 'NotAuthorizedOrNotFound', 'deleted backend');
  });
  await test('LB ListWorkRequests', async () => {
    const r = await lbc.listWorkRequests({ loadBalancerId: LB });
    if (r.items.length < 5) throw new Error(`want >= 5 work requests, got ${r.items.length}`);
    for (const wr of r.items) {
      eq(wr.loadBalancerId, LB, 'loadBalancerId');
      if (!(wr.timeAccepted instanceof Date) && typeof wr.timeAccepted !== 'string') throw new Error('timeAccepted');
    }
    eq(r.items.every((w) => w.lifecycleState === 'SUCCEEDED'), true, 'all succeeded');
  });
  await test('LB request signed with an unregistered key -> 401', async () => {
    await expectError(rogueLb.getLoadBalancer({ loadBalancerId: LB, retryConfiguration: noRetry }), 401,
      'NotAuthenticated', 'rogue');
  });
  await test('LB unknown load balancer -> 404', async () => {
    await expectError(lbc.getLoadBalancer({ loadBalancerId: 'ocid1.loadbalancer.oc1.phx.nope', retryConfiguration: noRetry }),
      404, 'NotAuthorizedOrNotFound', 'unknown');
  });

  // ---- network load balancer ----
  await test('NLB GetNetworkLoadBalancer / GetBackendSet', async () => {
    const r = await nlbc.getNetworkLoadBalancer({ networkLoadBalancerId: NLB });
    eq([r.networkLoadBalancer.id, r.networkLoadBalancer.lifecycleState], [NLB, 'ACTIVE'], 'nlb');
    const s = await nlbc.getBackendSet({ networkLoadBalancerId: NLB, backendSetName: 'tcp' });
    eq([s.backendSet.policy, s.backendSet.isPreserveSource], ['FIVE_TUPLE', true], 'set');
    eq(s.backendSet.backends.map((b) => [b.name, b.targetId, b.port]),
       [['ocid1.instance.oc1.phx.n1:30443', 'ocid1.instance.oc1.phx.n1', 30443]], 'backends');
    if (!s.etag) throw new Error('missing etag');
  });
  await test('NLB UpdateBackendSet -> UPDATING then work request SUCCEEDED', async () => {
    const r = await nlbc.updateBackendSet({ networkLoadBalancerId: NLB, backendSetName: 'tcp', retryConfiguration: noRetry,
      updateBackendSetDetails: { backends: [{ ipAddress: '10.0.1.1', port: 30443 }, { ipAddress: '10.0.1.2', port: 30443 }],
                                 healthChecker: { protocol: 'TCP', port: 10256 } } });
    if (!r.opcWorkRequestId) throw new Error('no opc-work-request-id');
    const during = await nlbc.getNetworkLoadBalancer({ networkLoadBalancerId: NLB });
    eq(during.networkLoadBalancer.lifecycleState, 'UPDATING', 'state during');
    await expectError(nlbc.createBackend({ networkLoadBalancerId: NLB, backendSetName: 'tcp', retryConfiguration: noRetry,
      createBackendDetails: { ipAddress: '10.0.1.3', port: 30443 } }), 409, 'IncorrectState', 'concurrent write');
    const wr = await waitNlb(r.opcWorkRequestId);
    eq([wr.status, wr.operationType, wr.percentComplete], ['SUCCEEDED', 'UPDATE_BACKENDSET', 100], 'work request');
    eq(wr.resources[0].identifier, NLB, 'resource');
    const s = await nlbc.getBackendSet({ networkLoadBalancerId: NLB, backendSetName: 'tcp' });
    eq(s.backendSet.backends.map((b) => b.name), ['10.0.1.1:30443', '10.0.1.2:30443'], 'backends after');
    eq(s.backendSet.isPreserveSource, true, 'untouched field kept');
    const after = await nlbc.getNetworkLoadBalancer({ networkLoadBalancerId: NLB });
    eq(after.networkLoadBalancer.lifecycleState, 'ACTIVE', 'state after');
  });
  await test('NLB backends CRUD + work request list/errors', async () => {
    const c = await nlbc.createBackend({ networkLoadBalancerId: NLB, backendSetName: 'tcp', retryConfiguration: noRetry,
      createBackendDetails: { targetId: 'ocid1.instance.oc1.phx.n9', port: 30443, weight: 3 } });
    eq((await waitNlb(c.opcWorkRequestId)).status, 'SUCCEEDED', 'create');
    const name = 'ocid1.instance.oc1.phx.n9:30443';
    const list = await nlbc.listBackends({ networkLoadBalancerId: NLB, backendSetName: 'tcp' });
    eq(list.backendCollection.items.map((b) => b.name), ['10.0.1.1:30443', '10.0.1.2:30443', name], 'list');
    const g = await nlbc.getBackend({ networkLoadBalancerId: NLB, backendSetName: 'tcp', backendName: name });
    eq([g.backend.targetId, g.backend.weight, g.backend.isDrain], ['ocid1.instance.oc1.phx.n9', 3, false], 'get');
    const u = await nlbc.updateBackend({ networkLoadBalancerId: NLB, backendSetName: 'tcp', backendName: name,
      retryConfiguration: noRetry, updateBackendDetails: { isDrain: true } });
    eq((await waitNlb(u.opcWorkRequestId)).status, 'SUCCEEDED', 'update');
    eq((await nlbc.getBackend({ networkLoadBalancerId: NLB, backendSetName: 'tcp', backendName: name })).backend.isDrain,
       true, 'drained');
    await control('POST', '/_sim/faults', { operation: 'DeleteBackend', service: 'networkloadbalancer',
                                           kind: 'failWorkRequest', count: 1, message: 'backend delete failed' });
    const d = await nlbc.deleteBackend({ networkLoadBalancerId: NLB, backendSetName: 'tcp', backendName: name,
      retryConfiguration: noRetry });
    const failedWr = await waitNlb(d.opcWorkRequestId);
    eq(failedWr.status, 'FAILED', 'injected failure');
    const errs = await nlbc.listWorkRequestErrors({ workRequestId: d.opcWorkRequestId });
    eq(errs.workRequestErrorCollection.items.map((e) => e.message), ['backend delete failed'], 'errors');
    const d2 = await nlbc.deleteBackend({ networkLoadBalancerId: NLB, backendSetName: 'tcp', backendName: name,
      retryConfiguration: noRetry });
    eq((await waitNlb(d2.opcWorkRequestId)).status, 'SUCCEEDED', 'delete');
    const wrs = await nlbc.listWorkRequests({ compartmentId: COMPARTMENT });
    eq(wrs.workRequestCollection.items.length, 5, 'work request count');
    eq(wrs.workRequestCollection.items.filter((w) => w.status === 'FAILED').length, 1, 'failed count');
  });

  // ---- compute ----
  await test('Compute GetInstance', async () => {
    const r = await compute.getInstance({ instanceId: 'ocid1.instance.oc1.phx.i2' });
    const i = r.instance;
    eq([i.displayName, i.availabilityDomain, i.faultDomain, i.shape, i.lifecycleState, i.region],
       ['node-2', 'Uocm:PHX-AD-3', 'FAULT-DOMAIN-2', 'VM.Standard.E4.Flex', 'RUNNING', 'phx'], 'instance');
  });
  await test('Compute ListInstances pages with opc-next-page', async () => {
    const seen = [];
    let page;
    let pages = 0;
    do {
      const r = await compute.listInstances({ compartmentId: COMPARTMENT, limit: 2, page });
      seen.push(...r.items.map((i) => i.displayName));
      page = r.opcNextPage;
      pages++;
    } while (page);
    eq(pages, 3, 'pages');
    eq(seen, ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'], 'instances');
    const byName = await compute.listInstances({ compartmentId: COMPARTMENT, displayName: 'node-5' });
    eq(byName.items.map((i) => [i.id, i.lifecycleState]), [['ocid1.instance.oc1.phx.i5', 'STOPPED']], 'by name');
  });
  await test('Compute ListVnicAttachments + GetVnic', async () => {
    const r = await compute.listVnicAttachments({ compartmentId: COMPARTMENT, instanceId: 'ocid1.instance.oc1.phx.i3' });
    eq(r.items.map((a) => [a.vnicId, a.lifecycleState]), [['ocid1.vnic.oc1.phx.v3', 'ATTACHED']], 'attachments');
    const v = await vcn.getVnic({ vnicId: 'ocid1.vnic.oc1.phx.v3' });
    eq([v.vnic.privateIp, v.vnic.publicIp, v.vnic.isPrimary, v.vnic.hostnameLabel],
       ['10.0.0.13', '129.146.9.3', true, 'node-3'], 'vnic');
  });
  await test('Compute terminated instance reads TERMINATED', async () => {
    await control('PUT', '/_sim/instances/ocid1.instance.oc1.phx.i4/state', { lifecycleState: 'TERMINATED' });
    const r = await compute.getInstance({ instanceId: 'ocid1.instance.oc1.phx.i4' });
    eq(r.instance.lifecycleState, 'TERMINATED', 'state');
  });
  await test('Core public IP create / assign / 409 / move / unassign / delete', async () => {
    await control('POST', '/_sim/state', {
      subnets: [{ id: 'ocid1.subnet.oc1.phx.nodepods', cidrBlock: '10.0.10.0/24', compartmentId: COMPARTMENT }],
      privateIps: [5, 6].map((i) => ({ id: `ocid1.privateip.oc1.phx.n${i}`, ipAddress: `10.0.10.${i}`,
                                       subnetId: 'ocid1.subnet.oc1.phx.nodepods', vnicId: 'ocid1.vnic.oc1.phx.v1' })),
    });
    async function waitIp(id, state) {
      for (let i = 0; i < 100; i++) {
        const r = await vcn.getPublicIp({ publicIpId: id });
        if (r.publicIp.lifecycleState === state) return r.publicIp;
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error(`public IP ${id} never reached ${state}`);
    }
    const created = (await vcn.createPublicIp({
      createPublicIpDetails: { compartmentId: COMPARTMENT, lifetime: 'RESERVED', displayName: 'ns/rip',
                               freeformTags: { owner: 'team' } },
      opcRetryToken: 'node-token-1' })).publicIp;
    eq([created.lifecycleState, created.lifetime, created.scope, created.freeformTags.owner],
       ['PROVISIONING', 'RESERVED', 'REGION', 'team'], 'created');
    const again = (await vcn.createPublicIp({
      createPublicIpDetails: { compartmentId: COMPARTMENT, lifetime: 'RESERVED', displayName: 'ns/rip',
                               freeformTags: { owner: 'team' } },
      opcRetryToken: 'node-token-1' })).publicIp;
    eq(again.id, created.id, 'retried create');
    await waitIp(created.id, 'AVAILABLE');
    const assigning = (await vcn.updatePublicIp({ publicIpId: created.id,
      updatePublicIpDetails: { privateIpId: 'ocid1.privateip.oc1.phx.n5' } })).publicIp;
    eq(assigning.lifecycleState, 'ASSIGNING', 'assigning');
    await waitIp(created.id, 'ASSIGNED');
    const other = (await vcn.createPublicIp({ createPublicIpDetails: { compartmentId: COMPARTMENT, lifetime: 'RESERVED' } })).publicIp;
    await waitIp(other.id, 'AVAILABLE');
    await expectError(vcn.updatePublicIp({ publicIpId: other.id, updatePublicIpDetails: { privateIpId: 'ocid1.privateip.oc1.phx.n5' } }),
                      409, 'Conflict', 'one public IP per private IP');
    const byAddress = await vcn.getPublicIpByIpAddress({ getPublicIpByIpAddressDetails: { ipAddress: created.ipAddress } });
    eq(byAddress.publicIp.id, created.id, 'GetPublicIpByIpAddress');
    const listed = await vcn.listPublicIps({ scope: 'REGION', compartmentId: COMPARTMENT, lifetime: 'RESERVED' });
    eq(listed.items.map((i) => i.id).sort(), [created.id, other.id].sort(), 'ListPublicIps');
    const pips = await vcn.listPrivateIps({ ipAddress: '10.0.10.6', subnetId: 'ocid1.subnet.oc1.phx.nodepods' });
    eq(pips.items.map((p) => p.id), ['ocid1.privateip.oc1.phx.n6'], 'ListPrivateIps');
    await vcn.updatePublicIp({ publicIpId: created.id, updatePublicIpDetails: { privateIpId: 'ocid1.privateip.oc1.phx.n6' } });
    eq((await waitIp(created.id, 'ASSIGNED')).privateIpId, 'ocid1.privateip.oc1.phx.n6', 'moved');
    await vcn.updatePublicIp({ publicIpId: created.id, updatePublicIpDetails: { privateIpId: '' } });
    await waitIp(created.id, 'AVAILABLE');
    await vcn.deletePublicIp({ publicIpId: created.id });
    await waitIp(created.id, 'TERMINATED');
    const subnet = await vcn.getSubnet({ subnetId: 'ocid1.subnet.oc1.phx.nodepods' });
    eq([subnet.subnet.cidrBlock, subnet.subnet.prohibitPublicIpOnVnic], ['10.0.10.0/24', false], 'GetSubnet');
  });
  await test('Counters record operations by status', async () => {
    const c = await control('GET', '/_sim/counters');
    eq(c.services.loadbalancer.CreateBackend['409'], 2, 'LB CreateBackend 409s (busy + duplicate)');
    eq(c.services.loadbalancer.GetLoadBalancer['401'], 1, 'LB GetLoadBalancer 401');
  });

  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

if (process.argv[2] === '--child') {
  child().catch((e) => { console.log(`FAIL setup: ${e.stack || e}`); console.log('0 passed, 1 failed'); process.exit(1); });
} else {
  parent().catch((e) => { console.error(e); process.exit(1); });
}
