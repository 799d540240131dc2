/**
 * Minimal (required only) and full (every option set) parameters of each
 * catalog definition: every output is validated against its upstream schema
 * with them (test/conformance/schemas.test.ts), and the per-definition tests
 * (test/conformance/catalog/) check what their full sets render.
 */
type Obj = Record<string, unknown>;

export const PARAMS: Record<string, { kind: 'component' | 'trait' | 'policy'; min: Obj; full: Obj[] }> = {
  kafka: {
    kind: 'component',
    min: {},
    full: [
      {
        replicas: 3,
        storageSize: '20Gi',
        topics: [{ name: 'orders', partitions: 6, replicationFactor: 3 }, { name: 'audit' }],
        metrics: true,
        resources: { cpu: '1', memory: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' },
      },
    ],
  },
  redis: { kind: 'component', min: {}, full: [{ replicas: 2, storageSize: '4Gi', persistence: false, password: { secretName: 'redis-auth' }, metrics: true }] },
  mongodb: {
    kind: 'component',
    min: { database: 'catalog' },
    full: [
      {
        replicas: 3,
        database: 'catalog',
        auth: { enabled: true, username: 'shop', existingSecret: 'mongo-auth' },
        backup: { enabled: true, schedule: '30 1 * * *', storageSize: '2Gi' },
        metrics: true,
      },
    ],
  },
  'neon-postgres': {
    kind: 'component',
    min: { database: 'orders' },
    full: [{ database: 'orders', remoteKey: 'prod/neon/orders', secretName: 'orders-pg', sslMode: 'verify-full', secretStore: { name: 'vault', kind: 'SecretStore' }, refreshInterval: '15m' }],
  },
  'auth0-idp': {
    kind: 'component',
    min: { domain: 'acme.eu.auth0.com', audience: 'https://api.acme.com' },
    full: [
      {
        domain: 'acme.auth0.com',
        audience: 'a',
        scopes: ['openid', 'read:orders'],
        compliance: 'hipaa',
        remoteKey: 'idp/orders',
        secretStore: { name: 'vault', kind: 'SecretStore' },
        refreshInterval: '5m',
      },
    ],
  },
  'rasa-chatbot': { kind: 'component', min: { rasaImage: 'acme/bot-rasa:1.0', actionsImage: 'acme/bot-actions:1.0' }, full: [] },
  'iot-broker': {
    kind: 'component',
    min: { auth: { secretName: 'broker-users' } },
    full: [{ auth: { secretName: 'u' }, websockets: false, persistence: { enabled: false }, serviceType: 'LoadBalancer' }],
  },
  'knative-webservice': {
    kind: 'component',
    min: { image: 'example/app:1.0' },
    full: [{ image: 'example/app:1.0', language: 'python', framework: 'fastapi', database: 'postgres', cache: 'redis', realtime: 'health-data', env: { FEATURE: 'on' } }],
  },
  'application-infrastructure': {
    kind: 'component',
    min: { name: 'health-api' },
    full: [{ name: 'health-api', language: 'python', framework: 'fastapi', database: 'postgres', cache: 'redis', appContainer: 'custom-repo' }],
  },
  'realtime-platform': {
    kind: 'component',
    min: { name: 'health-data' },
    full: [{ name: 'health-data', database: 'mysql', visualization: 'grafana', iot: false, scaling: { minReplicas: 2, maxReplicas: 4 }, lenses: { enabled: false } }],
  },
  'event-driven-service': {
    kind: 'component',
    min: { image: 'example/worker:1.0', nats: { url: 'nats://nats.nats.svc:4222', stream: 'S', consumer: 'c' } },
    full: [{ image: 'example/worker:1.0', size: 'large', kafka: { bootstrapServers: 'kafka:9092', topic: 't', consumerGroup: 'g', offsetResetPolicy: 'earliest' }, secretName: 'cfg' }],
  },
  vcluster: {
    kind: 'component',
    min: {},
    full: [{ size: 'large', kubernetes: { version: '1.29' }, networking: { isolation: false, exposeApi: true }, features: { istio: true, knative: true, argocd: true, observability: true } }],
  },
  tfjob: {
    kind: 'component',
    min: { image: 'tf:2.16' },
    full: [
      {
        image: 'tf:2.16',
        command: ['python', 'train.py'],
        args: ['--epochs=3'],
        mode: 'distributed',
        workers: 3,
        parameterServers: 2,
        gpus: 2,
        env: [
          { name: 'A', value: 'b' },
          { name: 'K', secret: { name: 's', key: 'k' } },
        ],
        volumes: [
          { name: 'data', mountPath: '/data', pvc: 'datasets', readOnly: true },
          { name: 'cfg', mountPath: '/cfg', configMap: 'train-cfg' },
          { name: 'creds', mountPath: '/creds', secret: 'train-creds' },
        ],
        nodeSelector: { 'platform.example.org/workload-profile': 'gpu' },
        tolerations: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }],
        restartPolicy: 'ExitCode',
        cleanPodPolicy: 'All',
        backoffLimit: 2,
        activeDeadlineSeconds: 3600,
        ttlSecondsAfterFinished: 600,
      },
    ],
  },
  'karpenter-nodepool': {
    kind: 'component',
    min: { clusterName: 'prod', nodeRole: 'KarpenterNodeRole-prod' },
    full: [
      {
        clusterName: 'prod',
        nodeRole: 'KarpenterNodeRole-prod',
        profile: 'gpu',
        instanceFamilies: ['g5', 'g6'],
        instanceSizes: ['xlarge', '2xlarge'],
        capacityTypes: ['on-demand'],
        architectures: ['amd64', 'arm64'],
        taints: [{ key: 'team', value: 'ml' }],
        labels: { team: 'ml' },
      },
      { clusterName: 'prod', nodeRole: 'KarpenterNodeRole-prod', profile: 'memory' },
    ],
  },
  'aws-apigateway': {
    kind: 'component',
    min: { region: 'eu-west-1', endpoint: { url: 'https://api.example.com' } },
    full: [
      {
        region: 'us-east-1',
        endpoint: { privateIntegration: { vpcLinkId: 'abc123', listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/x/y/z' }, method: 'GET', timeoutMilliseconds: 5000 },
        routes: ['GET /orders', 'ANY /{proxy+}'],
        cors: { allowOrigins: ['https://shop.example.com'], allowCredentials: true, exposeHeaders: ['x-request-id'], maxAge: 600 },
        stages: [{ name: '$default' }, { name: 'prod', autoDeploy: false, throttlingBurstLimit: 20, throttlingRateLimit: 50.5, variables: { backend: 'blue' } }],
        description: 'shop API',
        tags: { team: 'shop' },
        providerConfig: { kind: 'ProviderConfig', name: 'shop-aws' },
      },
    ],
  },
  'snowflake-datawarehouse': {
    kind: 'component',
    min: { organization: 'acme', account: 'analytics', database: 'health_data' },
    full: [
      {
        organization: 'acme',
        account: 'analytics',
        database: 'health_data',
        schema: 'RAW',
        dataRetentionDays: 7,
        warehouse: { name: 'STREAM_WH', size: 'MEDIUM', autoSuspend: 300, maxClusterCount: 3 },
        user: 'KAFKA_SINK',
        secretName: 'health-snowflake',
        adminCredentials: { secretName: 'sf-admin', role: 'SYSADMIN' },
        providerConfig: { kind: 'ProviderConfig', name: 'tf' },
      },
    ],
  },
  'domain-route': {
    kind: 'trait',
    min: { domain: 'api.example.com' },
    full: [
      { domain: 'api.example.com', tls: { enabled: true } },
      { domain: 'api.example.com', path: '/v1', port: 9000 },
    ],
  },
  autoscaler: { kind: 'trait', min: {}, full: [{ min: 0, max: 4 }, { cpu: 70 }, { min: 2, max: 8, cpu: 60 }] },
  'kafka-producer': { kind: 'trait', min: { platform: 'health-data', topics: ['a'] }, full: [{ bootstrapServers: 'kafka:9092', topics: ['a', 'b'] }] },
  'kafka-consumer': {
    kind: 'trait',
    min: { platform: 'health-data', topics: ['a'], consumerGroup: 'g' },
    full: [{ bootstrapServers: 'kafka:9092', topics: ['a', 'b'], consumerGroup: 'g', offsetReset: 'earliest' }],
  },
  health: {
    kind: 'policy',
    min: { targets: [{ component: 'api' }] },
    full: [{ probeInterval: 1, probeTimeout: 3, targets: [{ component: 'api', path: '/ready', port: 8080 }, { component: 'web' }] }],
  },
  'security-policy': { kind: 'policy', min: {}, full: [{ allowedNamespaces: ['istio-system'], allowedOrigins: ['203.0.113.0/24'], egress: 'restrict' }] },
};
