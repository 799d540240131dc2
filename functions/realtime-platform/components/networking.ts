/**
 * Istio Gateway and VirtualServices exposing Lenses HQ, the dashboard and
 * MQTT (TCP 1883 and WebSockets), and NetworkPolicies that admit only what
 * must talk to each component.
 */
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { MQTT_PORT, MQTT_WEBSOCKET_PORT } from '../../lib/mosquitto.js';
import type { KubeObject } from '../../lib/k8s/objects.js';
import { selectorOf } from '../../lib/k8s/workloads.js';
import { host, labels, readiness, res, type Component, type Platform } from '../context.js';
import { APP_DB_PORTS, CONNECT_PORT, DASHBOARD_PORT, externalHost, HQ_AGENTS_PORT, HQ_HTTP_PORT, KAFKA_PORT, POSTGRES_PORT, SCHEMA_REGISTRY_PORT } from '../names.js';

/** Namespace and pods of the Istio ingress gateway. */
export const INGRESS_NAMESPACE = 'istio-system';
const INGRESS_SELECTOR = { istio: 'ingressgateway' };

function virtualService(p: Platform, name: string, spec: object): KubeObject {
  return { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name, namespace: p.ns, labels: labels(p, 'ingress') }, spec };
}

function istio(p: Platform): Component['resources'] {
  const gateway = `${p.name}-gateway`;
  const gatewayRef = `${p.ns}/${gateway}`;
  const httpHosts = [...(p.spec.lenses.enabled ? [externalHost(p, 'lenses-hq')] : []), externalHost(p, p.spec.visualization), ...(p.iot && p.spec.mqtt.websockets ? [externalHost(p, 'mqtt')] : [])];
  const servers: object[] = [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: httpHosts }];
  if (p.iot) servers.push({ port: { number: MQTT_PORT, name: 'mqtt', protocol: 'TCP' }, hosts: ['*'] });
  const out: Component['resources'] = {
    gateway: res(
      p,
      'gateway',
      { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', metadata: { name: gateway, namespace: p.ns, labels: labels(p, 'ingress') }, spec: { selector: INGRESS_SELECTOR, servers } },
      readiness.exists,
    ),
  };
  const http = (svc: string, port: number) => ({
    hosts: [externalHost(p, svc)],
    gateways: [gatewayRef],
    http: [{ route: [{ destination: { host: host(p, svc), port: { number: port } } }] }],
  });
  if (p.spec.lenses.enabled) out['vs-lenses-hq'] = res(p, 'vs-lenses-hq', virtualService(p, 'lenses-hq', http('lenses-hq', HQ_HTTP_PORT)), readiness.exists);
  out['vs-dashboard'] = res(p, 'vs-dashboard', virtualService(p, p.spec.visualization, http(p.spec.visualization, DASHBOARD_PORT)), readiness.exists);
  if (p.iot) {
    if (p.spec.mqtt.websockets) out['vs-mqtt-ws'] = res(p, 'vs-mqtt-ws', virtualService(p, 'mqtt-websockets', http('mqtt', MQTT_WEBSOCKET_PORT)), readiness.exists);
    out['vs-mqtt-tcp'] = res(
      p,
      'vs-mqtt-tcp',
      virtualService(p, 'mqtt-tcp', {
        hosts: ['*'],
        gateways: [gatewayRef],
        tcp: [{ match: [{ port: MQTT_PORT }], route: [{ destination: { host: host(p, 'mqtt'), port: { number: MQTT_PORT } } }] }],
      }),
      readiness.exists,
    );
  }
  return out;
}

const fromNamespace = (ns: string): INetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
const fromComponent = (p: Platform, component: string): INetworkPolicyPeer => ({ podSelector: { matchLabels: selectorOf(labels(p, component)) } });

function allow(p: Platform, component: string, ports: number[], from: INetworkPolicyPeer[]): NetworkPolicy {
  return new NetworkPolicy({
    metadata: { name: `allow-${component}`, namespace: p.ns, labels: labels(p, 'network-policy') },
    spec: {
      podSelector: { matchLabels: selectorOf(labels(p, component)) },
      policyTypes: ['Ingress'],
      ingress: [{ from, ports: ports.map((port) => ({ protocol: 'TCP', port })) }],
    },
  });
}

/** Ingress rules: default deny, then who may reach each component. */
function networkPolicies(p: Platform): Component['resources'] {
  const ingress = fromNamespace(INGRESS_NAMESPACE);
  const claim = fromNamespace(p.claimNs);
  const pipelineJobs = fromComponent(p, 'pipeline');
  const policies: NetworkPolicy[] = [
    new NetworkPolicy({
      metadata: { name: 'default-deny-ingress', namespace: p.ns, labels: labels(p, 'network-policy') },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    }),
    allow(
      p,
      'postgres',
      [POSTGRES_PORT],
      [fromComponent(p, 'postgres-setup'), fromComponent(p, 'lenses-hq'), fromComponent(p, 'lenses-agent'), fromComponent(p, p.spec.visualization), ...(p.spec.database === 'postgres' ? [claim] : [])],
    ),
    // Applications in the claim's namespace produce and consume.
    allow(p, 'kafka', [KAFKA_PORT, SCHEMA_REGISTRY_PORT, CONNECT_PORT], [fromComponent(p, 'lenses-agent'), pipelineJobs, claim]),
    allow(p, p.spec.visualization, [DASHBOARD_PORT], [ingress, fromComponent(p, 'metabase-setup')]),
  ];
  if (p.spec.database !== 'postgres') policies.push(allow(p, `app-db-${p.spec.database}`, [APP_DB_PORTS[p.spec.database]], [claim]));
  if (p.spec.lenses.enabled) {
    policies.push(allow(p, 'lenses-hq', [HQ_HTTP_PORT, HQ_AGENTS_PORT], [ingress, fromComponent(p, 'lenses-agent'), pipelineJobs]));
  }
  if (p.iot) {
    // The source connector runs inside the Kafka pod (Connect).
    policies.push(allow(p, 'mqtt', [MQTT_PORT, MQTT_WEBSOCKET_PORT], [ingress, claim, fromComponent(p, 'kafka')]));
  }
  return Object.fromEntries(policies.map((np) => [`netpol-${np.metadata!.name}`, res(p, `netpol-${np.metadata!.name}`, np, readiness.exists)]));
}

export function networking(p: Platform): Component {
  return { resources: { ...networkPolicies(p), ...(p.spec.ingress.enabled ? istio(p) : {}) } };
}
