/**
 * Kafka from lensesio/fast-data-dev: broker 9092, Schema Registry 8081,
 * Connect 8083 (with the Stream Reactor MQTT connector), one node.
 */
import { service, statefulSet } from '../../lib/k8s/workloads.js';
import { host, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { IMAGES } from '../images.js';
import { CONNECT_PORT, KAFKA_PORT, SCHEMA_REGISTRY_PORT } from '../names.js';

export function kafka(p: Platform): Component {
  const l = labels(p, 'kafka');
  const sts = statefulSet(
    {
      name: 'kafka',
      namespace: p.ns,
      labels: l,
      // fast-data-dev runs supervisord and its services as root and writes
      // across its filesystem, so it cannot meet `restricted`; it gets the
      // `baseline` profile (the namespace enforces baseline, warns on restricted).
      podSecurity: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'kafka',
          image: IMAGES.kafka,
          securityContext: { allowPrivilegeEscalation: false },
          ports: [
            { name: 'kafka', containerPort: KAFKA_PORT },
            { name: 'schema-registry', containerPort: SCHEMA_REGISTRY_PORT },
            { name: 'connect', containerPort: CONNECT_PORT },
          ],
          env: [
            // The PRD's compose listeners, with the in-cluster Service name
            // instead of the compose host; the DOCKERCOMPOSE listener is for
            // clients outside compose and has no counterpart here.
            { name: 'ADV_HOST', value: host(p, 'kafka') },
            { name: 'KAFKA_LISTENERS', value: `PLAINTEXT://:${KAFKA_PORT},CONTROLLER://:16062` },
            { name: 'KAFKA_ADVERTISED_LISTENERS', value: `PLAINTEXT://${host(p, 'kafka')}:${KAFKA_PORT}` },
            { name: 'RUNTESTS', value: '0' },
            // The demo's sample topics are not health data; the platform starts empty.
            { name: 'RUNNING_SAMPLEDATA', value: '0' },
            { name: 'SAMPLEDATA', value: '0' },
            // Load only the connectors the pipeline uses: faster start, less memory.
            { name: 'CONNECTORS', value: 'mqtt' },
            { name: 'WEB_PORT', value: '0' },
          ],
          readinessProbe: { tcpSocket: { port: CONNECT_PORT }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 30 },
          livenessProbe: { tcpSocket: { port: KAFKA_PORT }, initialDelaySeconds: 180, periodSeconds: 20, failureThreshold: 6 },
          resources: resources(p, 'kafka'),
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
    },
    [{ name: 'data', size: p.spec.kafka.storage }],
  );
  return {
    resources: {
      kafka: res(p, 'kafka', sts, readiness.statefulSet),
      'kafka-service': res(
        p,
        'kafka-service',
        service('kafka', p.ns, l, [
          { name: 'kafka', port: KAFKA_PORT },
          { name: 'schema-registry', port: SCHEMA_REGISTRY_PORT },
          { name: 'connect', port: CONNECT_PORT },
        ]),
        readiness.exists,
      ),
    },
  };
}
