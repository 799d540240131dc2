/** Every catalog definition, in the order docs/kubevela.md lists them. */
import { newChart, yamlFile, type OutputFile } from '../../output.js';
import { ApiObject } from 'cdk8s';
import { emitCatalogEntry, type CatalogEntry } from '../catalog.js';
import { HELM_REPOSITORIES } from '../snippets.js';
import { kafka, mongodb, redis } from './data-services.js';
import { auth0Idp, neonPostgres } from './external-secrets.js';
import { iotBroker } from './iot-broker.js';
import { health, securityPolicy } from './policies.js';
import { rasaChatbot } from './rasa-chatbot.js';
import { awsApigateway } from './aws-apigateway.js';
import { karpenterNodepool } from './karpenter-nodepool.js';
import { snowflakeDatawarehouse } from './snowflake-datawarehouse.js';
import { tfjob } from './tfjob.js';
import { autoscaler, domainRoute, kafkaConsumer, kafkaProducer } from './traits.js';

export const CATALOG: CatalogEntry[] = [
  kafka,
  redis,
  mongodb,
  awsApigateway,
  neonPostgres,
  auth0Idp,
  rasaChatbot,
  iotBroker,
  tfjob,
  karpenterNodepool,
  snowflakeDatawarehouse,
  domainRoute,
  autoscaler,
  kafkaProducer,
  kafkaConsumer,
  health,
  securityPolicy,
];

/** Flux HelmRepositories the Helm-based definitions install from (namespace flux-system). */
function fluxSources(): OutputFile {
  const chart = newChart();
  for (const [name, repo] of Object.entries(HELM_REPOSITORIES)) {
    new ApiObject(chart, name, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name, namespace: 'flux-system' },
      // An OCI registry has no index: Flux needs `type: oci` for it.
      spec: { url: repo.url, interval: '1h', ...('type' in repo ? { type: repo.type } : {}) },
    });
  }
  return yamlFile('install/flux-sources.yaml', chart);
}

export function catalogFiles(): OutputFile[] {
  return [...CATALOG.flatMap(emitCatalogEntry), fluxSources()];
}
