/**
 * `iot-broker` (PRD Phase 1.1): a standalone Eclipse Mosquitto with
 * authentication, persistence and WebSockets. Its mosquitto.conf is the one
 * the realtime platform writes (functions/lib/mosquitto.ts); users come from
 * a Secret (key = user name, value = password) that an init container hashes
 * with the broker's own mosquitto_passwd, since CUE cannot hash.
 */
import { HASH_PASSWORDS_SCRIPT, MOSQUITTO_CONF_LINES, MOSQUITTO_IMAGE, MOSQUITTO_UID, MQTT_PORT, MQTT_WEBSOCKET_PORT } from '../../../functions/lib/mosquitto.js';
import { ContainerResources, StringEnum, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { POD_LABELS, RESTRICTED_CONTAINER, indent, resourcesCue, restrictedPod } from '../snippets.js';

const CONDITION = { websockets: 'parameter.websockets', persistence: 'parameter.persistence.enabled', 'no-persistence': '!parameter.persistence.enabled' };

/** mosquitto.conf as a CUE expression over the parameters, from the shared line list. */
export const CONF_CUE = `strings.Join([
${MOSQUITTO_CONF_LINES.map((l) => (l.when ? `\tif ${CONDITION[l.when]} {${JSON.stringify(l.line)}},` : `\t${JSON.stringify(l.line)},`)).join('\n')}
	"",
], "\\n")`;

/**
 * The StatefulSet's ready replicas, 0 while Kubernetes omits the field (it
 * does at 0, and a new object has no status at all). Nested ifs: CUE's `&&`
 * evaluates both sides, so `status.readyReplicas != _|_ && status.readyReplicas >= 1`
 * fails on the absent field.
 */
const READY_REPLICAS = `_readyReplicas: *0 | int
if context.output.status != _|_ if context.output.status.readyReplicas != _|_ {
	_readyReplicas: context.output.status.readyReplicas
}
`;

const SELECTOR = `{"app.oam.dev/component": context.name, "app.oam.dev/name": context.appName}`;

export const iotBroker: CatalogEntry = {
  name: 'iot-broker',
  kind: 'ComponentDefinition',
  description: 'A standalone Eclipse Mosquitto MQTT broker: authenticated users from a Secret, persistence, MQTT on 1883 and WebSockets on 9001.',
  parameters: Type.Object({
    auth: Type.Object(
      { secretName: Type.String({ minLength: 1, description: 'Secret whose keys are user names and values their passwords.' }) },
      { description: 'Users allowed to connect; anonymous clients are refused.' },
    ),
    websockets: Type.Boolean({ default: true, description: `MQTT over WebSockets on ${MQTT_WEBSOCKET_PORT}.` }),
    persistence: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Keep retained messages and sessions on a volume.' }),
        size: Type.String({ default: '1Gi', pattern: '^[0-9]+(Mi|Gi)$', description: 'Volume size.' }),
      },
      { default: {}, description: 'Message persistence.' },
    ),
    serviceType: StringEnum(['ClusterIP', 'LoadBalancer'], { default: 'ClusterIP', description: 'LoadBalancer to reach devices outside the cluster.' }),
    resources: ContainerResources({ cpu: '50m', memory: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' }),
  }),
  body: [
    `_conf: ${CONF_CUE}`,
    `output: {
	apiVersion: "apps/v1"
	kind:       "StatefulSet"
	metadata: {
		name: context.name
		labels: ${indent(POD_LABELS, 2)}
	}
	spec: {
		serviceName: context.name
		replicas:    1
		selector: matchLabels: ${SELECTOR}
		if parameter.persistence.enabled {
			persistentVolumeClaimRetentionPolicy: {whenDeleted: "Retain", whenScaled: "Retain"}
			volumeClaimTemplates: [{
				metadata: name: "data"
				spec: {accessModes: ["ReadWriteOnce"], resources: requests: storage: parameter.persistence.size}
			}]
		}
		template: {
			metadata: {
				labels: ${indent(POD_LABELS, 4)}
				// A changed configuration restarts the broker: it reads it at start.
				annotations: "platform.example.org/config-hash": hex.Encode(sha256.Sum256(_conf))
			}
			spec: {
				securityContext: ${restrictedPod({ runAsUser: MOSQUITTO_UID, runAsGroup: MOSQUITTO_UID, fsGroup: MOSQUITTO_UID })}
				initContainers: [{
					name:  "passwords"
					image: "${MOSQUITTO_IMAGE}"
					command: ["/bin/sh", "-c", ${JSON.stringify(HASH_PASSWORDS_SCRIPT)}]
					env: [{name: "CREDENTIALS_DIR", value: "/credentials"}, {name: "PASSWORD_FILE", value: "/mosquitto/auth/passwords"}]
					volumeMounts: [{name: "credentials", mountPath: "/credentials", readOnly: true}, {name: "auth", mountPath: "/mosquitto/auth"}]
					resources: ${indent(resourcesCue(), 5)}
					securityContext: ${RESTRICTED_CONTAINER}
				}]
				containers: [{
					name:  "mosquitto"
					image: "${MOSQUITTO_IMAGE}"
					command: ["mosquitto", "-c", "/mosquitto/config/mosquitto.conf"]
					ports: [
						{name: "mqtt", containerPort: ${MQTT_PORT}},
						if parameter.websockets {name: "websockets", containerPort: ${MQTT_WEBSOCKET_PORT}},
					]
					readinessProbe: {tcpSocket: port: ${MQTT_PORT}, periodSeconds: 10}
					livenessProbe: {tcpSocket: port: ${MQTT_PORT}, initialDelaySeconds: 15, periodSeconds: 20}
					volumeMounts: [
						{name: "config", mountPath: "/mosquitto/config", readOnly: true},
						{name: "auth", mountPath: "/mosquitto/auth", readOnly: true},
						{name: "data", mountPath: "/mosquitto/data"},
					]
					resources: ${indent(resourcesCue(), 5)}
					securityContext: ${RESTRICTED_CONTAINER}
				}]
				volumes: [
					{name: "config", configMap: name: context.name + "-config"},
					{name: "credentials", secret: secretName: parameter.auth.secretName},
					{name: "auth", emptyDir: {}},
					if !parameter.persistence.enabled {name: "data", emptyDir: {}},
				]
			}
		}
	}
}`,
    `outputs: config: {
	apiVersion: "v1"
	kind:       "ConfigMap"
	metadata: name: context.name + "-config"
	data: "mosquitto.conf": _conf
}

outputs: service: {
	apiVersion: "v1"
	kind:       "Service"
	metadata: name: context.name
	spec: {
		type: parameter.serviceType
		selector: ${SELECTOR}
		ports: [
			{name: "mqtt", port: ${MQTT_PORT}, targetPort: ${MQTT_PORT}},
			if parameter.websockets {name: "websockets", port: ${MQTT_WEBSOCKET_PORT}, targetPort: ${MQTT_WEBSOCKET_PORT}},
		]
	}
}`,
  ],
  imports: ['strings', 'crypto/sha256', 'encoding/hex'],
  status: {
    healthPolicy: `${READY_REPLICAS}isHealth: _readyReplicas >= 1
`,
    customStatus: `${READY_REPLICAS}message: *"waiting for the broker to become ready" | string
if _readyReplicas >= 1 {
	message: "broker ready on mqtt://" + context.name + ":${MQTT_PORT}"
}
`,
  },
  outputs: [
    `\`StatefulSet\` \`{component}\`: \`${MOSQUITTO_IMAGE}\` as uid ${MOSQUITTO_UID} (restricted), an init container that turns the \`auth.secretName\` Secret into a hashed password file with \`mosquitto_passwd -U\`, TCP probes, a volume (\`persistence.size\`, retained) or an emptyDir`,
    "`outputs.config`: ConfigMap `{component}-config` with mosquitto.conf (the realtime platform's: no anonymous clients, password file, 1883, 9001 with `websockets`, persistence)",
    '`outputs.service`: Service `{component}` (`serviceType`), ports 1883 and 9001',
  ],
  health: 'Healthy when the StatefulSet has a ready replica (the broker answers on 1883).',
  example: 'examples/oam/realtime-health-platform.yaml',
};
